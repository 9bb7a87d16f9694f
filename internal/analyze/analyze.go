// Package analyze defines the analyzer contract: a pure function of one file's
// path, metadata and content to typed results. The walker (internal/walk)
// decides which files an analyzer sees by asking Required, reads each wanted
// file once and hands the same bytes to every analyzer that asked for it.
//
// Analyzers never walk the filesystem, never reach the network and keep no
// state between calls; anything they need from elsewhere is resolved later,
// in internal/apply.
package analyze

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"path"
	"strings"
	"testing/fstest"

	"github.com/trawlsec/trawl/pkg/inventory"
	"github.com/trawlsec/trawl/pkg/model"
)

// Input is one file handed to an analyzer.
type Input struct {
	// Path is slash-separated and relative to the artifact root, with no
	// leading slash ("var/lib/dpkg/status").
	Path string
	// Info describes the file (size, mode). It may be a synthetic FileInfo
	// for files read from a tar stream.
	Info fs.FileInfo
	// Content is the whole file. Files over the walker's in-memory cap are
	// handed only to RandomAccess analyzers, through ReaderAt, with
	// Content nil.
	Content []byte
	// ReaderAt, when set, reads a file too large to hold in memory: from
	// the disk, or from a temp file the walker spilled a layer's entry
	// to. It is valid only during the Analyze call. Only RandomAccess
	// analyzers are ever given one.
	ReaderAt io.ReaderAt
	// Size is the file's size: the bytes ReaderAt reads, or len(Content).
	Size int64
}

// View returns random access to the file and its size: ReaderAt when the
// file came that way, a reader over Content otherwise.
func (in Input) View() (io.ReaderAt, int64) {
	if in.ReaderAt != nil {
		return in.ReaderAt, in.Size
	}
	return bytes.NewReader(in.Content), int64(len(in.Content))
}

// RandomAccess is implemented by analyzers that can read a file through
// Input.ReaderAt, touching only the parts they need (executables:
// debug/elf, debug/pe, debug/macho and debug/buildinfo read headers and
// a few sections). The walker hands them files over its in-memory cap
// that way instead of skipping them, up to the smaller of
// MaxRandomAccessSize and its own random-access cap; smaller files still
// come as Content. Such an analyzer reads the file through Input.View.
type RandomAccess interface {
	// MaxRandomAccessSize is the largest file the analyzer accepts
	// through ReaderAt.
	MaxRandomAccessSize() int64
}

// Analyzer turns files into results.
type Analyzer interface {
	// Name is a short stable identifier ("dpkg", "os-release").
	Name() string
	// Version changes whenever the analyzer's output for the same input
	// changes; it is part of the layer cache key.
	Version() int
	// Required reports whether the analyzer wants the file. It must be
	// cheap: string comparisons only, no I/O, no regular expressions.
	Required(path string, info fs.FileInfo) bool
	// Analyze reads one file. An error means this file could not be
	// analysed; the scan records it and goes on.
	Analyze(ctx context.Context, in Input) (*Result, error)
}

// EntryAnalyzer is implemented by analyzers that look at entries which
// are not regular files: directories, character and block devices, and
// FIFOs (the forensics analyzer: a device node planted outside dev/, a
// world-writable directory without the sticky bit). The walker asks
// RequiredEntry for each such entry (info carries the mode; for a layer
// the tar header is info.Sys()) and calls AnalyzeEntry at once, with no
// content, on the walking goroutine: it must be as cheap as Required.
// Symlinks, hard links and sockets are not entries of this kind; skip
// globs and the per-layer entry cap apply as to files.
type EntryAnalyzer interface {
	RequiredEntry(path string, info fs.FileInfo) bool
	AnalyzeEntry(ctx context.Context, path string, info fs.FileInfo) (*Result, error)
}

// IsEntryMode reports whether m is the mode of an entry EntryAnalyzers
// are asked about: a directory, a device or a FIFO.
func IsEntryMode(m fs.FileMode) bool {
	return m.IsDir() || m&(fs.ModeDevice|fs.ModeCharDevice|fs.ModeNamedPipe) != 0
}

// Joiner is implemented by analyzers of lockfiles that a project file
// beside them completes: yarn.lock's direct dependencies are named in
// package.json, poetry.lock's in pyproject.toml. The walker keeps the
// companion files of one layer (or directory) and, once the layer is read,
// calls Join for every package set of the joiner's type that has its
// companion in the same directory, whatever order the files came in.
type Joiner interface {
	// PackageType is the PackageSet.Type the joiner completes.
	PackageType() string
	// Companion is the base name of the completing file ("package.json").
	Companion() string
	// Join completes set from the companion's content.
	Join(set *PackageSet, companion []byte) error
}

// PostAnalyzer is implemented by analyzers of formats that need several
// files of the artifact at once (a pom.xml with its parent POMs and a local
// Maven repository, a *.csproj with the Directory.Packages.props above it,
// go.mod with go.sum), as Trivy's post-analyzers are.
//
// The walker asks Required for every file as it does for analyzers, keeps
// the wanted files of one layer (or directory) in memory, bounded by
// MaxPostSize per post-analyzer and by the walker's per-file cap, and once
// the layer is read calls PostAnalyze once with an in-memory, read-only
// fs.FS that holds exactly those files at their artifact-relative paths.
//
// A post-analyzer goes into the same analyzer list as the others, so it
// also implements Analyzer; the walker never calls its Analyze, which is
// there for callers holding one file (see AnalyzeOne).
type PostAnalyzer interface {
	Name() string
	Version() int
	Required(path string, info fs.FileInfo) bool
	// PostAnalyze reads the collected files. Files it cannot read are
	// Result.Warnings; an error means nothing could be analysed.
	PostAnalyze(ctx context.Context, files fs.FS) (*Result, error)
}

// MaxPostSize caps the bytes the walker keeps for one post-analyzer in one
// layer; wanted files beyond it are skipped and listed as such.
const MaxPostSize = 64 << 20

// AnalyzeOne runs a post-analyzer on one file, as if the artifact held
// nothing else: the Analyze of a PostAnalyzer.
func AnalyzeOne(ctx context.Context, p PostAnalyzer, in Input) (*Result, error) {
	f := &fstest.MapFile{Data: in.Content}
	if in.Info != nil {
		f.Mode = in.Info.Mode().Perm()
		f.ModTime = in.Info.ModTime()
	}
	name := strings.TrimLeft(path.Clean("/"+in.Path), "/")
	if !fs.ValidPath(name) || name == "." {
		name = "file" // an empty path: only the content counts
	}
	return p.PostAnalyze(ctx, fstest.MapFS{name: f})
}

// MarkDirect sets the Relationship of packages named in direct to direct and
// of the others to indirect. Packages whose relationship the lockfile already
// states (root, workspace) keep it. dev names the project's development
// dependencies: they, and everything reachable through DependsOn only from
// them (not from a production dependency), are marked Dev.
func MarkDirect(pkgs []model.Package, direct, dev map[string]bool) {
	byID := model.IndexByID(pkgs)
	reach := func(roots func(p *model.Package) bool) map[int]bool {
		var starts []int
		for i := range pkgs {
			if roots(&pkgs[i]) {
				starts = append(starts, i)
			}
		}
		return model.Reachable(pkgs, byID, starts, nil)
	}
	var prod, devReach map[int]bool
	if len(dev) > 0 {
		prod = reach(func(p *model.Package) bool { return direct[p.Name] && !dev[p.Name] })
		devReach = reach(func(p *model.Package) bool { return dev[p.Name] })
	}
	for i := range pkgs {
		p := &pkgs[i]
		switch p.Relationship {
		case model.RelationshipRoot, model.RelationshipWorkspace:
			continue
		}
		if direct[p.Name] {
			p.Relationship = model.RelationshipDirect
		} else {
			p.Relationship = model.RelationshipIndirect
		}
		if devReach[i] && !prod[i] {
			p.Dev = true
		}
	}
}

// Bulk is implemented by analyzers that read files in bulk, whatever their
// name (the secret scanner). The walker's per-layer total-size budget
// applies only to files that bulk analyzers alone want, so that a layer
// full of large text files can never starve the package databases.
type Bulk interface {
	Bulk() bool
}

// IsBulk reports whether a is a bulk analyzer.
func IsBulk(a Analyzer) bool {
	b, ok := a.(Bulk)
	return ok && b.Bulk()
}

// The result types are the wire types of pkg/inventory (the layer cache
// stores them, a server receives them); these aliases keep the analyzer
// contract readable.
type (
	// PackageSet is the packages one package database or lockfile holds.
	PackageSet = inventory.PackageSet
	// OwnedFiles lists files that belong to an OS package.
	OwnedFiles = inventory.OwnedFiles
	// PackageLicenses are licences a file outside the package database
	// states for an OS package.
	PackageLicenses = inventory.PackageLicenses
	// Secret is a secret found in a file, before layer attribution.
	Secret = inventory.Secret
	// Result is what an analyzer found in one file.
	Result = inventory.Result
	// OSInfo is an OS detection with its priority.
	OSInfo = inventory.OSInfo
	// LayerResult is everything the analyzers found in one layer.
	LayerResult = inventory.LayerResult
	// FileNote records a file that was skipped or failed, and why.
	FileNote = inventory.FileNote
	// ConfigFile is a configuration file kept for misconfiguration checks.
	ConfigFile = inventory.ConfigFile
)
