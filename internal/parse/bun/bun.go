// Package bun parses bun.lock, the text lockfile of the Bun JavaScript
// runtime (lockfileVersion 0 and 1; JSONC: JSON with comments and trailing
// commas). The binary bun.lockb is not read.
package bun

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/trawlsec/trawl/internal/parse/jsonpos"
	"github.com/trawlsec/trawl/internal/parse/npm"
	"github.com/trawlsec/trawl/pkg/model"
)

// Ecosystem is the OSV ecosystem of bun packages: npm's.
const Ecosystem = npm.Ecosystem

// ID returns the package ID: name@version.
func ID(name, version string) string { return name + "@" + version }

type workspace struct {
	Name                 string            `json:"name"`
	Version              string            `json:"version"`
	Dependencies         map[string]string `json:"dependencies"`
	DevDependencies      map[string]string `json:"devDependencies"`
	OptionalDependencies map[string]string `json:"optionalDependencies"`
	PeerDependencies     map[string]string `json:"peerDependencies"`
}

type meta struct {
	Dependencies         map[string]string `json:"dependencies"`
	OptionalDependencies map[string]string `json:"optionalDependencies"`
	PeerDependencies     map[string]string `json:"peerDependencies"`
}

type entry struct {
	key       string
	units     []string // the key split into package names
	name      string
	version   string
	workspace bool
	deps      []string
	loc       model.Location
	pkg       *model.Package
}

// Parse reads a bun.lock. Each entry of "packages" is a package, named and
// versioned by its first element ("name@version"); workspace members
// ("name@workspace:path") take the version their workspace declares and
// have Relationship "workspace". Packages the root workspace names are
// direct, the rest indirect. Packages reachable only through
// devDependencies are Dev. DependsOn follows node_modules resolution: a
// dependency of "a/b" is looked up as "a/b/dep", then "a/dep", then "dep".
// Locations span each entry.
func Parse(r io.Reader) ([]model.Package, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read bun.lock: %w", err)
	}
	data := plainJSON(raw)
	d := jsonpos.NewDecoder(data)
	if err := d.Object("bun.lock"); err != nil {
		return nil, err
	}
	var (
		workspaces map[string]workspace
		entries    []*entry
	)
	for d.More() {
		key, err := d.Key()
		if err != nil {
			return nil, err
		}
		switch key {
		case "workspaces":
			if err := d.Decode(&workspaces); err != nil {
				return nil, fmt.Errorf("bun.lock workspaces: %w", err)
			}
		case "packages":
			if entries, err = packages(d); err != nil {
				return nil, fmt.Errorf("bun.lock packages: %w", err)
			}
		default:
			if err := d.Skip(); err != nil {
				return nil, err
			}
		}
	}
	if err := d.End(); err != nil {
		return nil, err
	}
	members := make(map[string]workspace)
	for path, ws := range workspaces {
		if path != "" && ws.Name != "" {
			members[ws.Name] = ws
		}
	}
	byKey := make(map[string]*entry, len(entries))
	for _, e := range entries {
		byKey[e.key] = e
	}
	var pkgs []*model.Package
	for _, e := range entries {
		if e.workspace {
			ws := members[e.name]
			e.version = ws.Version
			for _, deps := range []map[string]string{ws.Dependencies, ws.OptionalDependencies, ws.PeerDependencies} {
				e.deps = append(e.deps, slices.Sorted(maps.Keys(deps))...)
			}
		}
		if e.version == "" {
			continue
		}
		e.pkg = &model.Package{
			ID: ID(e.name, e.version), Name: e.name, Version: e.version, Ecosystem: Ecosystem,
			Relationship: model.RelationshipIndirect, Locations: []model.Location{e.loc},
		}
		if e.workspace {
			e.pkg.Relationship = model.RelationshipWorkspace
		}
		pkgs = append(pkgs, e.pkg)
	}
	for _, e := range entries {
		if e.pkg == nil {
			continue
		}
		for _, dep := range e.deps {
			if t := resolve(byKey, e.units, dep); t != nil && t.pkg != nil && t != e {
				e.pkg.DependsOn = append(e.pkg.DependsOn, t.pkg.ID)
			}
		}
		slices.Sort(e.pkg.DependsOn)
		e.pkg.DependsOn = slices.Compact(e.pkg.DependsOn)
	}
	markRoots(byKey, workspaces)
	out := make([]model.Package, 0, len(pkgs))
	seen := make(map[string]bool, len(pkgs))
	slices.SortStableFunc(pkgs, func(a, b *model.Package) int { return strings.Compare(a.ID, b.ID) })
	for _, p := range pkgs {
		if !seen[p.ID] {
			seen[p.ID] = true
			out = append(out, *p)
		}
	}
	return out, nil
}

// markRoots sets direct and Dev from the workspaces' declared
// dependencies: prod roots are every workspace's dependencies, optional and
// peer dependencies; dev roots their devDependencies.
func markRoots(byKey map[string]*entry, workspaces map[string]workspace) {
	var prod, dev []*entry
	for _, path := range slices.Sorted(maps.Keys(workspaces)) {
		ws := workspaces[path]
		for i, m := range []map[string]string{ws.Dependencies, ws.OptionalDependencies, ws.PeerDependencies, ws.DevDependencies} {
			for _, name := range slices.Sorted(maps.Keys(m)) {
				e := byKey[name]
				if e == nil {
					continue
				}
				if i == 3 {
					dev = append(dev, e)
				} else {
					prod = append(prod, e)
				}
				if path == "" && e.pkg != nil && !e.workspace {
					e.pkg.Relationship = model.RelationshipDirect
				}
			}
		}
	}
	// Workspace members are part of the project, not dev tooling.
	for _, key := range slices.Sorted(maps.Keys(byKey)) {
		if byKey[key].workspace {
			prod = append(prod, byKey[key])
		}
	}
	inProd := reach(byKey, prod)
	inDev := reach(byKey, dev)
	for e := range inDev {
		if !inProd[e] && e.pkg != nil {
			e.pkg.Dev = true
		}
	}
}

// reach returns the entries reachable from roots.
func reach(byKey map[string]*entry, roots []*entry) map[*entry]bool {
	seen := make(map[*entry]bool)
	stack := slices.Clone(roots)
	for len(stack) > 0 {
		e := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[e] {
			continue
		}
		seen[e] = true
		for _, dep := range e.deps {
			if t := resolve(byKey, e.units, dep); t != nil && !seen[t] {
				stack = append(stack, t)
			}
		}
	}
	return seen
}

// resolve finds the entry a dependency of the package at units names,
// from the innermost node_modules outwards.
func resolve(byKey map[string]*entry, units []string, dep string) *entry {
	for i := len(units); i >= 0; i-- {
		key := dep
		if i > 0 {
			key = strings.Join(units[:i], "/") + "/" + dep
		}
		if e, ok := byKey[key]; ok {
			return e
		}
	}
	return nil
}

// splitKey splits a packages key into package names: "a/@s/b/c" →
// ["a", "@s/b", "c"].
func splitKey(key string) []string {
	segs := strings.Split(key, "/")
	var units []string
	for i := 0; i < len(segs); i++ {
		if strings.HasPrefix(segs[i], "@") && i+1 < len(segs) {
			units = append(units, segs[i]+"/"+segs[i+1])
			i++
			continue
		}
		units = append(units, segs[i])
	}
	return units
}

// nameVersion splits "name@version" at the last '@' that is not the
// first byte ("@types/bun@1.2.14" → "@types/bun", "1.2.14").
func nameVersion(s string) (name, version string, ok bool) {
	i := strings.LastIndexByte(s, '@')
	if i <= 0 || i == len(s)-1 {
		return "", "", false
	}
	return s[:i], s[i+1:], true
}

// newEntry reads one "key": ["name@version", …] entry.
func newEntry(key string, elems []json.RawMessage, loc model.Location) (*entry, error) {
	if len(elems) == 0 {
		return nil, errors.New("empty entry")
	}
	var spec string
	if err := json.Unmarshal(elems[0], &spec); err != nil {
		return nil, fmt.Errorf("first element: %w", err)
	}
	name, version, ok := nameVersion(spec)
	if !ok {
		return nil, nil
	}
	e := &entry{key: key, units: splitKey(key), name: name, version: version, loc: loc}
	if strings.HasPrefix(version, "workspace:") {
		e.workspace, e.version = true, ""
	}
	for _, el := range elems[1:] {
		if len(el) == 0 || el[0] != '{' {
			continue
		}
		var m meta
		if err := json.Unmarshal(el, &m); err != nil {
			return nil, fmt.Errorf("metadata: %w", err)
		}
		for _, deps := range []map[string]string{m.Dependencies, m.OptionalDependencies, m.PeerDependencies} {
			e.deps = append(e.deps, slices.Sorted(maps.Keys(deps))...)
		}
		break
	}
	return e, nil
}

// packages decodes the "packages" object: key → array entry.
func packages(d *jsonpos.Decoder) ([]*entry, error) {
	dl, err := d.Delim()
	if err != nil {
		return nil, err
	}
	if dl != '{' {
		return nil, fmt.Errorf("malformed JSON at byte %d: expected an object, found %v", d.Offset(), dl)
	}
	var out []*entry
	for d.More() {
		key, err := d.Key()
		if err != nil {
			return nil, err
		}
		start := d.StartLine()
		var elems []json.RawMessage
		if err := d.Decode(&elems); err != nil {
			return nil, fmt.Errorf("%q (line %d): %w", key, start, err)
		}
		loc := model.Location{StartLine: start, EndLine: d.EndLine()}
		e, err := newEntry(key, elems, loc)
		if err != nil {
			return nil, fmt.Errorf("%q (line %d): %w", key, start, err)
		}
		if e != nil {
			out = append(out, e)
		}
	}
	return out, d.End()
}
