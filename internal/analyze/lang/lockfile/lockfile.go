// Package lockfile is the shared shape of the one-file lockfile analyzers:
// one file in, one package set out. Analyzer packages embed *Analyzer in
// their own exported types, so each keeps its constructor, name and version.
package lockfile

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/pkg/model"
)

// Analyzer reads one kind of lockfile into one package set. It implements
// analyze.Analyzer.
type Analyzer struct {
	name    string
	version int
	pkgType string
	match   func(path string) bool
	parse   func(io.Reader) ([]model.Package, error)
}

// New returns an analyzer called name at version (both are part of the
// layer cache key) that reads the files match accepts with parse and
// reports their packages with type pkgType. match gets the slash-separated
// artifact path and must be cheap (string comparisons only).
func New(name string, version int, pkgType string, match func(path string) bool, parse func(io.Reader) ([]model.Package, error)) *Analyzer {
	return &Analyzer{name: name, version: version, pkgType: pkgType, match: match, parse: parse}
}

// Base returns the last element of a slash-separated path.
func Base(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// Name returns the analyzer's name.
func (a *Analyzer) Name() string { return a.name }

// Version returns the analyzer's version.
func (a *Analyzer) Version() int { return a.version }

// Required reports whether match accepts path.
func (a *Analyzer) Required(path string, _ fs.FileInfo) bool { return a.match(path) }

// Analyze parses the file. Errors are prefixed with the file's path; a file
// without packages gives a nil result.
func (a *Analyzer) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	pkgs, err := a.parse(bytes.NewReader(in.Content))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Path, err)
	}
	if len(pkgs) == 0 {
		return nil, nil
	}
	return &analyze.Result{Applications: []analyze.PackageSet{{Type: a.pkgType, FilePath: in.Path, Packages: pkgs}}}, nil
}
