package julia

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/pkg/model"
)

var _ analyze.Analyzer = (*Julia)(nil)

func TestRequired(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"Manifest.toml", true},
		{"app/Manifest.toml", true},
		{"app/JuliaManifest.toml", true},
		{"app/Manifest-v1.11.toml", true},
		{"app/Project.toml", false},
		{"app/Manifest.toml.bak", false},
	}
	for _, tt := range tests {
		if got := NewJulia().Required(tt.path, nil); got != tt.want {
			t.Errorf("Required(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

func TestAnalyze(t *testing.T) {
	ctx := context.Background()
	a := NewJulia()
	in := analyze.Input{Path: "app/Manifest.toml", Content: []byte("julia_version = \"1.9.0\"\nmanifest_format = \"2.0\"\n\n[[deps.JSON]]\nuuid = \"682c06a0\"\nversion = \"0.21.4\"\n")}
	res, err := a.Analyze(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	want := &analyze.Result{Applications: []analyze.PackageSet{{Type: model.TypeJulia, FilePath: in.Path,
		Packages: []model.Package{{ID: "682c06a0", Name: "JSON", Version: "0.21.4", Ecosystem: "Julia", Relationship: "unknown", Locations: []model.Location{{StartLine: 4, EndLine: 6}}}}}}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	if res, err := a.Analyze(ctx, analyze.Input{Path: in.Path, Content: []byte("julia_version = \"1.9.0\"\nmanifest_format = \"2.0\"\n")}); err != nil || res != nil {
		t.Errorf("empty file: got %v, %v", res, err)
	}
	if _, err := a.Analyze(ctx, analyze.Input{Path: in.Path, Content: []byte("[[deps.A]\n")}); err == nil {
		t.Error("want error for a malformed file")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := a.Analyze(cctx, in); err == nil {
		t.Error("want context error")
	}
}
