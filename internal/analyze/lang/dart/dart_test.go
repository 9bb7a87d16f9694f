package dart

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/pkg/model"
)

var _ analyze.Analyzer = (*Pub)(nil)

func TestRequired(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"pubspec.lock", true},
		{"app/pubspec.lock", true},
		{"app/pubspec.yaml", false},
		{"app/mypubspec.lock", false},
	}
	for _, tt := range tests {
		if got := NewPub().Required(tt.path, nil); got != tt.want {
			t.Errorf("Required(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

func TestAnalyze(t *testing.T) {
	ctx := context.Background()
	a := NewPub()
	in := analyze.Input{Path: "app/pubspec.lock", Content: []byte("packages:\n  http:\n    dependency: \"direct main\"\n    version: \"1.1.0\"\n")}
	res, err := a.Analyze(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	want := &analyze.Result{Applications: []analyze.PackageSet{{Type: model.TypePub, FilePath: in.Path,
		Packages: []model.Package{{ID: "http@1.1.0", Name: "http", Version: "1.1.0", Ecosystem: "Pub", Relationship: "direct", Locations: []model.Location{{StartLine: 2, EndLine: 4}}}}}}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	if res, err := a.Analyze(ctx, analyze.Input{Path: in.Path, Content: []byte("packages:\n")}); err != nil || res != nil {
		t.Errorf("empty file: got %v, %v", res, err)
	}
	if _, err := a.Analyze(ctx, analyze.Input{Path: in.Path, Content: []byte("[x\n")}); err == nil {
		t.Error("want error for a malformed file")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := a.Analyze(cctx, in); err == nil {
		t.Error("want context error")
	}
}
