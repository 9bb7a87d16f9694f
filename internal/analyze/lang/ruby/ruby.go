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
	"github.com/trawlsec/trawl/internal/analyze/lang/lockfile"
	"github.com/trawlsec/trawl/internal/parse/ruby"
	"github.com/trawlsec/trawl/pkg/model"
)

// Bundler reads Gemfile.lock (lockfile analyzer).
type Bundler struct{ *lockfile.Analyzer }

// NewBundler returns the Gemfile.lock analyzer.
func NewBundler() *Bundler {
	return &Bundler{lockfile.New("bundler", 1, model.TypeBundler, func(path string) bool { return lockfile.Base(path) == "Gemfile.lock" }, ruby.ParseLockfile)}
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
	if !strings.HasSuffix(path, ".gemspec") || strings.HasPrefix(lockfile.Base(path), ".gemspec") {
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
