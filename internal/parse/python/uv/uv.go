// Package uv parses uv.lock files.
package uv

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"github.com/trawlsec/trawl/internal/parse/python/pypi"
	"github.com/trawlsec/trawl/pkg/model"
)

type lockfile struct {
	Packages []lockPackage `toml:"package"`
}

type lockPackage struct {
	Name                 string                  `toml:"name"`
	Version              string                  `toml:"version"`
	Source               map[string]any          `toml:"source"`
	Dependencies         []dependency            `toml:"dependencies"`
	OptionalDependencies map[string][]dependency `toml:"optional-dependencies"`
	DevDependencies      map[string][]dependency `toml:"dev-dependencies"`
}

type dependency struct {
	Name    string   `toml:"name"`
	Version string   `toml:"version"` // set when the name is locked at several versions
	Extra   []string `toml:"extra"`   // extras of the dependency that are wanted
}

// node is a package reached with some of its extras.
type node struct {
	pkg    int
	extras []string
}

// isRoot reports whether the package is the project itself (its source is
// the lockfile's own folder).
func (p *lockPackage) isRoot() bool {
	return p.Source["editable"] == "." || p.Source["virtual"] == "."
}

// Parse reads a uv.lock. The project package (source editable or virtual
// ".") is reported with Relationship "root"; its dependencies, optional
// dependencies (extras) and dev dependencies are direct, everything else
// indirect. Packages that only the root's dev dependency groups reach are
// Dev. Without a root package, everything is indirect and nothing is Dev.
// Packages without a version (dynamic workspace members) are not reported.
func Parse(r io.Reader) ([]model.Package, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read uv.lock: %w", err)
	}
	var lock lockfile
	if err := toml.NewDecoder(bytes.NewReader(data)).Decode(&lock); err != nil {
		return nil, fmt.Errorf("decode uv.lock: %w", err)
	}
	blocks := pypi.PackageBlocks(data)
	if len(blocks) != len(lock.Packages) {
		blocks = nil
	}
	byName := make(map[string][]int) // normalised name → indexes
	for i, p := range lock.Packages {
		if p.Name == "" {
			return nil, fmt.Errorf("uv.lock: package %d has no name", i+1)
		}
		n := pypi.Normalize(p.Name)
		byName[n] = append(byName[n], i)
	}
	targets := func(d dependency) []int {
		idx := byName[pypi.Normalize(d.Name)]
		if d.Version == "" {
			return idx
		}
		for _, i := range idx {
			if lock.Packages[i].Version == d.Version {
				return []int{i}
			}
		}
		return nil
	}

	// Walk the graph from the roots' production dependencies: their base
	// dependencies and all their extras, and for every package reached, its
	// base dependencies plus those of the extras it was asked for.
	prod := make([]bool, len(lock.Packages))
	seenExtra := make(map[string]bool)
	direct := make(map[int]bool)
	var stack []node
	hasRoot := false
	push := func(d dependency, markDirect bool) {
		for _, t := range targets(d) {
			if markDirect {
				direct[t] = true
			}
			stack = append(stack, node{pkg: t, extras: d.Extra})
		}
	}
	for i := range lock.Packages {
		p := &lock.Packages[i]
		if !p.isRoot() {
			continue
		}
		hasRoot = true
		prod[i] = true
		for _, d := range p.Dependencies {
			push(d, true)
		}
		for _, extra := range slices.Sorted(maps.Keys(p.OptionalDependencies)) {
			for _, d := range p.OptionalDependencies[extra] {
				push(d, true)
			}
		}
		for _, group := range p.DevDependencies {
			for _, d := range group {
				for _, t := range targets(d) {
					direct[t] = true
				}
			}
		}
	}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		p := &lock.Packages[n.pkg]
		if !prod[n.pkg] {
			prod[n.pkg] = true
			for _, d := range p.Dependencies {
				push(d, false)
			}
		}
		for _, extra := range n.extras {
			key := fmt.Sprintf("%d[%s]", n.pkg, extra)
			if seenExtra[key] {
				continue
			}
			seenExtra[key] = true
			for _, d := range p.OptionalDependencies[extra] {
				push(d, false)
			}
		}
	}

	var pkgs []model.Package
	for i, p := range lock.Packages {
		if p.Version == "" {
			continue
		}
		name := pypi.Normalize(p.Name)
		pkg := model.Package{
			ID: pypi.ID(name, p.Version), Name: strings.TrimSpace(p.Name), Version: p.Version,
			Ecosystem:    pypi.Ecosystem,
			Relationship: model.RelationshipIndirect,
			Dev:          hasRoot && !prod[i],
		}
		switch {
		case p.isRoot():
			pkg.Relationship = model.RelationshipRoot
		case direct[i]:
			pkg.Relationship = model.RelationshipDirect
		}
		if blocks != nil {
			pkg.Locations = []model.Location{blocks[i]}
		}
		// DependsOn: the base dependencies; for the root also its
		// extras and dev groups.
		deps := slices.Clone(p.Dependencies)
		if p.isRoot() {
			for _, extra := range p.OptionalDependencies {
				deps = append(deps, extra...)
			}
			for _, group := range p.DevDependencies {
				deps = append(deps, group...)
			}
		}
		for _, d := range deps {
			for _, t := range targets(d) {
				if v := lock.Packages[t].Version; v != "" {
					pkg.DependsOn = append(pkg.DependsOn, pypi.ID(pypi.Normalize(d.Name), v))
				}
			}
		}
		slices.Sort(pkg.DependsOn)
		pkg.DependsOn = slices.Compact(pkg.DependsOn)
		pkgs = append(pkgs, pkg)
	}
	slices.SortFunc(pkgs, func(a, b model.Package) int {
		if c := strings.Compare(pypi.Normalize(a.Name), pypi.Normalize(b.Name)); c != 0 {
			return c
		}
		return strings.Compare(a.Version, b.Version)
	})
	return pkgs, nil
}
