// Package rpm is the analyzer for RPM package databases (Berkeley DB,
// NDB and SQLite, under var/lib/rpm/ or usr/lib/sysimage/rpm/). Packages
// come out in Result.OSPackages (type model.TypeRPM) and the files of
// distribution-built packages in Result.Owned. Purls, which need the OS,
// are set in apply.
//
// The RPM reader needs the database as a file, so Analyze copies the
// content into a private temporary directory (os.TempDir) for the duration
// of the call.
package rpm

import (
	"bytes"
	"context"
	"fmt"
	"github.com/trawlsec/trawl/internal/analyze/os/pkgdb"
	"io/fs"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/parse/rpm"
	"github.com/trawlsec/trawl/pkg/model"
)

const version = 1

// Analyzer reads RPM databases. It keeps no state.
type Analyzer struct{}

// New returns the rpm analyzer.
func New() *Analyzer { return &Analyzer{} }

// Name implements analyze.Analyzer.
func (*Analyzer) Name() string { return "rpm" }

// Version implements analyze.Analyzer.
func (*Analyzer) Version() int { return version }

// Required implements analyze.Analyzer.
func (*Analyzer) Required(p string, info fs.FileInfo) bool {
	if info != nil && info.IsDir() {
		return false
	}
	switch p {
	case "var/lib/rpm/Packages", "usr/lib/sysimage/rpm/Packages", // Berkeley DB
		"var/lib/rpm/Packages.db", "usr/lib/sysimage/rpm/Packages.db", // NDB
		"var/lib/rpm/rpmdb.sqlite", "usr/lib/sysimage/rpm/rpmdb.sqlite": // SQLite
		return true
	}
	return false
}

// Analyze implements analyze.Analyzer.
func (a *Analyzer) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	pkgs, warns, err := rpm.Parse(bytes.NewReader(in.Content))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Path, err)
	}
	return pkgdb.Result(a.Name(), model.TypeRPM, in.Path, pkgs, warns), nil
}
