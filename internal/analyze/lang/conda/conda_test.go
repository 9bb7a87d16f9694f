package conda

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/pkg/model"
)

var _ analyze.Analyzer = (*Meta)(nil)

func TestRequired(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"opt/conda/conda-meta/zlib-1.2.13-h5eee18b_0.json", true},
		{"conda-meta/zlib-1.2.13-h5eee18b_0.json", true},
		{"opt/conda/envs/x/conda-meta/pip-22.2.2-py38h06a4308_0.json", true},
		{"opt/conda/conda-meta/history", false},
		{"opt/conda/conda-meta/sub/x.json", false},
		{"opt/conda/myconda-meta/x.json", false},
		{"conda-meta/.json", false},
		{"x.json", false},
	}
	for _, tt := range tests {
		if got := NewMeta().Required(tt.path, nil); got != tt.want {
			t.Errorf("Required(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

func TestAnalyze(t *testing.T) {
	ctx := context.Background()
	in := analyze.Input{Path: "opt/conda/conda-meta/zlib-1.2.13-h5eee18b_0.json",
		Content: []byte(`{"name": "zlib", "version": "1.2.13", "license": "Zlib"}`)}
	res, err := NewMeta().Analyze(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	want := &analyze.Result{Applications: []analyze.PackageSet{{Type: model.TypeConda, FilePath: in.Path,
		Packages: []model.Package{{ID: "zlib@1.2.13", Name: "zlib", Version: "1.2.13", Ecosystem: "conda",
			Relationship: "unknown", Licenses: []string{"Zlib"}, FilePath: in.Path}}}}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	if _, err := NewMeta().Analyze(ctx, analyze.Input{Path: in.Path, Content: []byte(`{"name": "zlib"}`)}); err == nil {
		t.Error("want error for metadata without a version")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := NewMeta().Analyze(cctx, in); err == nil {
		t.Error("want context error")
	}
}
