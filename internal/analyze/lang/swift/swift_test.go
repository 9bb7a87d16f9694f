package swift

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/pkg/model"
)

var _ analyze.Analyzer = (*Swift)(nil)

func TestRequired(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"Package.resolved", true},
		{"app/Package.resolved", true},
		{"app/Package.swift", false},
		{"app/package.resolved", false},
	}
	for _, tt := range tests {
		if got := NewSwift().Required(tt.path, nil); got != tt.want {
			t.Errorf("Required(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

func TestAnalyze(t *testing.T) {
	ctx := context.Background()
	a := NewSwift()
	in := analyze.Input{Path: "app/Package.resolved", Content: []byte(`{"pins": [{"location": "https://github.com/apple/swift-log.git", "state": {"version": "1.5.3"}}], "version": 2}`)}
	res, err := a.Analyze(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	want := &analyze.Result{Applications: []analyze.PackageSet{{Type: model.TypeSwift, FilePath: in.Path,
		Packages: []model.Package{{ID: "github.com/apple/swift-log@1.5.3", Name: "github.com/apple/swift-log", Version: "1.5.3", Ecosystem: "SwiftURL", Relationship: "unknown", Locations: []model.Location{{StartLine: 1, EndLine: 1}}}}}}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	if res, err := a.Analyze(ctx, analyze.Input{Path: in.Path, Content: []byte(`{"pins": [], "version": 2}`)}); err != nil || res != nil {
		t.Errorf("empty file: got %v, %v", res, err)
	}
	if _, err := a.Analyze(ctx, analyze.Input{Path: in.Path, Content: []byte(`{"pins": `)}); err == nil {
		t.Error("want error for a malformed file")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := a.Analyze(cctx, in); err == nil {
		t.Error("want context error")
	}
}
