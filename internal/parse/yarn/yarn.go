// Package yarn parses yarn.lock files: the classic format of Yarn 1 and the
// YAML format of Yarn Berry (2 and later).
package yarn

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/trawlsec/trawl/pkg/model"
)

// Ecosystem is the OSV ecosystem of yarn packages.
const Ecosystem = model.EcosystemNpm

const maxLine = 1 << 20

// block is one top-level entry of a yarn.lock.
type block struct {
	patterns   []string // normalised: name@range
	name       string
	rng        string // range of the first pattern, protocol included
	version    string
	resolution string
	deps       []string // normalised patterns
	loc        model.Location
}

// Parse reads a yarn.lock. Registry packages are reported, as are packages
// patched with the patch: protocol (under the name and version of the
// package they patch). Workspaces (workspace:), local folders (file:,
// link:, portal:), git and tarball URLs are not packages. Aliases
// ("alias@npm:real@^1") are reported under the real package name.
//
// Relationship: in Berry lockfiles the workspace entries list the project's
// own dependencies, which are direct, and everything else indirect; classic
// lockfiles do not say, so Relationship is "unknown" there.
func Parse(r io.Reader) ([]model.Package, error) {
	pkgs, _, err := parse(r)
	return pkgs, err
}

// parse is Parse that also returns the normalised pattern → ID map.
func parse(r io.Reader) ([]model.Package, map[string]string, error) {
	blocks, err := readBlocks(r)
	if err != nil {
		return nil, nil, err
	}
	patternID := make(map[string]string)
	var (
		pkgs       []model.Package
		index      = make(map[string]int)
		workspaces []*block
		pkgDeps    = make(map[string][]string) // ID → dependency patterns
	)
	for _, b := range blocks {
		kind, name := classify(b)
		switch kind {
		case kindWorkspace:
			workspaces = append(workspaces, b)
			continue
		case kindOther:
			continue
		}
		if b.version == "" {
			return nil, nil, fmt.Errorf("line %d: entry %q has no version", b.loc.StartLine, b.patterns[0])
		}
		id := name + "@" + b.version
		for _, p := range b.patterns {
			patternID[p] = id
		}
		pkgDeps[id] = append(pkgDeps[id], b.deps...)
		if i, ok := index[id]; ok {
			pkgs[i].Locations = append(pkgs[i].Locations, b.loc)
			continue
		}
		index[id] = len(pkgs)
		pkgs = append(pkgs, model.Package{
			ID: id, Name: name, Version: b.version, Ecosystem: Ecosystem,
			Relationship: model.RelationshipUnknown,
			Locations:    []model.Location{b.loc},
		})
	}
	direct := make(map[string]bool)
	for _, w := range workspaces {
		for _, d := range w.deps {
			if id, ok := patternID[d]; ok {
				direct[id] = true
			}
		}
	}
	for i := range pkgs {
		p := &pkgs[i]
		if len(workspaces) > 0 {
			p.Relationship = model.RelationshipIndirect
			if direct[p.ID] {
				p.Relationship = model.RelationshipDirect
			}
		}
		for _, d := range pkgDeps[p.ID] {
			if id, ok := patternID[d]; ok && id != p.ID {
				p.DependsOn = append(p.DependsOn, id)
			}
		}
		slices.Sort(p.DependsOn)
		p.DependsOn = slices.Compact(p.DependsOn)
	}
	slices.SortFunc(pkgs, func(a, b model.Package) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.Version, b.Version)
	})
	return pkgs, patternID, nil
}

// manifest is the dependency part of a package.json.
type manifest struct {
	Dependencies         map[string]string `json:"dependencies"`
	OptionalDependencies map[string]string `json:"optionalDependencies"`
	DevDependencies      map[string]string `json:"devDependencies"`
}

// ParseWithManifest reads a yarn.lock together with the package.json of
// the project, which says what the lockfile alone cannot: the entries that
// package.json's dependencies, optionalDependencies and devDependencies
// resolve to are direct, everything else indirect, and packages that only
// devDependencies lead to are Dev.
func ParseWithManifest(lock, packageJSON io.Reader) ([]model.Package, error) {
	pkgs, patternID, err := parse(lock)
	if err != nil {
		return nil, err
	}
	var m manifest
	if err := json.NewDecoder(packageJSON).Decode(&m); err != nil {
		return nil, fmt.Errorf("decode package.json: %w", err)
	}
	index := make(map[string]int, len(pkgs))
	for i, p := range pkgs {
		index[p.ID] = i
	}
	roots := func(deps ...map[string]string) []string {
		var ids []string
		for _, d := range deps {
			for name, rng := range d {
				if id, ok := patternID[normalise(name, rng)]; ok {
					ids = append(ids, id)
				}
			}
		}
		return ids
	}
	prodRoots := roots(m.Dependencies, m.OptionalDependencies)
	devRoots := roots(m.DevDependencies)
	prod := make(map[string]bool)
	for stack := slices.Clone(prodRoots); len(stack) > 0; {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if prod[id] {
			continue
		}
		prod[id] = true
		stack = append(stack, pkgs[index[id]].DependsOn...)
	}
	direct := make(map[string]bool)
	for _, id := range append(prodRoots, devRoots...) {
		direct[id] = true
	}
	for i := range pkgs {
		p := &pkgs[i]
		p.Relationship = model.RelationshipIndirect
		if direct[p.ID] {
			p.Relationship = model.RelationshipDirect
		}
		p.Dev = !prod[p.ID]
	}
	return pkgs, nil
}

type kind int

const (
	kindPackage kind = iota
	kindWorkspace
	kindOther
)

// classify tells what an entry is and returns the package name it stands
// for.
func classify(b *block) (kind, string) {
	name, rng := b.name, b.rng
	if b.resolution != "" {
		// Berry: the resolution is the truth ("real@npm:1.0.0" for an
		// alias, "x@patch:x@npm%3A1.0.0#…" for a patch).
		if n, r, ok := splitPattern(b.resolution); ok {
			name, rng = n, r
		}
	}
	proto, rest, hasProto := strings.Cut(rng, ":")
	if !hasProto || strings.ContainsAny(proto, " <>=^~|*") {
		return kindPackage, name // plain semver range or tag
	}
	switch proto {
	case "npm":
		// Classic alias: "alias@npm:real@^1.0.0".
		if n, _, ok := splitPattern(rest); ok && b.resolution == "" {
			name = n
		}
		return kindPackage, name
	case "patch":
		// "x@npm%3A1.0.0#…": the patched package.
		if n, _, ok := splitPattern(rest); ok {
			name = n
		}
		return kindPackage, name
	case "workspace":
		return kindWorkspace, name
	}
	return kindOther, name
}

// splitPattern splits "name@range" ("@scope/name@range") at the "@" that
// ends the name.
func splitPattern(p string) (name, rng string, ok bool) {
	if len(p) < 2 {
		return "", "", false
	}
	i := strings.IndexByte(p[1:], '@')
	if i < 0 {
		return "", "", false
	}
	return p[:i+1], p[i+2:], true
}

// normalise returns the lookup key of a dependency: name@range without the
// "npm:" protocol, so that Berry keys ("a@npm:^1") and dependency entries
// ("a: ^1") meet.
func normalise(name, rng string) string {
	return name + "@" + strings.TrimPrefix(rng, "npm:")
}

func unquote(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}

// readBlocks splits the lockfile into its top-level entries. The metadata
// entry of Berry files (__metadata) is dropped.
func readBlocks(r io.Reader) ([]*block, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	var (
		blocks  []*block
		cur     *block
		skip    bool   // inside __metadata
		section string // field whose sub-entries follow (dependencies…)
		n       int
	)
	for sc.Scan() {
		n++
		raw := strings.TrimRight(sc.Text(), "\r")
		trimmed := strings.TrimSpace(raw)
		if trimmed == "" || trimmed[0] == '#' {
			continue
		}
		indent := len(raw) - len(strings.TrimLeft(raw, " "))
		if indent == 0 {
			key, ok := strings.CutSuffix(trimmed, ":")
			if !ok {
				return nil, fmt.Errorf("line %d: expected an entry key ending in \":\", found %q", n, truncate(trimmed))
			}
			cur, section = nil, ""
			if skip = key == "__metadata"; skip {
				continue
			}
			b, err := newBlock(key, n)
			if err != nil {
				return nil, err
			}
			cur = b
			blocks = append(blocks, b)
			continue
		}
		if skip {
			continue
		}
		if cur == nil {
			return nil, fmt.Errorf("line %d: indented line outside any entry", n)
		}
		cur.loc.EndLine = n
		if indent <= 2 {
			field, value := splitField(trimmed)
			section = ""
			switch field {
			case "version":
				cur.version = unquote(value)
			case "resolution":
				cur.resolution = unquote(value)
			case "dependencies", "optionalDependencies":
				section = field
			}
			continue
		}
		if section != "" && indent <= 4 {
			name, value := splitField(trimmed)
			if name != "" && value != "" {
				cur.deps = append(cur.deps, normalise(name, unquote(value)))
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read yarn.lock line %d: %w", n+1, err)
	}
	return blocks, nil
}

func newBlock(key string, line int) (*block, error) {
	b := &block{loc: model.Location{StartLine: line, EndLine: line}}
	for i, p := range strings.Split(key, ",") {
		p = unquote(p)
		name, rng, ok := splitPattern(p)
		if !ok {
			return nil, fmt.Errorf("line %d: %q is not a name@range pattern", line, truncate(p))
		}
		if i == 0 {
			b.name, b.rng = name, rng
		}
		b.patterns = append(b.patterns, normalise(name, rng))
	}
	return b, nil
}

// splitField splits `name "value"` (classic) and `name: value` (Berry);
// names may be quoted.
func splitField(s string) (name, value string) {
	if strings.HasPrefix(s, `"`) {
		end := strings.IndexByte(s[1:], '"')
		if end < 0 {
			return "", ""
		}
		name, value = s[1:end+1], s[end+2:]
	} else {
		i := strings.IndexAny(s, ": ")
		if i < 0 {
			return s, ""
		}
		name, value = s[:i], s[i:]
	}
	value = strings.TrimSpace(strings.TrimPrefix(value, ":"))
	return name, value
}

func truncate(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}
