package nodejs

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/pkg/model"
)

var _ analyze.Analyzer = (*Bun)(nil)

func TestBunRequired(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"bun.lock", true},
		{"app/bun.lock", true},
		{"app/bun.lockb", false},
		{"app/node_modules/x/bun.lock", false},
		{"app/mybun.lock", false},
	}
	for _, tt := range tests {
		if got := NewBun().Required(tt.path, nil); got != tt.want {
			t.Errorf("Required(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

func TestBunAnalyze(t *testing.T) {
	ctx := context.Background()
	in := analyze.Input{Path: "app/bun.lock", Content: []byte(`{
  "workspaces": {"": {"dependencies": {"ms": "^2"},},},
  "packages": {
    "ms": ["ms@2.1.3", "", {}, "sha512-x"],
  },
}`)}
	res, err := NewBun().Analyze(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	want := &analyze.Result{Applications: []analyze.PackageSet{{Type: model.TypeBun, FilePath: in.Path,
		Packages: []model.Package{{ID: "ms@2.1.3", Name: "ms", Version: "2.1.3", Ecosystem: "npm",
			Relationship: "direct", Locations: []model.Location{{StartLine: 4, EndLine: 4}}}}}}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	if _, err := NewBun().Analyze(ctx, analyze.Input{Path: in.Path, Content: []byte(`{"packages": [`)}); err == nil {
		t.Error("want error")
	}
}
