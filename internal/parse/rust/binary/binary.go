// Package binary reads the dependency list that cargo auditable embeds in
// Rust executables: a zlib-compressed JSON document in the ".dep-v0" section
// of ELF, PE and Mach-O files.
//
// The parser is pure: it reads the bytes it is given through an io.ReaderAt,
// never executes the binary and never reaches the network. Decompression is
// bounded (MaxDecompressedSize) against zlib bombs.
package binary

import (
	"bytes"
	"compress/zlib"
	"context"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/trawlsec/trawl/pkg/model"
)

// Ecosystem is the OSV ecosystem of Rust crates.
const Ecosystem = model.EcosystemCratesIO

// SectionName is the section cargo auditable writes (ELF, PE and Mach-O
// __DATA alike).
const SectionName = ".dep-v0"

const (
	// MaxCompressedSize bounds the section read from the file.
	MaxCompressedSize = 4 << 20
	// MaxDecompressedSize bounds the JSON document after decompression;
	// cargo auditable itself refuses documents over 8 MiB.
	MaxDecompressedSize = 8 << 20
)

var (
	// ErrNotExecutable reports content that is not an ELF, PE or Mach-O file.
	ErrNotExecutable = errors.New("trawl/rust/binary: not an ELF, PE or Mach-O executable")
	// ErrNoAuditData reports an executable without a .dep-v0 section.
	ErrNoAuditData = errors.New("trawl/rust/binary: no cargo auditable data")
	// ErrTooLarge reports audit data over the size limits.
	ErrTooLarge = errors.New("trawl/rust/binary: cargo auditable data too large")
)

// auditInfo is the cargo auditable JSON document (format version 0).
type auditInfo struct {
	Packages []auditPackage `json:"packages"`
}

type auditPackage struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	// Source is "crates.io", "local", "git", "registry" or "other".
	Source string `json:"source"`
	// Kind is "runtime" (the default when absent) or "build".
	Kind         string `json:"kind"`
	Dependencies []int  `json:"dependencies"`
	Root         bool   `json:"root"`
}

// Parse reads the cargo auditable data of the executable r and returns the
// crates linked into it, sorted by name and version. Build-time-only crates
// (kind "build": build scripts, proc macros) are left out, as they are not in
// the binary. The root crate has relationship root, the crates it depends on
// direct, all others indirect; DependsOn follows the recorded graph.
//
// Content that is not an executable returns ErrNotExecutable, an executable
// without audit data ErrNoAuditData. A panic inside the standard library's
// executable readers on hostile input is returned as an error.
func Parse(ctx context.Context, r io.ReaderAt) (pkgs []model.Package, err error) {
	defer func() {
		if p := recover(); p != nil {
			pkgs, err = nil, fmt.Errorf("reading %s section: malformed executable: %v", SectionName, p)
		}
	}()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sec, err := section(r)
	if err != nil {
		return nil, err
	}
	compressed, err := io.ReadAll(io.LimitReader(sec, MaxCompressedSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s section: %w", SectionName, err)
	}
	if len(compressed) > MaxCompressedSize {
		return nil, ErrTooLarge
	}
	zr, err := zlib.NewReader(bytes.NewReader(compressed))
	if err != nil {
		return nil, fmt.Errorf("decompressing %s section: %w", SectionName, err)
	}
	defer zr.Close()
	doc, err := io.ReadAll(io.LimitReader(zr, MaxDecompressedSize+1))
	if err != nil {
		return nil, fmt.Errorf("decompressing %s section: %w", SectionName, err)
	}
	if len(doc) > MaxDecompressedSize {
		return nil, ErrTooLarge
	}
	var info auditInfo
	if err := json.Unmarshal(doc, &info); err != nil {
		return nil, fmt.Errorf("decoding %s section: %w", SectionName, err)
	}
	return packages(info.Packages), nil
}

// section returns a reader of the .dep-v0 section of an ELF, PE or Mach-O
// file.
func section(r io.ReaderAt) (io.Reader, error) {
	var head [4]byte
	n, _ := r.ReadAt(head[:], 0)
	h := head[:n]
	switch {
	case bytes.HasPrefix(h, []byte("\x7fELF")):
		f, err := elf.NewFile(r)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrNotExecutable, err)
		}
		s := f.Section(SectionName)
		if s == nil || s.Type == elf.SHT_NOBITS {
			return nil, ErrNoAuditData
		}
		return s.Open(), nil
	case bytes.HasPrefix(h, []byte("MZ")):
		f, err := pe.NewFile(r)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrNotExecutable, err)
		}
		s := f.Section(SectionName)
		if s == nil {
			return nil, ErrNoAuditData
		}
		// Size is the raw size, rounded up to the file alignment;
		// VirtualSize is what the linker wrote.
		size := int64(s.Size)
		if s.VirtualSize > 0 && int64(s.VirtualSize) < size {
			size = int64(s.VirtualSize)
		}
		return io.NewSectionReader(s, 0, size), nil
	case len(h) == 4 && isMachO(h):
		f, err := macho.NewFile(r)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrNotExecutable, err)
		}
		for _, s := range f.Sections {
			if s.Name == SectionName {
				return s.Open(), nil
			}
		}
		return nil, ErrNoAuditData
	}
	return nil, ErrNotExecutable
}

func isMachO(h []byte) bool {
	switch string(h) {
	case "\xfe\xed\xfa\xce", "\xfe\xed\xfa\xcf", "\xce\xfa\xed\xfe", "\xcf\xfa\xed\xfe":
		return true
	}
	return false
}

// packages converts the audit document's package list.
func packages(list []auditPackage) []model.Package {
	runtime := func(i int) bool {
		return i >= 0 && i < len(list) && list[i].Kind != "build" && list[i].Name != ""
	}
	direct := make([]bool, len(list))
	for _, p := range list {
		if !p.Root || p.Kind == "build" {
			continue
		}
		for _, d := range p.Dependencies {
			if runtime(d) {
				direct[d] = true
			}
		}
	}
	seen := map[string]int{}
	var pkgs []model.Package
	for i, p := range list {
		if !runtime(i) {
			continue
		}
		id := ID(p.Name, p.Version)
		rel := model.RelationshipIndirect
		switch {
		case p.Root:
			rel = model.RelationshipRoot
		case direct[i]:
			rel = model.RelationshipDirect
		}
		var deps []string
		for _, d := range p.Dependencies {
			if runtime(d) && d != i {
				deps = append(deps, ID(list[d].Name, list[d].Version))
			}
		}
		sort.Strings(deps)
		deps = compact(deps)
		if j, dup := seen[id]; dup {
			// The same crate twice (different sources): merge.
			q := &pkgs[j]
			if rel == model.RelationshipRoot || (rel == model.RelationshipDirect && q.Relationship == model.RelationshipIndirect) {
				q.Relationship = rel
			}
			q.DependsOn = compact(sortedUnion(q.DependsOn, deps))
			continue
		}
		seen[id] = len(pkgs)
		pkgs = append(pkgs, model.Package{
			ID:           id,
			Name:         p.Name,
			Version:      p.Version,
			Relationship: rel,
			DependsOn:    deps,
			Ecosystem:    Ecosystem,
		})
	}
	sort.SliceStable(pkgs, func(i, j int) bool {
		if pkgs[i].Name != pkgs[j].Name {
			return pkgs[i].Name < pkgs[j].Name
		}
		return pkgs[i].Version < pkgs[j].Version
	})
	return pkgs
}

// ID returns the package ID "name@version", or name alone without version.
func ID(name, version string) string {
	if version == "" {
		return name
	}
	return name + "@" + version
}

func sortedUnion(a, b []string) []string {
	out := append(append([]string(nil), a...), b...)
	sort.Strings(out)
	return out
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
