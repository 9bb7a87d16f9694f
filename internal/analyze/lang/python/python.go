// Package python holds the analyzers for Python packages: lockfiles and
// requirements files (requirements*.txt, Pipfile.lock, poetry.lock,
// uv.lock; for fs and repo targets) and the metadata of installed
// distributions (*.dist-info/METADATA, *.egg-info; for image and rootfs
// targets).
package python

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/analyze/lang/lockfile"
	"github.com/trawlsec/trawl/internal/parse/python/packaging"
	"github.com/trawlsec/trawl/internal/parse/python/pip"
	"github.com/trawlsec/trawl/internal/parse/python/pipenv"
	"github.com/trawlsec/trawl/internal/parse/python/poetry"
	"github.com/trawlsec/trawl/internal/parse/python/uv"
	"github.com/trawlsec/trawl/pkg/model"
)

func result(typ, path string, pkgs []model.Package) *analyze.Result {
	if len(pkgs) == 0 {
		return nil
	}
	return &analyze.Result{Applications: []analyze.PackageSet{{Type: typ, FilePath: path, Packages: pkgs}}}
}

// Pip reads requirements*.txt files (lockfile analyzer). Files named by -r
// lines are not followed; each requirements file found is analysed on its
// own.
type Pip struct{ *lockfile.Analyzer }

// NewPip returns the requirements.txt analyzer.
func NewPip() *Pip {
	return &Pip{lockfile.New("pip", 1, model.TypePip,
		func(p string) bool {
			b := lockfile.Base(p)
			return strings.HasPrefix(b, "requirements") && strings.HasSuffix(b, ".txt")
		},
		func(r io.Reader) ([]model.Package, error) {
			f, err := pip.Parse(r)
			if err != nil {
				return nil, err
			}
			return f.Packages, nil
		})}
}

// Pipenv reads Pipfile.lock (lockfile analyzer).
type Pipenv struct{ *lockfile.Analyzer }

// NewPipenv returns the Pipfile.lock analyzer.
func NewPipenv() *Pipenv {
	return &Pipenv{lockfile.New("pipenv", 1, model.TypePipenv, func(p string) bool { return lockfile.Base(p) == "Pipfile.lock" }, pipenv.Parse)}
}

// Poetry reads poetry.lock (lockfile analyzer). Relationship stays
// "unknown": telling direct dependencies apart needs pyproject.toml beside
// the lockfile (Join, with poetry.Direct).
type Poetry struct{ *lockfile.Analyzer }

// NewPoetry returns the poetry.lock analyzer.
func NewPoetry() *Poetry {
	return &Poetry{lockfile.New("poetry", 1, model.TypePoetry, func(p string) bool { return lockfile.Base(p) == "poetry.lock" }, poetry.Parse)}
}

// Uv reads uv.lock (lockfile analyzer).
type Uv struct{ *lockfile.Analyzer }

// NewUv returns the uv.lock analyzer.
func NewUv() *Uv {
	return &Uv{lockfile.New("uv", 1, model.TypeUv, func(p string) bool { return lockfile.Base(p) == "uv.lock" }, uv.Parse)}
}

// Packaging reads the metadata of installed distributions (installed
// analyzer): *.dist-info/METADATA, *.egg-info/PKG-INFO, EGG-INFO/PKG-INFO
// and *.egg-info files, in site-packages, dist-packages or anywhere else.
type Packaging struct{}

// NewPackaging returns the installed Python package analyzer.
func NewPackaging() *Packaging { return &Packaging{} }

func (*Packaging) Name() string { return "python-pkg" }
func (*Packaging) Version() int { return 1 }

func (*Packaging) Required(path string, info fs.FileInfo) bool {
	switch {
	case strings.HasSuffix(path, ".dist-info/METADATA"),
		strings.HasSuffix(path, ".egg-info/PKG-INFO"),
		strings.HasSuffix(path, "EGG-INFO/PKG-INFO"):
		return true
	case strings.HasSuffix(path, ".egg-info"):
		return info == nil || !info.IsDir()
	}
	return false
}

func (*Packaging) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p, err := packaging.Parse(bytes.NewReader(in.Content))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Path, err)
	}
	p.FilePath = in.Path
	return result(model.TypePythonPkg, in.Path, []model.Package{p}), nil
}
