// Package cargo reads Cargo.lock files (format versions 1 to 4) into packages
// with their dependency graph and the line range of each [[package]] block.
//
// Relationships come from the lock file alone: packages without a source are
// local (the root crate, workspace members, path dependencies). A local
// package no other local package depends on is a root; the other local
// packages are reported as workspace members. Packages a local package
// depends on are direct, all others indirect.
//
// Where a crate comes from (crates.io or another registry, git, a local path)
// is kept in Crate.Source by ParseLock; Parse returns the packages only.
package cargo

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"github.com/trawlsec/trawl/pkg/model"
)

// Ecosystem is the OSV ecosystem of Rust crates.
const Ecosystem = model.EcosystemCratesIO

// maxFileSize bounds how much of a Cargo.lock is read.
const maxFileSize = 64 << 20

// Source kinds of a crate.
const (
	SourceRegistry = "registry" // crates.io or another registry (also sparse+)
	SourceGit      = "git"
	SourcePath     = "path" // no source: the root, workspace members, path dependencies
	SourceOther    = "other"
)

// Source says where a locked crate comes from.
type Source struct {
	// Kind is one of SourceRegistry, SourceGit, SourcePath, SourceOther.
	Kind string
	// Raw is the lock file's source string ("registry+https://…",
	// "git+https://…#rev"), empty for local packages.
	Raw string
}

// Crate is one [[package]] of a lock file.
type Crate struct {
	Package model.Package
	Source  Source
}

// Lock is a parsed Cargo.lock.
type Lock struct {
	// Version is the lock format version: 1 (no version key and a
	// [metadata] checksum table or long dependency strings) to 4.
	Version int
	Crates  []Crate
}

// lockFile mirrors the TOML document.
type lockFile struct {
	Version  int            `toml:"version"`
	Packages []lockPackage  `toml:"package"`
	Metadata map[string]any `toml:"metadata"`
	Root     *lockPackage   `toml:"root"`
}

type lockPackage struct {
	Name         string   `toml:"name"`
	Version      string   `toml:"version"`
	Source       string   `toml:"source"`
	Checksum     string   `toml:"checksum"`
	Dependencies []string `toml:"dependencies"`
}

// Parse reads a Cargo.lock and returns its packages sorted by name and
// version.
func Parse(ctx context.Context, r io.Reader) ([]model.Package, error) {
	l, err := ParseLock(ctx, r)
	if err != nil {
		return nil, err
	}
	pkgs := make([]model.Package, len(l.Crates))
	for i, c := range l.Crates {
		pkgs[i] = c.Package
	}
	return pkgs, nil
}

// ParseLock reads a Cargo.lock.
func ParseLock(ctx context.Context, r io.Reader) (*Lock, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading Cargo.lock: %w", err)
	}
	if len(data) > maxFileSize {
		//lint:ignore ST1005 the message starts with the file's name
		return nil, fmt.Errorf("Cargo.lock larger than %d bytes", maxFileSize)
	}
	var lf lockFile
	if err := toml.Unmarshal(data, &lf); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, col := de.Position()
			return nil, fmt.Errorf("parsing Cargo.lock at line %d column %d: %w", row, col, err)
		}
		return nil, fmt.Errorf("parsing Cargo.lock: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// v1 files put the root package in [root].
	all := lf.Packages
	if lf.Root != nil {
		all = append([]lockPackage{*lf.Root}, all...)
	}

	l := &Lock{Version: lf.Version}
	if l.Version == 0 {
		l.Version = 1
		if lf.Metadata == nil && !hasLongDependencies(all) {
			l.Version = 2
		}
	}

	locs := blockLines(data)
	if lf.Root != nil || len(locs) != len(lf.Packages) {
		// The block scan and the TOML document disagree (a "[[package]]"
		// inside a multi-line string, a [root] table): no locations rather
		// than wrong ones.
		locs = nil
	}

	// byName indexes crates for dependency resolution.
	byName := map[string][]int{}
	crates := make([]Crate, 0, len(all))
	deps := make([][]string, 0, len(all))
	seen := map[string]int{}
	for i, lp := range all {
		if lp.Name == "" {
			continue
		}
		id := lp.Name + "@" + lp.Version
		if lp.Version == "" {
			id = lp.Name
		}
		if _, dup := seen[id+" "+lp.Source]; dup {
			continue
		}
		seen[id+" "+lp.Source] = len(crates)
		p := model.Package{ID: id, Name: lp.Name, Version: lp.Version, Ecosystem: Ecosystem}
		if locs != nil {
			p.Locations = []model.Location{locs[i]}
		}
		byName[lp.Name] = append(byName[lp.Name], len(crates))
		crates = append(crates, Crate{Package: p, Source: sourceOf(lp.Source)})
		deps = append(deps, lp.Dependencies)
	}

	// Resolve dependency strings to crate indices.
	edges := make([][]int, len(crates))
	for i, ds := range deps {
		for _, d := range ds {
			if j, ok := resolve(d, crates, byName); ok && j != i {
				edges[i] = append(edges[i], j)
			}
		}
	}

	// Relationships: local crates nobody local depends on are roots.
	dependedOnByLocal := make([]bool, len(crates))
	for i, c := range crates {
		if c.Source.Kind != SourcePath {
			continue
		}
		for _, j := range edges[i] {
			dependedOnByLocal[j] = true
		}
	}
	for i := range crates {
		c := &crates[i]
		switch {
		case c.Source.Kind == SourcePath && !dependedOnByLocal[i]:
			c.Package.Relationship = model.RelationshipRoot
		case c.Source.Kind == SourcePath:
			c.Package.Relationship = model.RelationshipWorkspace
		case dependedOnByLocal[i]:
			c.Package.Relationship = model.RelationshipDirect
		default:
			c.Package.Relationship = model.RelationshipIndirect
		}
		ids := make([]string, 0, len(edges[i]))
		for _, j := range edges[i] {
			ids = append(ids, crates[j].Package.ID)
		}
		sort.Strings(ids)
		c.Package.DependsOn = compact(ids)
	}

	sort.SliceStable(crates, func(i, j int) bool {
		a, b := crates[i].Package, crates[j].Package
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Version < b.Version
	})
	l.Crates = crates
	return l, nil
}

// resolve finds the crate a dependency string names. Strings are "name"
// (v2+, when only one version is locked), "name version" or
// "name version (source)".
func resolve(dep string, crates []Crate, byName map[string][]int) (int, bool) {
	name, rest, _ := strings.Cut(strings.TrimSpace(dep), " ")
	version, source, _ := strings.Cut(strings.TrimSpace(rest), " ")
	source = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(source), "("), ")")
	cands := byName[name]
	match := -1
	for _, i := range cands {
		c := crates[i]
		if version != "" && c.Package.Version != version {
			continue
		}
		if source != "" && c.Source.Raw != source {
			continue
		}
		if match >= 0 {
			// Ambiguous; prefer the registry crate, as cargo writes the
			// source whenever two sources lock the same name and version.
			if crates[match].Source.Kind != SourceRegistry && c.Source.Kind == SourceRegistry {
				match = i
			}
			continue
		}
		match = i
	}
	return match, match >= 0
}

// sourceOf classifies a lock file source string.
func sourceOf(raw string) Source {
	kind := SourceOther
	switch {
	case raw == "":
		kind = SourcePath
	case strings.HasPrefix(raw, "registry+"), strings.HasPrefix(raw, "sparse+"):
		kind = SourceRegistry
	case strings.HasPrefix(raw, "git+"):
		kind = SourceGit
	}
	return Source{Kind: kind, Raw: raw}
}

// hasLongDependencies reports whether any dependency string carries a
// "(source)" part, which only format 1 always writes.
func hasLongDependencies(pkgs []lockPackage) bool {
	for _, p := range pkgs {
		for _, d := range p.Dependencies {
			if strings.Count(d, " ") >= 2 {
				return true
			}
		}
	}
	return false
}

// blockLines returns the line range of every [[package]] block in order: from
// its header to its last line that is neither blank nor a comment, before
// the next table header. Cargo.lock never starts a value line with "[", so
// every line that does is taken as a header.
func blockLines(data []byte) []model.Location {
	var (
		locs    []model.Location
		inBlock bool
		lineNum int
	)
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), maxFileSize)
	for sc.Scan() {
		lineNum++
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "["):
			header := line
			if i := strings.IndexByte(header, '#'); i >= 0 {
				header = header[:i]
			}
			inBlock = strings.ReplaceAll(strings.ReplaceAll(header, " ", ""), "\t", "") == "[[package]]"
			if inBlock {
				locs = append(locs, model.Location{StartLine: lineNum, EndLine: lineNum})
			}
		case line == "" || strings.HasPrefix(line, "#"):
		case inBlock:
			locs[len(locs)-1].EndLine = lineNum
		}
	}
	return locs
}

// compact removes adjacent duplicates from a sorted slice.
func compact(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	out := s[:1]
	for _, v := range s[1:] {
		if v != out[len(out)-1] {
			out = append(out, v)
		}
	}
	return out
}
