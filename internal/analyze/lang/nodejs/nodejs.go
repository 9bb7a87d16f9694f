// Package nodejs holds the analyzers for JavaScript packages: lockfiles of
// npm, yarn and pnpm (for fs and repo targets) and the package.json files of
// installed packages under node_modules (for image and rootfs targets).
package nodejs

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

const nodeModules = "node_modules"

// base returns the last element of a slash-separated path.
func base(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// inNodeModules reports whether a path has a node_modules folder among its
// directories.
func inNodeModules(p string) bool {
	return strings.HasPrefix(p, nodeModules+"/") || strings.Contains(p, "/"+nodeModules+"/")
}

// lockfile is the shared shape of the lockfile analyzers.
type lockfile struct {
	name    string
	version int
	typ     string
	files   []string
	parse   func(io.Reader) ([]model.Package, error)
}

func (a *lockfile) Name() string { return a.name }
func (a *lockfile) Version() int { return a.version }

// Required wants the lockfile names outside node_modules (npm's hidden
// node_modules/.package-lock.json and lockfiles shipped inside installed
// packages are not the project's).
func (a *lockfile) Required(path string, _ fs.FileInfo) bool {
	b := base(path)
	for _, f := range a.files {
		if b == f {
			return !inNodeModules(path)
		}
	}
	return false
}

func (a *lockfile) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	pkgs, err := a.parse(bytes.NewReader(in.Content))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Path, err)
	}
	return result(a.typ, in.Path, pkgs), nil
}

func result(typ, path string, pkgs []model.Package) *analyze.Result {
	if len(pkgs) == 0 {
		return nil
	}
	return &analyze.Result{Applications: []analyze.PackageSet{{Type: typ, FilePath: path, Packages: pkgs}}}
}
