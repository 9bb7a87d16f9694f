// Package julia holds the analyzer for Julia packages: Pkg's Manifest.toml, also named JuliaManifest.toml or Manifest-v<major>.<minor>.toml (for fs and repo targets).
package julia

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"strings"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/parse/julia"
	"github.com/trawlsec/trawl/pkg/model"
)

func base(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// Julia reads Manifest.toml (lockfile analyzer).
type Julia struct{}

// NewJulia returns the Manifest.toml analyzer.
func NewJulia() *Julia { return &Julia{} }

func (*Julia) Name() string { return "julia" }
func (*Julia) Version() int { return 1 }

func (*Julia) Required(path string, _ fs.FileInfo) bool {
	b := base(path)
	return b == "Manifest.toml" || b == "JuliaManifest.toml" ||
		(strings.HasPrefix(b, "Manifest-v") || strings.HasPrefix(b, "JuliaManifest-v")) && strings.HasSuffix(b, ".toml")
}

func (*Julia) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	pkgs, err := julia.Parse(bytes.NewReader(in.Content))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Path, err)
	}
	if len(pkgs) == 0 {
		return nil, nil
	}
	return &analyze.Result{Applications: []analyze.PackageSet{{Type: model.TypeJulia, FilePath: in.Path, Packages: pkgs}}}, nil
}
