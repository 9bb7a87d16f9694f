// Package nodejs holds the analyzers for JavaScript packages: lockfiles of
// npm, yarn and pnpm (for fs and repo targets) and the package.json files of
// installed packages under node_modules (for image and rootfs targets).
package nodejs

import (
	"strings"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/analyze/lang/lockfile"
	"github.com/trawlsec/trawl/pkg/model"
)

const nodeModules = "node_modules"

// inNodeModules reports whether a path has a node_modules folder among its
// directories.
func inNodeModules(p string) bool {
	return strings.HasPrefix(p, nodeModules+"/") || strings.Contains(p, "/"+nodeModules+"/")
}

// named matches the lockfile names outside node_modules (npm's hidden
// node_modules/.package-lock.json and lockfiles shipped inside installed
// packages are not the project's).
func named(files ...string) func(path string) bool {
	return func(path string) bool {
		b := lockfile.Base(path)
		for _, f := range files {
			if b == f {
				return !inNodeModules(path)
			}
		}
		return false
	}
}

func result(typ, path string, pkgs []model.Package) *analyze.Result {
	if len(pkgs) == 0 {
		return nil
	}
	return &analyze.Result{Applications: []analyze.PackageSet{{Type: typ, FilePath: path, Packages: pkgs}}}
}
