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

// Mod reads go.mod files (lockfile analyzer). go.sum is not read: for go
// versions before 1.17 the indirect dependencies only go.sum knows are
// therefore missing (see mod.ParseWithSum for a caller that has both files).
type Mod struct {
	opts mod.Options
}

// NewMod returns the go.mod analyzer with Trivy's default detection
// priority ("precise": no stdlib package from the go/toolchain directives).
func NewMod() *Mod { return &Mod{} }

// NewModComprehensive returns the go.mod analyzer that also reports the
// toolchain named in go.mod as package "stdlib" (Trivy's
// --detection-priority comprehensive).
func NewModComprehensive() *Mod { return &Mod{opts: mod.Options{Comprehensive: true}} }

// Name implements analyze.Analyzer.
func (*Mod) Name() string { return "gomod" }

// Version implements analyze.Analyzer. The comprehensive variant has its
// own version, as its output differs for the same input.
func (a *Mod) Version() int {
	if a.opts.Comprehensive {
		return 1001
	}
	return 1
}

// Required implements analyze.Analyzer: files named go.mod.
func (*Mod) Required(p string, info fs.FileInfo) bool {
	return path.Base(p) == "go.mod" && (info == nil || info.Mode().IsRegular())
}

// Analyze implements analyze.Analyzer.
func (a *Mod) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	pkgs, err := mod.Parse(ctx, bytes.NewReader(in.Content), a.opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Path, err)
	}
	if len(pkgs) == 0 {
		return nil, nil
	}
	return &analyze.Result{Applications: []analyze.PackageSet{{Type: model.TypeGoModule, FilePath: in.Path, Packages: pkgs}}}, nil
}

// Binary reads Go executables (ELF, PE, Mach-O), recognised by content.
type Binary struct{}

// NewBinary returns the Go binary analyzer.
func NewBinary() *Binary { return &Binary{} }

// Name implements analyze.Analyzer.
func (*Binary) Name() string { return "gobinary" }

// Version implements analyze.Analyzer.
func (*Binary) Version() int { return 1 }

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
	if !gobinary.HasExecutableMagic(in.Content) {
		return nil, nil
	}
	pkgs, err := gobinary.Parse(ctx, bytes.NewReader(in.Content))
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
