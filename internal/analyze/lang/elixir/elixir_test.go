package elixir

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/pkg/model"
)

var _ analyze.Analyzer = (*Mix)(nil)

func TestRequired(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"mix.lock", true},
		{"app/mix.lock", true},
		{"app/mix.exs", false},
		{"app/xmix.lock", false},
	}
	for _, tt := range tests {
		if got := NewMix().Required(tt.path, nil); got != tt.want {
			t.Errorf("Required(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

func TestAnalyze(t *testing.T) {
	ctx := context.Background()
	a := NewMix()
	in := analyze.Input{Path: "app/mix.lock", Content: []byte("%{\n  \"jason\": {:hex, :jason, \"1.4.0\", \"aa\", [:mix], [], \"hexpm\", \"bb\"},\n}\n")}
	res, err := a.Analyze(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	want := &analyze.Result{Applications: []analyze.PackageSet{{Type: model.TypeHex, FilePath: in.Path,
		Packages: []model.Package{{ID: "jason@1.4.0", Name: "jason", Version: "1.4.0", Ecosystem: "Hex", Relationship: "unknown", Locations: []model.Location{{StartLine: 2, EndLine: 2}}}}}}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	if res, err := a.Analyze(ctx, analyze.Input{Path: in.Path, Content: []byte("%{\n}\n")}); err != nil || res != nil {
		t.Errorf("empty file: got %v, %v", res, err)
	}
	if _, err := a.Analyze(ctx, analyze.Input{Path: in.Path, Content: []byte("%{\n" + string(make([]byte, 17<<20)))}); err == nil {
		t.Error("want error for a malformed file")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := a.Analyze(cctx, in); err == nil {
		t.Error("want context error")
	}
}
