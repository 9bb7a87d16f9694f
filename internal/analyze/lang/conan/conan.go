// Package conan holds the Conan analyzer: it reads conan.lock files (a
// lockfile analyzer, for fs and repo targets) into packages of ecosystem
// "ConanCenter".
package conan

import (
	"context"
	"fmt"
	"io/fs"
	"path"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/parse/conan"
	"github.com/trawlsec/trawl/pkg/model"
)

// Lock reads conan.lock files.
type Lock struct{}

// NewLock returns the conan.lock analyzer.
func NewLock() *Lock { return &Lock{} }

// Name implements analyze.Analyzer.
func (*Lock) Name() string { return "conan-lock" }

// Version implements analyze.Analyzer.
func (*Lock) Version() int { return 1 }

// Required implements analyze.Analyzer: regular files named conan.lock.
func (*Lock) Required(p string, info fs.FileInfo) bool {
	return (info == nil || info.Mode().IsRegular()) && path.Base(p) == "conan.lock"
}

// Analyze implements analyze.Analyzer. References that cannot be parsed
// are warnings.
func (a *Lock) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	res, err := conan.Parse(ctx, in.Content)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Path, err)
	}
	if len(res.Packages) == 0 && len(res.Warnings) == 0 {
		return nil, nil
	}
	out := &analyze.Result{}
	for _, w := range res.Warnings {
		out.Warnings = append(out.Warnings, analyze.FileNote{Path: in.Path, Analyzer: a.Name(), Reason: w})
	}
	if len(res.Packages) > 0 {
		out.Applications = []analyze.PackageSet{{Type: model.TypeConanLock, FilePath: in.Path, Packages: res.Packages}}
	}
	return out, nil
}
