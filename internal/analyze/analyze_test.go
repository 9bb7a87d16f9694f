package analyze

import (
	"context"
	"io/fs"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/pkg/model"
)

func TestMarkDirect(t *testing.T) {
	pkgs := []model.Package{
		{ID: "app@1", Name: "app", Relationship: model.RelationshipRoot},
		{ID: "express@4", Name: "express", DependsOn: []string{"qs@6", "debug@2"}},
		{ID: "qs@6", Name: "qs"},
		{ID: "debug@2", Name: "debug", DependsOn: []string{"ms@2"}},
		{ID: "ms@2", Name: "ms"},
		{ID: "mocha@10", Name: "mocha", DependsOn: []string{"debug@2", "chai@4"}},
		{ID: "chai@4", Name: "chai"},
	}
	MarkDirect(pkgs, map[string]bool{"express": true, "mocha": true}, map[string]bool{"mocha": true})
	got := map[string]string{}
	for _, p := range pkgs {
		dev := ""
		if p.Dev {
			dev = " dev"
		}
		got[p.Name] = p.Relationship + dev
	}
	want := map[string]string{
		"app":     "root",
		"express": "direct",
		"qs":      "indirect",
		"debug":   "indirect", // reachable from express: not dev-only
		"ms":      "indirect",
		"mocha":   "direct dev",
		"chai":    "indirect dev", // only mocha pulls it in
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestMergeKeepsMostPreciseOS(t *testing.T) {
	r := &Result{}
	r.Merge(&Result{OS: &OSInfo{OS: model.OS{Family: "debian", Name: "12"}, Priority: 21}})
	r.Merge(&Result{OS: &OSInfo{OS: model.OS{Family: "debian", Name: "12.15"}, Priority: 30}})
	r.Merge(&Result{OS: &OSInfo{OS: model.OS{Family: "debian", Name: "12"}, Priority: 20}})
	if r.OS.Name != "12.15" {
		t.Errorf("OS = %+v", r.OS)
	}
}

// lister is a post-analyzer reporting the paths and contents it was given.
type lister struct{}

func (lister) Name() string                      { return "lister" }
func (lister) Version() int                      { return 1 }
func (lister) Required(string, fs.FileInfo) bool { return true }
func (lister) PostAnalyze(_ context.Context, files fs.FS) (*Result, error) {
	var pkgs []model.Package
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(files, p)
		pkgs = append(pkgs, model.Package{Name: p, Version: string(b)})
		return err
	})
	return &Result{Applications: []PackageSet{{Packages: pkgs}}}, err
}

func TestAnalyzeOne(t *testing.T) {
	for in, want := range map[string]string{
		"app/pom.xml": "app/pom.xml", "/abs/go.mod": "abs/go.mod", "./a/../b/x": "b/x", "../x": "x", "": "file",
	} {
		r, err := AnalyzeOne(context.Background(), lister{}, Input{Path: in, Content: []byte("c")})
		if err != nil {
			t.Fatal(err)
		}
		got := r.Applications[0].Packages
		if len(got) != 1 || got[0].Name != want || got[0].Version != "c" {
			t.Errorf("AnalyzeOne(%q) saw %+v, want %q", in, got, want)
		}
	}
}
