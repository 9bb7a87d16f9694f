// Package pkgdb builds the analyzer result of an OS package database that
// lists its packages' files (apk, rpm): the packages, the parser's warnings,
// and the files the database owns.
package pkgdb

import (
	"fmt"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/pkg/model"
)

// Result returns the result of analyzer for the database at path. Warnings
// (corrupt entries the parser skipped) become Result.Warnings; the rest of
// the database is still reported. All owned files go into one OwnedFiles
// for the whole database (Package left empty: it lists many owners), so
// that ownership keyed by database path sees every file; each package's own
// list stays in Package.InstalledFiles.
func Result[W fmt.Stringer](analyzer, pkgType, path string, pkgs []model.Package, warnings []W) *analyze.Result {
	res := &analyze.Result{}
	for _, w := range warnings {
		res.Warnings = append(res.Warnings, analyze.FileNote{Path: path, Analyzer: analyzer, Reason: w.String()})
	}
	if len(pkgs) == 0 {
		return res
	}
	res.OSPackages = []analyze.PackageSet{{Type: pkgType, FilePath: path, Packages: pkgs}}
	var files []string
	for _, p := range pkgs {
		files = append(files, p.InstalledFiles...)
	}
	if len(files) > 0 {
		res.Owned = []analyze.OwnedFiles{{FilePath: path, Files: files}}
	}
	return res
}
