// Package ruby holds the analyzers for Ruby gems: Bundler's Gemfile.lock
// (for fs and repo targets) and installed gem specifications,
// specifications/*.gemspec (for image and rootfs targets).
package ruby

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"strings"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/parse/ruby"
	"github.com/trawlsec/trawl/pkg/model"
)

func base(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// Bundler reads Gemfile.lock (lockfile analyzer).
type Bundler struct{}

// NewBundler returns the Gemfile.lock analyzer.
func NewBundler() *Bundler { return &Bundler{} }

func (*Bundler) Name() string { return "bundler" }
func (*Bundler) Version() int { return 1 }

func (*Bundler) Required(path string, _ fs.FileInfo) bool { return base(path) == "Gemfile.lock" }

func (*Bundler) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	pkgs, err := ruby.ParseLockfile(bytes.NewReader(in.Content))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Path, err)
	}
	if len(pkgs) == 0 {
		return nil, nil
	}
	return &analyze.Result{Applications: []analyze.PackageSet{{Type: model.TypeBundler, FilePath: in.Path, Packages: pkgs}}}, nil
}

// GemSpec reads installed gem specifications, <dir>/specifications/*.gemspec
// and the default gems' <dir>/specifications/default/*.gemspec (installed
// analyzer).
type GemSpec struct{}

// NewGemSpec returns the installed gem analyzer.
func NewGemSpec() *GemSpec { return &GemSpec{} }

func (*GemSpec) Name() string { return "gemspec" }
func (*GemSpec) Version() int { return 1 }

func (*GemSpec) Required(path string, _ fs.FileInfo) bool {
	if !strings.HasSuffix(path, ".gemspec") || strings.HasPrefix(base(path), ".gemspec") {
		return false
	}
	// Default gems sit one level down, in specifications/default/.
	return strings.HasPrefix(path, "specifications/") || strings.Contains(path, "/specifications/")
}

func (*GemSpec) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p, err := ruby.ParseGemspec(bytes.NewReader(in.Content))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Path, err)
	}
	p.FilePath = in.Path
	return &analyze.Result{Applications: []analyze.PackageSet{{Type: model.TypeGemSpec, FilePath: in.Path, Packages: []model.Package{p}}}}, nil
}
