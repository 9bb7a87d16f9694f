// Package rust holds the Rust analyzers: Cargo reads Cargo.lock files (a
// lockfile analyzer, for fs and repo targets) and Binary reads the
// dependency list cargo auditable embeds in executables (for every target,
// images included). Both report packages of ecosystem "crates.io"; purls
// are set centrally, later.
package rust

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/trawlsec/trawl/internal/parse/exe"
	"io/fs"
	"path"

	"github.com/trawlsec/trawl/internal/analyze"
	rustbinary "github.com/trawlsec/trawl/internal/parse/rust/binary"
	"github.com/trawlsec/trawl/internal/parse/rust/cargo"
	"github.com/trawlsec/trawl/pkg/model"
)

// MinBinarySize is the smallest file Binary asks for.
const MinBinarySize = 512

// Cargo reads Cargo.lock files (lockfile analyzer).
type Cargo struct{}

// NewCargo returns the Cargo.lock analyzer.
func NewCargo() *Cargo { return &Cargo{} }

// Name implements analyze.Analyzer.
func (*Cargo) Name() string { return "cargo" }

// Version implements analyze.Analyzer. Version 2 marks Dev the crates only
// the Cargo.toml beside the lock file's [dev-dependencies] bring in.
func (*Cargo) Version() int { return 2 }

// Required implements analyze.Analyzer: files named Cargo.lock.
func (*Cargo) Required(p string, info fs.FileInfo) bool {
	return path.Base(p) == "Cargo.lock" && (info == nil || info.Mode().IsRegular())
}

// Analyze implements analyze.Analyzer.
func (*Cargo) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	pkgs, err := cargo.Parse(ctx, bytes.NewReader(in.Content))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Path, err)
	}
	if len(pkgs) == 0 {
		return nil, nil
	}
	return &analyze.Result{Applications: []analyze.PackageSet{{Type: model.TypeCargo, FilePath: in.Path, Packages: pkgs}}}, nil
}

// Binary reads Rust executables built with cargo auditable, recognised by
// content.
type Binary struct{}

// NewBinary returns the Rust binary analyzer.
func NewBinary() *Binary { return &Binary{} }

// Name implements analyze.Analyzer.
func (*Binary) Name() string { return "rustbinary" }

// Version implements analyze.Analyzer. Version 2 reads binaries over the
// walker's in-memory cap (analyze.RandomAccess), which version 1 never saw.
func (*Binary) Version() int { return 2 }

// MaxBinarySize is the largest executable Binary reads (through
// analyze.Input.ReaderAt when it is too large to hold in memory).
const MaxBinarySize = 2 << 30

// MaxRandomAccessSize implements analyze.RandomAccess: the executable
// parsers read headers and a few sections, so a large binary costs little
// memory.
func (*Binary) MaxRandomAccessSize() int64 { return MaxBinarySize }

// Required implements analyze.Analyzer: regular files of at least
// MinBinarySize bytes that are executable, have no extension or end in
// ".exe". Whether they carry audit data is decided on content in Analyze.
func (*Binary) Required(p string, info fs.FileInfo) bool {
	if info == nil || !info.Mode().IsRegular() || info.Size() < MinBinarySize {
		return false
	}
	if info.Mode().Perm()&0o111 != 0 {
		return true
	}
	switch path.Ext(p) {
	case "", ".exe", ".EXE":
		return true
	}
	return false
}

// Analyze implements analyze.Analyzer. Content that is not an executable,
// or an executable without cargo auditable data, gives no result and no
// error.
func (*Binary) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	r, _ := in.View()
	var head [4]byte
	n, _ := r.ReadAt(head[:], 0)
	if !exe.HasMagic(head[:n]) {
		return nil, nil
	}
	pkgs, err := rustbinary.Parse(ctx, r)
	switch {
	case errors.Is(err, rustbinary.ErrNotExecutable), errors.Is(err, rustbinary.ErrNoAuditData):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("%s: %w", in.Path, err)
	case len(pkgs) == 0:
		return nil, nil
	}
	return &analyze.Result{Applications: []analyze.PackageSet{{Type: model.TypeRustBinary, FilePath: in.Path, Packages: pkgs}}}, nil
}
