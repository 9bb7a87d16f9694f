// Package golang holds the Go analyzers: Mod reads go.mod files (a lockfile
// analyzer, for fs and repo targets) and Binary reads the build information
// of Go executables (for every target, images included). Both report
// packages of ecosystem "Go"; purls are set centrally, later.
package golang

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/trawlsec/trawl/internal/parse/exe"
	"io/fs"
	"path"

	"github.com/trawlsec/trawl/internal/analyze"
	gobinary "github.com/trawlsec/trawl/internal/parse/golang/binary"
	"github.com/trawlsec/trawl/internal/parse/golang/mod"
	"github.com/trawlsec/trawl/pkg/model"
)

// MinBinarySize is the smallest file Binary asks for; nothing smaller is a
// Go executable.
const MinBinarySize = 512

// Mod reads go.mod files (lockfile analyzer). It is an
// analyze.PostAnalyzer: it also collects go.sum files, and for a go.mod of
// a go version before 1.17 (mod.NeedsSum) adds the modules only the go.sum
// beside it lists, as indirect dependencies. With a vendor directory
// beside the go.mod (vendor/modules.txt), it also reads the licence files
// of the vendored modules and sets the packages' Licenses from them; with
// a module cache (WithModCache), those of the other modules from there.
type Mod struct {
	opts mod.Options
	// modCache is the Go module cache whose module directories give the
	// licences of modules not vendored; "" for none.
	modCache string
}

// NewMod returns the go.mod analyzer with Trivy's default detection
// priority ("precise": no stdlib package from the go/toolchain directives).
func NewMod() *Mod { return &Mod{} }

// NewModComprehensive returns the go.mod analyzer that also reports the
// toolchain named in go.mod as package "stdlib" (Trivy's
// --detection-priority comprehensive).
func NewModComprehensive() *Mod { return &Mod{opts: mod.Options{Comprehensive: true}} }

// WithModCache returns a copy of the analyzer that also reads the licence
// files of the modules in the Go module cache dir ("" for none; see
// DefaultModCache). The caller chooses dir; the analyzer reads only below
// it.
func (a *Mod) WithModCache(dir string) *Mod {
	c := *a
	c.modCache = dir
	return &c
}

// Name implements analyze.Analyzer.
func (*Mod) Name() string { return "gomod" }

// Version implements analyze.Analyzer. The comprehensive variant has its
// own version, as its output differs for the same input.
func (a *Mod) Version() int {
	v := 3
	if a.opts.Comprehensive {
		v += 1000
	}
	if a.modCache != "" {
		v += 10000
	}
	return v
}

// Required implements analyze.PostAnalyzer: files named go.mod or go.sum,
// and below a vendor directory modules.txt and licence files.
func (*Mod) Required(p string, info fs.FileInfo) bool {
	b := path.Base(p)
	if (b == "go.mod" || b == "go.sum") && (info == nil || info.Mode().IsRegular()) {
		return true
	}
	return vendorFile(p, info)
}

// Analyze implements analyze.Analyzer for one go.mod on its own (no
// go.sum); the walker calls PostAnalyze instead.
func (a *Mod) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	if path.Base(in.Path) != "go.mod" {
		return nil, nil
	}
	pkgs, err := mod.Parse(ctx, bytes.NewReader(in.Content), a.opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Path, err)
	}
	if len(pkgs) == 0 {
		return nil, nil
	}
	return &analyze.Result{Applications: []analyze.PackageSet{{Type: model.TypeGoModule, FilePath: in.Path, Packages: pkgs}}}, nil
}

// PostAnalyze implements analyze.PostAnalyzer: one package set per go.mod,
// completed from the go.sum of the same directory when mod.NeedsSum, with
// the licences of the modules vendored beside it. A
// go.mod or go.sum that cannot be read is a warning.
func (a *Mod) PostAnalyze(ctx context.Context, files fs.FS) (*analyze.Result, error) {
	res := &analyze.Result{}
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || path.Base(p) != "go.mod" {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		pkgs, err := a.parse(ctx, files, p)
		if err != nil {
			res.Warnings = append(res.Warnings, analyze.FileNote{Path: p, Analyzer: a.Name(), Reason: err.Error()})
			return nil
		}
		if len(pkgs) > 0 {
			res.Applications = append(res.Applications, analyze.PackageSet{Type: model.TypeGoModule, FilePath: p, Packages: pkgs})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("go.mod post-analysis: %w", err)
	}
	if len(res.Applications) == 0 && len(res.Warnings) == 0 {
		return nil, nil
	}
	return res, nil
}

// parse reads the go.mod at p and, when it needs it, the go.sum beside it.
func (a *Mod) parse(ctx context.Context, files fs.FS, p string) ([]model.Package, error) {
	gomod, err := fs.ReadFile(files, p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	f, err := mod.ParseFile(ctx, bytes.NewReader(gomod), a.opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	pkgs := f.Packages
	if f.NeedsSum() {
		if pkgs, err = a.mergeSum(ctx, files, p, f); err != nil {
			return nil, err
		}
	}
	if err := vendorLicenses(files, path.Dir(p), pkgs); err != nil {
		return nil, fmt.Errorf("%s: vendored licences: %w", p, err)
	}
	if err := modCacheLicenses(a.modCache, pkgs); err != nil {
		return nil, fmt.Errorf("%s: module cache licences: %w", p, err)
	}
	return pkgs, nil
}

// mergeSum completes f, read from the go.mod at p, from the go.sum beside it.
func (a *Mod) mergeSum(ctx context.Context, files fs.FS, p string, f *mod.File) ([]model.Package, error) {
	sumPath := path.Join(path.Dir(p), "go.sum")
	gosum, err := fs.ReadFile(files, sumPath)
	if errors.Is(err, fs.ErrNotExist) {
		return f.Packages, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", sumPath, err)
	}
	sum, err := mod.ParseSum(ctx, bytes.NewReader(gosum))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", sumPath, err)
	}
	return mod.MergeSum(f, sum), nil
}

// Binary reads Go executables (ELF, PE, Mach-O), recognised by content.
type Binary struct{}

// NewBinary returns the Go binary analyzer.
func NewBinary() *Binary { return &Binary{} }

// Name implements analyze.Analyzer.
func (*Binary) Name() string { return "gobinary" }

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
// ".exe". Whether they are Go executables is decided on content in Analyze.
func (*Binary) Required(p string, info fs.FileInfo) bool {
	return MaybeExecutable(p, info, MinBinarySize)
}

// Analyze implements analyze.Analyzer. Content that is not an executable,
// or an executable without Go build information, gives no result and no
// error.
func (*Binary) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	r, _ := in.View()
	var head [4]byte
	n, _ := r.ReadAt(head[:], 0)
	if !exe.HasMagic(head[:n]) {
		return nil, nil
	}
	pkgs, err := gobinary.Parse(ctx, r)
	switch {
	case errors.Is(err, gobinary.ErrNotExecutable), errors.Is(err, gobinary.ErrNotGoBinary):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("%s: %w", in.Path, err)
	case len(pkgs) == 0:
		return nil, nil
	}
	return &analyze.Result{Applications: []analyze.PackageSet{{Type: model.TypeGoBinary, FilePath: in.Path, Packages: pkgs}}}, nil
}

// MaybeExecutable is the cheap name-and-mode test for binary analyzers: a
// regular file of at least minSize bytes that has an execute bit, no
// extension, or the extension ".exe".
func MaybeExecutable(p string, info fs.FileInfo, minSize int64) bool {
	if info == nil || !info.Mode().IsRegular() || info.Size() < minSize {
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
