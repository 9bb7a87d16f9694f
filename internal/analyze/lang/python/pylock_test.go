package python

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/pkg/model"
)

var _ analyze.Analyzer = (*Pylock)(nil)

func TestPylockRequired(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"pylock.toml", true},
		{"app/pylock.toml", true},
		{"app/pylock.dev.toml", true},
		{"app/pylock..toml", false},
		{"app/pylock.toml.bak", false},
		{"app/mypylock.toml", false},
	}
	for _, tt := range tests {
		if got := NewPylock().Required(tt.path, nil); got != tt.want {
			t.Errorf("Required(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

func TestPylockAnalyze(t *testing.T) {
	ctx := context.Background()
	in := analyze.Input{Path: "app/pylock.toml", Content: []byte("lock-version = \"1.0\"\n[[packages]]\nname = \"Flask\"\nversion = \"3.0.0\"\n")}
	res, err := NewPylock().Analyze(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	want := &analyze.Result{Applications: []analyze.PackageSet{{Type: "pylock", FilePath: in.Path,
		Packages: []model.Package{{ID: "flask@3.0.0", Name: "Flask", Version: "3.0.0", Ecosystem: "PyPI",
			Relationship: "unknown", Locations: []model.Location{{StartLine: 2, EndLine: 4}}}}}}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	if _, err := NewPylock().Analyze(ctx, analyze.Input{Path: in.Path, Content: []byte("[[packages]\n")}); err == nil {
		t.Error("want error")
	}
}
