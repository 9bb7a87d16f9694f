// Package apk is the analyzer for the Alpine package database,
// lib/apk/db/installed. Packages come out in Result.OSPackages (type
// model.TypeApk) with their InstalledFiles, and the same file lists in
// Result.Owned so language analyzers' results for OS-owned files can be
// dropped (one OwnedFiles for the whole database). Purls, which need the
// OS, are set in apply.
package apk

import (
	"bytes"
	"context"
	"fmt"
	"github.com/trawlsec/trawl/internal/analyze/os/pkgdb"
	"io/fs"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/parse/apk"
	"github.com/trawlsec/trawl/pkg/model"
)

const (
	version = 1

	installedFile = "lib/apk/db/installed"
)

// Analyzer reads the apk database. It keeps no state.
type Analyzer struct{}

// New returns the apk analyzer.
func New() *Analyzer { return &Analyzer{} }

// Name implements analyze.Analyzer.
func (*Analyzer) Name() string { return "apk" }

// Version implements analyze.Analyzer.
func (*Analyzer) Version() int { return version }

// Required implements analyze.Analyzer.
func (*Analyzer) Required(p string, info fs.FileInfo) bool {
	return p == installedFile && (info == nil || !info.IsDir())
}

// Analyze implements analyze.Analyzer. Corrupt stanzas become
// Result.Warnings; the rest of the database is still reported.
func (a *Analyzer) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	pkgs, warns, err := apk.Parse(bytes.NewReader(in.Content))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Path, err)
	}
	return pkgdb.Result(a.Name(), model.TypeApk, in.Path, pkgs, warns), nil
}
