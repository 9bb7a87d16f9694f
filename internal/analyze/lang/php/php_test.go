package php

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/pkg/model"
)

var (
	_ analyze.Analyzer = (*Composer)(nil)
	_ analyze.Analyzer = (*ComposerVendor)(nil)
)

func TestRequired(t *testing.T) {
	tests := []struct {
		a    analyze.Analyzer
		path string
		want bool
	}{
		{NewComposer(), "composer.lock", true},
		{NewComposer(), "app/composer.lock", true},
		{NewComposer(), "app/mycomposer.lock", false},
		{NewComposer(), "app/composer.json", false},
		{NewComposer(), "app/vendor/acme/lib/composer.lock", false},
		{NewComposer(), "vendor/acme/lib/composer.lock", false},
		{NewComposer(), "app/myvendor/composer.lock", true},
		{NewComposerVendor(), "vendor/composer/installed.json", true},
		{NewComposerVendor(), "var/www/vendor/composer/installed.json", true},
		// By file name, as Trivy's composer-vendor analyzer.
		{NewComposerVendor(), "var/www/vendor/mycomposer/installed.json", true},
		{NewComposerVendor(), "installed.json", true},
		{NewComposerVendor(), "vendor/composer/installed.json.bak", false},
		{NewComposerVendor(), "vendor/composer/not-installed.json", false},
	}
	for _, tt := range tests {
		if got := tt.a.Required(tt.path, nil); got != tt.want {
			t.Errorf("%s.Required(%q) = %v, want %v", tt.a.Name(), tt.path, got, tt.want)
		}
	}
}

func TestAnalyze(t *testing.T) {
	ctx := context.Background()
	in := analyze.Input{Path: "vendor/composer/installed.json", Content: []byte(`{"packages": [{"name": "psr/log", "version": "3.0.0"}]}`)}
	res, err := NewComposerVendor().Analyze(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	want := &analyze.Result{Applications: []analyze.PackageSet{{Type: model.TypeComposerVend, FilePath: in.Path,
		Packages: []model.Package{{ID: "psr/log@3.0.0", Name: "psr/log", Version: "3.0.0", Ecosystem: "Packagist",
			Relationship: "unknown", Locations: []model.Location{{StartLine: 1, EndLine: 1}}}}}}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	if res, err := NewComposer().Analyze(ctx, analyze.Input{Path: "composer.lock", Content: []byte(`{"packages": []}`)}); err != nil || res != nil {
		t.Errorf("empty: got %v, %v", res, err)
	}
	if _, err := NewComposer().Analyze(ctx, analyze.Input{Path: "composer.lock", Content: []byte(`{`)}); err == nil {
		t.Error("want error")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := NewComposer().Analyze(cctx, in); err == nil {
		t.Error("want context error")
	}
}
