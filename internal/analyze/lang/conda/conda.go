// Package conda holds the analyzer for conda packages: the metadata conda
// keeps per installed package, <env>/conda-meta/*.json (for image and rootfs
// targets only: as in Trivy, installed packages are not read by fs scans).
package conda

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"strings"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/parse/conda"
	"github.com/trawlsec/trawl/pkg/model"
)

// Meta reads conda-meta/*.json (installed analyzer).
type Meta struct{}

// NewMeta returns the installed conda package analyzer.
func NewMeta() *Meta { return &Meta{} }

func (*Meta) Name() string { return "conda-pkg" }
func (*Meta) Version() int { return 1 }

func (*Meta) Required(path string, _ fs.FileInfo) bool {
	dir, ok := strings.CutSuffix(path, ".json")
	if !ok {
		return false
	}
	i := strings.LastIndexByte(dir, '/')
	if i < 0 || i == len(dir)-1 {
		return false
	}
	dir = dir[:i]
	return dir == "conda-meta" || strings.HasSuffix(dir, "/conda-meta")
}

func (*Meta) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p, err := conda.ParseMeta(bytes.NewReader(in.Content))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Path, err)
	}
	p.FilePath = in.Path
	return &analyze.Result{Applications: []analyze.PackageSet{{Type: model.TypeConda, FilePath: in.Path, Packages: []model.Package{p}}}}, nil
}
