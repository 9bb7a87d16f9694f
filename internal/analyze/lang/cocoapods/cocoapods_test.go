package cocoapods

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/pkg/model"
)

var _ analyze.Analyzer = (*CocoaPods)(nil)

func TestRequired(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"Podfile.lock", true},
		{"ios/Podfile.lock", true},
		{"ios/Podfile", false},
		{"ios/Pods/Manifest.lock", false},
	}
	for _, tt := range tests {
		if got := NewCocoaPods().Required(tt.path, nil); got != tt.want {
			t.Errorf("Required(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

func TestAnalyze(t *testing.T) {
	ctx := context.Background()
	a := NewCocoaPods()
	in := analyze.Input{Path: "ios/Podfile.lock", Content: []byte("PODS:\n  - Alamofire (5.8.1)\n")}
	res, err := a.Analyze(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	want := &analyze.Result{Applications: []analyze.PackageSet{{Type: model.TypeCocoaPods, FilePath: in.Path,
		Packages: []model.Package{{ID: "Alamofire@5.8.1", Name: "Alamofire", Version: "5.8.1", Ecosystem: "CocoaPods", Relationship: "unknown", Locations: []model.Location{{StartLine: 2, EndLine: 2}}}}}}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	if res, err := a.Analyze(ctx, analyze.Input{Path: in.Path, Content: []byte("COCOAPODS: 1.12.1\n")}); err != nil || res != nil {
		t.Errorf("empty file: got %v, %v", res, err)
	}
	if _, err := a.Analyze(ctx, analyze.Input{Path: in.Path, Content: []byte("PODS: [\n")}); err == nil {
		t.Error("want error for a malformed file")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := a.Analyze(cctx, in); err == nil {
		t.Error("want context error")
	}
}
