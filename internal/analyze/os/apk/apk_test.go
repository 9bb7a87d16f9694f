package apk

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/pkg/model"
)

var _ analyze.Analyzer = New()

func TestRequired(t *testing.T) {
	a := New()
	for path, want := range map[string]bool{
		"lib/apk/db/installed":     true,
		"/lib/apk/db/installed":    false,
		"lib/apk/db/installed.new": false,
		"x/lib/apk/db/installed":   false,
		"lib/apk/db/triggers":      false,
	} {
		if got := a.Required(path, nil); got != want {
			t.Errorf("Required(%q) = %v, want %v", path, got, want)
		}
	}
}

func TestAnalyze(t *testing.T) {
	db := "P:musl\nV:1.1.22-r3\nA:x86_64\no:musl\nF:lib\nR:ld-musl-x86_64.so.1\n\n" +
		"P:broken\n\n" +
		"P:alpine-keys\nV:2.1-r2\nA:x86_64\n"
	res, err := New().Analyze(context.Background(), analyze.Input{Path: "lib/apk/db/installed", Content: []byte(db)})
	if err != nil {
		t.Fatal(err)
	}
	wantPkgs := []analyze.PackageSet{{
		Type:     model.TypeApk,
		FilePath: "lib/apk/db/installed",
		Packages: []model.Package{
			{
				ID: "musl@1.1.22-r3", Name: "musl", Version: "1.1.22-r3", Arch: "x86_64",
				SrcName: "musl", SrcVersion: "1.1.22-r3", InstalledFiles: []string{"lib/ld-musl-x86_64.so.1"},
			},
			{ID: "alpine-keys@2.1-r2", Name: "alpine-keys", Version: "2.1-r2", Arch: "x86_64"},
		},
	}}
	if diff := cmp.Diff(wantPkgs, res.OSPackages); diff != "" {
		t.Errorf("OSPackages (-want +got):\n%s", diff)
	}
	wantOwned := []analyze.OwnedFiles{{FilePath: "lib/apk/db/installed", Files: []string{"lib/ld-musl-x86_64.so.1"}}}
	if diff := cmp.Diff(wantOwned, res.Owned); diff != "" {
		t.Errorf("Owned (-want +got):\n%s", diff)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0].Reason, `"broken" has no version`) {
		t.Errorf("Warnings = %+v", res.Warnings)
	}
}
