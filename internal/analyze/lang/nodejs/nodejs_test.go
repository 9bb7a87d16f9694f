package nodejs

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/pkg/model"
)

var (
	_ analyze.Analyzer = (*Npm)(nil)
	_ analyze.Analyzer = (*NodePkg)(nil)
	_ analyze.Analyzer = (*Yarn)(nil)
	_ analyze.Analyzer = (*Pnpm)(nil)
)

func TestRequired(t *testing.T) {
	tests := []struct {
		a    analyze.Analyzer
		path string
		want bool
	}{
		{NewNpm(), "package-lock.json", true},
		{NewNpm(), "app/npm-shrinkwrap.json", true},
		{NewNpm(), "app/node_modules/.package-lock.json", false},
		{NewNpm(), "app/node_modules/x/package-lock.json", false},
		{NewNpm(), "node_modules/x/package-lock.json", false},
		{NewNpm(), "app/my-node_modules/package-lock.json", true},
		{NewNpm(), "app/package-lock.json.bak", false},
		{NewYarn(), "web/yarn.lock", true},
		{NewYarn(), "web/node_modules/a/yarn.lock", false},
		{NewPnpm(), "pnpm-lock.yaml", true},
		{NewPnpm(), "pnpm-lock.yml", false},
		{NewNodePkg(), "app/node_modules/express/package.json", true},
		{NewNodePkg(), "node_modules/@types/node/package.json", true},
		{NewNodePkg(), "app/node_modules/a/node_modules/b/package.json", true},
		{NewNodePkg(), "app/node_modules/.pnpm/lodash@4.17.4/node_modules/lodash/package.json", true},
		{NewNodePkg(), "app/package.json", false},
		{NewNodePkg(), "app/node_modules/express/lib/package.json", false},
		{NewNodePkg(), "app/node_modules/@types/package.json", false},
		{NewNodePkg(), "app/node_modules/package.json", false},
		{NewNodePkg(), "app/node_modules/.bin/package.json", false},
		{NewNodePkg(), "app/xnode_modules/a/package.json", false},
	}
	for _, tt := range tests {
		if got := tt.a.Required(tt.path, nil); got != tt.want {
			t.Errorf("%s.Required(%q) = %v, want %v", tt.a.Name(), tt.path, got, tt.want)
		}
	}
}

func TestAnalyze(t *testing.T) {
	ctx := context.Background()
	lock := `{"lockfileVersion": 3, "packages": {"": {"dependencies": {"a": "1"}}, "node_modules/a": {"version": "1.0.0"}}}`
	got, err := NewNpm().Analyze(ctx, analyze.Input{Path: "app/package-lock.json", Content: []byte(lock)})
	if err != nil {
		t.Fatal(err)
	}
	want := &analyze.Result{Applications: []analyze.PackageSet{{
		Type: model.TypeNpm, FilePath: "app/package-lock.json",
		Packages: []model.Package{{ID: "a@1.0.0", Name: "a", Version: "1.0.0", Ecosystem: "npm",
			Relationship: model.RelationshipDirect, Locations: []model.Location{{StartLine: 1, EndLine: 1}}}},
	}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("npm mismatch (-want +got):\n%s", diff)
	}

	got, err = NewNodePkg().Analyze(ctx, analyze.Input{Path: "node_modules/a/package.json", Content: []byte(`{"name":"a","version":"2.0.0","license":"MIT"}`)})
	if err != nil {
		t.Fatal(err)
	}
	want = &analyze.Result{Applications: []analyze.PackageSet{{
		Type: model.TypeNodePkg, FilePath: "node_modules/a/package.json",
		Packages: []model.Package{{ID: "a@2.0.0", Name: "a", Version: "2.0.0", Ecosystem: "npm",
			Licenses: []string{"MIT"}, FilePath: "node_modules/a/package.json"}},
	}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("node-pkg mismatch (-want +got):\n%s", diff)
	}

	// A package.json without version is no package and no error.
	if got, err := NewNodePkg().Analyze(ctx, analyze.Input{Path: "node_modules/a/package.json", Content: []byte(`{"name":"a"}`)}); err != nil || got != nil {
		t.Errorf("no version: got %v, %v; want nil, nil", got, err)
	}
	// Malformed files are errors naming the file.
	for _, a := range []analyze.Analyzer{NewNpm(), NewNodePkg(), NewYarn(), NewPnpm()} {
		_, err := a.Analyze(ctx, analyze.Input{Path: "x/broken", Content: []byte("{\n  bad: [")})
		if err == nil || !strings.Contains(err.Error(), "x/broken") {
			t.Errorf("%s: err = %v, want an error naming the file", a.Name(), err)
		}
	}
	// A cancelled context stops the analyzer.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := NewYarn().Analyze(cctx, analyze.Input{Path: "yarn.lock"}); err == nil {
		t.Error("cancelled context: want error")
	}
}
