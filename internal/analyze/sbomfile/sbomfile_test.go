package sbomfile

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/sbom"
	"github.com/trawlsec/trawl/pkg/model"
)

func TestRequired(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"srv/app.cdx.json", true},
		{"bom.spdx.json", true},
		{"usr/share/doc/app.spdx", true},
		{"opt/bitnami/redis/.spdx-redis.spdx", true},
		{"opt/bitnami/redis/.spdx-redis.spdx.bak", false},
		{"package.json", false},
		{"cdx.json", false},
		{".cdx.json", false},
		{".spdx", false},
		{"srv/app.json", false},
		{"srv/spdx/readme", false},
	}
	for _, tt := range tests {
		if got := New().Required(tt.path, nil); got != tt.want {
			t.Errorf("Required(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
	dir := fstest.MapFS{"d.spdx": &fstest.MapFile{Mode: fs.ModeDir}}
	info, err := fs.Stat(dir, "d.spdx")
	if err != nil {
		t.Fatal(err)
	}
	if New().Required("d.spdx", info) {
		t.Error("Required accepts a directory")
	}
}

func analyzeFile(t *testing.T, path string) (*analyze.Result, error) {
	t.Helper()
	b, err := os.ReadFile("testdata/" + path)
	if err != nil {
		t.Fatal(err)
	}
	return New().Analyze(context.Background(), analyze.Input{Path: path, Content: b})
}

func TestAnalyze(t *testing.T) {
	tests := []struct {
		path     string
		want     []analyze.PackageSet
		warnings int
	}{
		{
			path: "opt/bitnami/redis/.spdx-redis.spdx",
			want: []analyze.PackageSet{{Type: model.TypeGoModule, FilePath: "opt/bitnami/redis/.spdx-redis.spdx", Packages: []model.Package{
				{
					ID: "github.com/bitnami/wait-for-port@v1.0.7", Name: "github.com/bitnami/wait-for-port", Version: "v1.0.7",
					Licenses: []string{"Apache-2.0"}, Ecosystem: "Go", DependsOn: []string{"golang.org/x/sys@v0.15.0"},
					Identifier: model.Identifier{PURL: "pkg:golang/github.com/bitnami/wait-for-port@v1.0.7"},
				},
				{
					ID: "golang.org/x/sys@v0.15.0", Name: "golang.org/x/sys", Version: "v0.15.0", Ecosystem: "Go",
					Identifier: model.Identifier{PURL: "pkg:golang/golang.org/x/sys@v0.15.0"},
				},
			}}},
		},
		{
			path: "srv/app.cdx.json",
			want: []analyze.PackageSet{
				{Type: model.TypeNpm, FilePath: "srv/app.cdx.json", Packages: []model.Package{
					{ID: "accepts@1.3.8", Name: "accepts", Version: "1.3.8", Ecosystem: "npm",
						Identifier: model.Identifier{PURL: "pkg:npm/accepts@1.3.8", BOMRef: "b-accepts"}},
					{ID: "express@4.18.2", Name: "express", Version: "4.18.2", Ecosystem: "npm", DependsOn: []string{"accepts@1.3.8"},
						Identifier: model.Identifier{PURL: "pkg:npm/express@4.18.2", BOMRef: "a-express"}},
				}},
				{Type: model.TypePythonPkg, FilePath: "srv/app.cdx.json", Packages: []model.Package{
					{ID: "requests@2.31.0", Name: "requests", Version: "2.31.0", Ecosystem: "PyPI", FilePath: "srv/app.cdx.json",
						Identifier: model.Identifier{PURL: "pkg:pypi/requests@2.31.0", BOMRef: "requests"}},
				}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			res, err := analyzeFile(t, tt.path)
			if err != nil {
				t.Fatalf("Analyze: %v", err)
			}
			if len(res.OSPackages) != 0 || res.OS != nil {
				t.Errorf("OS data reported: %+v %+v", res.OS, res.OSPackages)
			}
			if diff := cmp.Diff(tt.want, res.Applications, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("applications (-want +got):\n%s", diff)
			}
			for _, w := range res.Warnings {
				if w.Path != tt.path || w.Analyzer != "sbom" {
					t.Errorf("warning %+v does not name the file and analyzer", w)
				}
			}
		})
	}
}

func TestAnalyzeBitnamiWarnsAboutItsOwnPURL(t *testing.T) {
	res, err := analyzeFile(t, "opt/bitnami/redis/.spdx-redis.spdx")
	if err != nil {
		t.Fatal(err)
	}
	// The described pkg:bitnami package is the artifact itself: no warning.
	if len(res.Warnings) != 0 {
		t.Errorf("warnings = %+v, want none", res.Warnings)
	}
}

func TestAnalyzeErrors(t *testing.T) {
	_, err := analyzeFile(t, "broken.cdx.json")
	if err == nil || !strings.Contains(err.Error(), "broken.cdx.json") {
		t.Errorf("error = %v, want one naming the file", err)
	}
	res, err := New().Analyze(context.Background(), analyze.Input{Path: "notes.spdx", Content: []byte("just text\n")})
	if !errors.Is(err, sbom.ErrUnknownFormat) || res != nil {
		t.Errorf("Analyze(text) = %v, %v; want ErrUnknownFormat", res, err)
	}
	ctx, cancel := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel()
	if _, err := New().Analyze(ctx, analyze.Input{Path: "a.cdx.json", Content: []byte("{}")}); err == nil {
		t.Error("Analyze ignores a done context")
	}
}

func TestAnalyzeOSOnly(t *testing.T) {
	doc := `{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":"bash",` +
		`"purl":"pkg:deb/debian/bash@5.2.15-2?distro=debian-12.15"}]}`
	res, err := New().Analyze(context.Background(), analyze.Input{Path: "os.cdx.json", Content: []byte(doc)})
	if err != nil || res != nil {
		t.Errorf("Analyze = %+v, %v; want nothing", res, err)
	}
}

func FuzzAnalyze(f *testing.F) {
	for _, p := range []string{"opt/bitnami/redis/.spdx-redis.spdx", "srv/app.cdx.json"} {
		b, err := os.ReadFile("testdata/" + p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := New().Analyze(context.Background(), analyze.Input{Path: "x.cdx.json", Content: data})
		if err != nil || res == nil {
			return
		}
		for _, s := range res.Applications {
			if s.FilePath != "x.cdx.json" {
				t.Fatalf("set path %q", s.FilePath)
			}
		}
	})
}

func TestImplementsAnalyzer(t *testing.T) {
	var a analyze.Analyzer = New()
	if a.Name() != "sbom" || a.Version() < 1 {
		t.Errorf("Name/Version = %q/%d", a.Name(), a.Version())
	}
}
