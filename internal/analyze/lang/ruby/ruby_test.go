package ruby

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/pkg/model"
)

var (
	_ analyze.Analyzer = (*Bundler)(nil)
	_ analyze.Analyzer = (*GemSpec)(nil)
)

func TestRequired(t *testing.T) {
	tests := []struct {
		a    analyze.Analyzer
		path string
		want bool
	}{
		{NewBundler(), "Gemfile.lock", true},
		{NewBundler(), "app/Gemfile.lock", true},
		{NewBundler(), "app/Gemfile", false},
		{NewBundler(), "app/xGemfile.lock", false},
		{NewGemSpec(), "usr/local/bundle/specifications/rack-2.2.4.gemspec", true},
		{NewGemSpec(), "specifications/rack-2.2.4.gemspec", true},
		{NewGemSpec(), "src/rack/rack.gemspec", false},
		{NewGemSpec(), "specifications/.gemspec", false},
		{NewGemSpec(), "rack.gemspec", false},
		{NewGemSpec(), "specifications/rack.gemspec.bak", false},
		{NewGemSpec(), "usr/local/lib/ruby/3.2.0/specifications/default/json-2.6.3.gemspec", true},
		{NewGemSpec(), "usr/local/lib/ruby/3.2.0/specs/json-2.6.3.gemspec", false},
	}
	for _, tt := range tests {
		if got := tt.a.Required(tt.path, nil); got != tt.want {
			t.Errorf("%s.Required(%q) = %v, want %v", tt.a.Name(), tt.path, got, tt.want)
		}
	}
}

func TestAnalyze(t *testing.T) {
	ctx := context.Background()
	lock := "GEM\n  specs:\n    rack (2.2.4)\n\nDEPENDENCIES\n  rack\n"
	res, err := NewBundler().Analyze(ctx, analyze.Input{Path: "app/Gemfile.lock", Content: []byte(lock)})
	if err != nil {
		t.Fatal(err)
	}
	want := &analyze.Result{Applications: []analyze.PackageSet{{Type: model.TypeBundler, FilePath: "app/Gemfile.lock",
		Packages: []model.Package{{ID: "rack@2.2.4", Name: "rack", Version: "2.2.4", Ecosystem: "RubyGems",
			Relationship: "direct", Locations: []model.Location{{StartLine: 3, EndLine: 3}}}}}}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("bundler mismatch (-want +got):\n%s", diff)
	}
	if res, err := NewBundler().Analyze(ctx, analyze.Input{Path: "Gemfile.lock", Content: []byte("PLATFORMS\n  ruby\n")}); err != nil || res != nil {
		t.Errorf("empty lockfile: got %v, %v", res, err)
	}

	spec := "Gem::Specification.new do |s|\n  s.name = \"rack\".freeze\n  s.version = \"2.2.4\"\nend\n"
	path := "gems/specifications/rack-2.2.4.gemspec"
	res, err = NewGemSpec().Analyze(ctx, analyze.Input{Path: path, Content: []byte(spec)})
	if err != nil {
		t.Fatal(err)
	}
	want = &analyze.Result{Applications: []analyze.PackageSet{{Type: model.TypeGemSpec, FilePath: path,
		Packages: []model.Package{{ID: "rack@2.2.4", Name: "rack", Version: "2.2.4", Ecosystem: "RubyGems",
			Relationship: "unknown", FilePath: path}}}}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("gemspec mismatch (-want +got):\n%s", diff)
	}
	if _, err := NewGemSpec().Analyze(ctx, analyze.Input{Path: path, Content: []byte("x")}); err == nil {
		t.Error("want error for a gemspec without name")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := NewBundler().Analyze(cctx, analyze.Input{Path: "Gemfile.lock"}); err == nil {
		t.Error("want context error")
	}
}
