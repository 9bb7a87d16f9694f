package cargo

import (
	"fmt"
	"io"

	"github.com/pelletier/go-toml/v2"

	"github.com/trawlsec/trawl/pkg/model"
)

// Manifest is what a Cargo.toml says about the crates it depends on.
type Manifest struct {
	// Name is [package].name; empty for a virtual workspace manifest.
	Name string
	// Deps holds the crates named in [dependencies], [build-dependencies]
	// and their [target.'cfg(…)'] forms, by the name Cargo.lock writes
	// (the `package` key of a renamed dependency).
	Deps map[string]bool
	// DevDeps holds the crates named in [dev-dependencies] (and its target
	// forms), by the same names.
	DevDeps map[string]bool
}

type depTables struct {
	Dependencies      map[string]any `toml:"dependencies"`
	BuildDependencies map[string]any `toml:"build-dependencies"`
	BuildDeps         map[string]any `toml:"build_dependencies"`
	DevDependencies   map[string]any `toml:"dev-dependencies"`
	DevDeps           map[string]any `toml:"dev_dependencies"`
}

type manifestFile struct {
	Package struct {
		Name string `toml:"name"`
	} `toml:"package"`
	Dependencies      map[string]any       `toml:"dependencies"`
	BuildDependencies map[string]any       `toml:"build-dependencies"`
	BuildDeps         map[string]any       `toml:"build_dependencies"`
	DevDependencies   map[string]any       `toml:"dev-dependencies"`
	DevDeps           map[string]any       `toml:"dev_dependencies"`
	Target            map[string]depTables `toml:"target"`
}

// ParseManifest reads a Cargo.toml for its package name and dependency
// names.
func ParseManifest(r io.Reader) (*Manifest, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading Cargo.toml: %w", err)
	}
	if len(data) > maxFileSize {
		//lint:ignore ST1005 the message starts with the file's name
		return nil, fmt.Errorf("Cargo.toml larger than %d bytes", maxFileSize)
	}
	var mf manifestFile
	if err := toml.Unmarshal(data, &mf); err != nil {
		return nil, fmt.Errorf("parsing Cargo.toml: %w", err)
	}
	m := &Manifest{Name: mf.Package.Name, Deps: map[string]bool{}, DevDeps: map[string]bool{}}
	tables := []depTables{{
		Dependencies: mf.Dependencies, BuildDependencies: mf.BuildDependencies, BuildDeps: mf.BuildDeps,
		DevDependencies: mf.DevDependencies, DevDeps: mf.DevDeps,
	}}
	for _, t := range mf.Target {
		tables = append(tables, t)
	}
	for _, t := range tables {
		for _, deps := range []map[string]any{t.Dependencies, t.BuildDependencies, t.BuildDeps} {
			addDeps(m.Deps, deps)
		}
		for _, deps := range []map[string]any{t.DevDependencies, t.DevDeps} {
			addDeps(m.DevDeps, deps)
		}
	}
	return m, nil
}

// addDeps adds a dependency table's crate names to set: the key, or the
// `package` a renamed dependency names.
func addDeps(set map[string]bool, deps map[string]any) {
	for key, v := range deps {
		name := key
		if t, ok := v.(map[string]any); ok {
			if p, ok := t["package"].(string); ok && p != "" {
				name = p
			}
		}
		set[name] = true
	}
}

// MarkDev marks Dev the crates that only the manifest's development
// dependencies bring in: Cargo.lock lists a crate's dev-dependencies with
// its other dependencies, so it cannot tell them apart on its own. The
// crate the manifest describes is found by name among the local crates
// (root, workspace members); its lock edges to crates named only in
// [dev-dependencies] are development edges. Every crate reachable from a
// local crate through other edges is a production crate; the rest that the
// development edges reach are Dev. The dependency graph (DependsOn) is left
// as the lock file writes it.
func MarkDev(pkgs []model.Package, m *Manifest) {
	if m == nil || m.Name == "" || len(m.DevDeps) == 0 {
		return
	}
	byID := model.IndexByID(pkgs)
	local := func(p *model.Package) bool {
		return p.Relationship == model.RelationshipRoot || p.Relationship == model.RelationshipWorkspace
	}
	devEdge := func(from *model.Package, to int) bool {
		name := pkgs[to].Name
		return from.Name == m.Name && local(from) && m.DevDeps[name] && !m.Deps[name]
	}
	var locals, devStarts []int
	for i := range pkgs {
		p := &pkgs[i]
		if !local(p) {
			continue
		}
		locals = append(locals, i)
		for _, d := range p.DependsOn {
			if j, ok := byID[d]; ok && devEdge(p, j) {
				devStarts = append(devStarts, j)
			}
		}
	}
	prod := model.Reachable(pkgs, byID, locals, func(from *model.Package, to int) bool { return !devEdge(from, to) })
	for i := range model.Reachable(pkgs, byID, devStarts, nil) {
		if !prod[i] && !local(&pkgs[i]) {
			pkgs[i].Dev = true
		}
	}
}
