package acceptance

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/analyze/lang/conan"
	"github.com/trawlsec/trawl/internal/analyze/lang/dotnet"
	"github.com/trawlsec/trawl/internal/analyze/lang/java"
)

func TestZZScratch(t *testing.T) {
	as := []analyze.Analyzer{java.NewJar(), java.NewPom(), java.NewGradle(), java.NewSbt(), dotnet.NewNugetLock(), dotnet.NewNugetConfig(), dotnet.NewPackagesProps(), dotnet.NewDepsJSON(), conan.NewLock()}
	root := "/work/shared/corpus/projects"
	filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		if !strings.Contains(rel, "java/jar") && !strings.HasPrefix(rel, "trivy-fixtures") && !strings.Contains(rel, "nuget") && !strings.Contains(rel, "dotnet") && !strings.Contains(rel, "conan") && !strings.Contains(rel, "gradle") && !strings.Contains(rel, "sbt") && !strings.Contains(rel, "pom/testdata/happy") {
			return nil
		}
		for _, a := range as {
			if !a.Required(rel, info) {
				continue
			}
			b, _ := os.ReadFile(p)
			res, err := a.Analyze(context.Background(), analyze.Input{Path: rel, Info: info, Content: b})
			fmt.Printf("== %s [%s] err=%v\n", rel, a.Name(), err)
			if res == nil {
				continue
			}
			for _, w := range res.Warnings {
				fmt.Printf("   WARN %s: %s\n", w.Path, w.Reason)
			}
			for _, s := range res.Applications {
				for _, p := range s.Packages {
					fmt.Printf("   %s %s rel=%s dev=%v deps=%v loc=%v fp=%s\n", s.Type, p.ID, p.Relationship, p.Dev, p.DependsOn, p.Locations, p.FilePath)
				}
			}
		}
		return nil
	})
}
