// Package npm parses npm's package-lock.json and npm-shrinkwrap.json
// (lockfile versions 1, 2 and 3) and the package.json files of installed
// packages under node_modules.
package npm

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/trawlsec/trawl/internal/parse/jsonpos"
	"github.com/trawlsec/trawl/pkg/model"
)

// Ecosystem is the OSV ecosystem of npm packages.
const Ecosystem = model.EcosystemNpm

const nodeModules = "node_modules"

// maxDepth bounds the nesting of lockfile v1 "dependencies" objects.
const maxDepth = 512

// ID returns the package ID npm packages use: name@version.
func ID(name, version string) string { return name + "@" + version }

// lockPackage is one entry of the "packages" object (lockfile v2 and v3).
type lockPackage struct {
	Name                 string            `json:"name"`
	Version              string            `json:"version"`
	Dependencies         map[string]string `json:"dependencies"`
	OptionalDependencies map[string]string `json:"optionalDependencies"`
	DevDependencies      map[string]string `json:"devDependencies"`
	PeerDependencies     map[string]string `json:"peerDependencies"`
	Resolved             string            `json:"resolved"`
	Dev                  bool              `json:"dev"`
	Link                 bool              `json:"link"`
	Workspaces           json.RawMessage   `json:"workspaces"`
	License              json.RawMessage   `json:"license"`
	Licenses             json.RawMessage   `json:"licenses"`

	loc model.Location
}

// v1Dep is one entry of a lockfile v1 "dependencies" object.
type v1Dep struct {
	name     string
	version  string
	dev      bool
	requires map[string]string
	deps     []*v1Dep
	loc      model.Location
}

// decoder walks a lockfile with encoding/json's token API and maps byte
// offsets to line numbers as it goes.
type decoder struct{ *jsonpos.Decoder }

// ParseLockfile reads a package-lock.json or npm-shrinkwrap.json. The root
// project itself is not reported. Packages of lockfile version 1 have
// Relationship "unknown" (that format does not say which dependencies are
// direct); for versions 2 and 3 the root package's dependencies are direct
// and everything else indirect.
func ParseLockfile(r io.Reader) ([]model.Package, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read lockfile: %w", err)
	}
	d := decoder{jsonpos.NewDecoder(data)}
	if err := d.expectDelim('{'); err != nil {
		return nil, err
	}
	var (
		version     int
		packages    map[string]*lockPackage
		v1          []*v1Dep
		hasPackages bool
	)
	for d.More() {
		key, err := d.Key()
		if err != nil {
			return nil, err
		}
		switch key {
		case "lockfileVersion":
			if err := d.Decode(&version); err != nil {
				return nil, fmt.Errorf("lockfileVersion: %w", err)
			}
		case "packages":
			hasPackages = true
			if packages, err = d.packages(); err != nil {
				return nil, fmt.Errorf("packages: %w", err)
			}
		case "dependencies":
			if hasPackages && version != 1 {
				if err := d.Skip(); err != nil {
					return nil, err
				}
				continue
			}
			if v1, err = d.v1Deps(0); err != nil {
				return nil, fmt.Errorf("dependencies: %w", err)
			}
		default:
			if err := d.Skip(); err != nil {
				return nil, fmt.Errorf("%s: %w", key, err)
			}
		}
	}
	if err := d.expectDelim('}'); err != nil {
		return nil, err
	}
	var set *pkgSet
	if version == 1 || (!hasPackages && v1 != nil) {
		set = newPkgSet()
		parseV1(set, v1, map[string]string{})
	} else {
		set = parseV2(packages)
	}
	return set.list(), nil
}

func (d *decoder) expectDelim(want json.Delim) error {
	tok, err := d.Token()
	if err != nil {
		return fmt.Errorf("malformed JSON at byte %d: %w", d.Offset(), err)
	}
	if got, ok := tok.(json.Delim); !ok || got != want {
		return fmt.Errorf("malformed lockfile at line %d: expected %q, found %v", d.Line(d.Offset()), want, tok)
	}
	return nil
}

func (d *decoder) packages() (map[string]*lockPackage, error) {
	if err := d.expectDelim('{'); err != nil {
		return nil, err
	}
	pkgs := make(map[string]*lockPackage)
	for d.More() {
		key, err := d.Key()
		if err != nil {
			return nil, err
		}
		start := d.StartLine()
		p := &lockPackage{}
		if err := d.Decode(p); err != nil {
			return nil, fmt.Errorf("%q (line %d): %w", key, start, err)
		}
		p.loc = model.Location{StartLine: start, EndLine: d.EndLine()}
		pkgs[key] = p
	}
	return pkgs, d.expectDelim('}')
}

func (d *decoder) v1Deps(depth int) ([]*v1Dep, error) {
	if depth > maxDepth {
		return nil, errors.New("dependencies nested too deeply")
	}
	if err := d.expectDelim('{'); err != nil {
		return nil, err
	}
	var deps []*v1Dep
	for d.More() {
		name, err := d.Key()
		if err != nil {
			return nil, err
		}
		dep := &v1Dep{name: name}
		dep.loc.StartLine = d.StartLine()
		if err := d.expectDelim('{'); err != nil {
			return nil, fmt.Errorf("%q: %w", name, err)
		}
		for d.More() {
			field, err := d.Key()
			if err != nil {
				return nil, err
			}
			switch field {
			case "version":
				err = d.Decode(&dep.version)
			case "dev":
				err = d.Decode(&dep.dev)
			case "requires":
				err = d.Decode(&dep.requires)
			case "dependencies":
				dep.deps, err = d.v1Deps(depth + 1)
			default:
				err = d.Skip()
			}
			if err != nil {
				return nil, fmt.Errorf("%q (line %d) %s: %w", name, dep.loc.StartLine, field, err)
			}
		}
		if err := d.expectDelim('}'); err != nil {
			return nil, err
		}
		dep.loc.EndLine = d.EndLine()
		deps = append(deps, dep)
	}
	return deps, d.expectDelim('}')
}

// pkgSet collects packages by ID, merging duplicates the way npm's tree
// allows them (the same name@version installed at several paths).
type pkgSet struct {
	byID  map[string]*model.Package
	order []string
}

func newPkgSet() *pkgSet { return &pkgSet{byID: make(map[string]*model.Package)} }

func (s *pkgSet) add(p model.Package) {
	old, ok := s.byID[p.ID]
	if !ok {
		s.byID[p.ID] = &p
		s.order = append(s.order, p.ID)
		return
	}
	old.Dev = old.Dev && p.Dev
	if p.Relationship == model.RelationshipDirect {
		old.Relationship = model.RelationshipDirect
	}
	old.Locations = append(old.Locations, p.Locations...)
	old.DependsOn = append(old.DependsOn, p.DependsOn...)
	if len(old.Licenses) == 0 {
		old.Licenses = p.Licenses
	}
}

// list returns the packages sorted by name and version, with sorted,
// de-duplicated DependsOn and Locations.
func (s *pkgSet) list() []model.Package {
	out := make([]model.Package, 0, len(s.byID))
	for _, id := range s.order {
		p := s.byID[id]
		slices.Sort(p.DependsOn)
		p.DependsOn = slices.Compact(p.DependsOn)
		if len(p.DependsOn) == 0 {
			p.DependsOn = nil
		}
		slices.SortFunc(p.Locations, func(a, b model.Location) int {
			if a.StartLine != b.StartLine {
				return a.StartLine - b.StartLine
			}
			return a.EndLine - b.EndLine
		})
		p.Locations = slices.Compact(p.Locations)
		out = append(out, *p)
	}
	slices.SortFunc(out, func(a, b model.Package) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.Version, b.Version)
	})
	return out
}

func parseV1(set *pkgSet, deps []*v1Dep, versions map[string]string) {
	// Versions at this level shadow those of enclosing levels.
	for _, d := range deps {
		versions[d.name] = d.version
	}
	for _, d := range deps {
		if d.version == "" {
			continue
		}
		p := model.Package{
			ID:           ID(d.name, d.version),
			Name:         d.name,
			Version:      d.version,
			Ecosystem:    Ecosystem,
			Dev:          d.dev,
			Relationship: model.RelationshipUnknown,
			Locations:    []model.Location{d.loc},
		}
		for _, req := range slices.Sorted(maps.Keys(d.requires)) {
			if nested := findV1(d.deps, req); nested != nil && nested.version != "" {
				p.DependsOn = append(p.DependsOn, ID(req, nested.version))
			} else if v, ok := versions[req]; ok && v != "" {
				p.DependsOn = append(p.DependsOn, ID(req, v))
			}
		}
		set.add(p)
	}
	for _, d := range deps {
		if len(d.deps) > 0 {
			parseV1(set, d.deps, maps.Clone(versions))
		}
	}
}

func findV1(deps []*v1Dep, name string) *v1Dep {
	for _, d := range deps {
		if d.name == name {
			return d
		}
	}
	return nil
}

func parseV2(packages map[string]*lockPackage) *pkgSet {
	resolveLinks(packages)
	root := packages[""]
	direct := make(map[string]bool)
	if root != nil {
		for _, m := range []map[string]string{root.Dependencies, root.OptionalDependencies, root.DevDependencies, root.PeerDependencies} {
			for name := range m {
				direct[nodeModules+"/"+name] = true
			}
		}
	}
	set := newPkgSet()
	for _, pkgPath := range slices.Sorted(maps.Keys(packages)) {
		if !strings.HasPrefix(pkgPath, nodeModules+"/") {
			continue
		}
		lp := packages[pkgPath]
		if lp.Link || lp.Version == "" {
			// A link whose target is not in the lockfile, or a local
			// folder without a version, names no package to match.
			continue
		}
		name := lp.Name
		if name == "" {
			name = nameFromPath(pkgPath)
		}
		p := model.Package{
			ID:           ID(name, lp.Version),
			Name:         name,
			Version:      lp.Version,
			Ecosystem:    Ecosystem,
			Dev:          lp.Dev,
			Relationship: model.RelationshipIndirect,
			Licenses:     licenses(lp.License, lp.Licenses),
			Locations:    []model.Location{lp.loc},
		}
		if direct[pkgPath] {
			p.Relationship = model.RelationshipDirect
		}
		// npm builds its tree with optional and peer dependencies too.
		for _, m := range []map[string]string{lp.Dependencies, lp.OptionalDependencies, lp.PeerDependencies} {
			for dep := range m {
				if id, ok := findDependsOn(pkgPath, dep, packages); ok {
					p.DependsOn = append(p.DependsOn, id)
				}
			}
		}
		set.add(p)
	}
	return set
}

// resolveLinks moves the targets of "link": true entries (workspaces and
// file: dependencies) under node_modules, so that they are reported as
// packages, and makes workspace packages direct dependencies of the root.
// Links without a "resolved" target are dropped.
func resolveLinks(packages map[string]*lockPackage) {
	links := make(map[string]*lockPackage)
	for p, lp := range packages {
		if !lp.Link {
			continue
		}
		if lp.Resolved == "" {
			delete(packages, p)
			continue
		}
		links[p] = lp
	}
	if len(links) == 0 {
		return
	}
	root := packages[""]
	if root == nil {
		root = &lockPackage{}
		packages[""] = root
	}
	if root.Dependencies == nil {
		root.Dependencies = make(map[string]string)
	}
	workspaces := parseWorkspaces(root.Workspaces)
	linkPaths := slices.Sorted(maps.Keys(links))
	for _, pkgPath := range slices.Sorted(maps.Keys(packages)) {
		pkg := packages[pkgPath]
		for _, linkPath := range linkPaths {
			target := links[linkPath].Resolved
			if pkgPath != target && !strings.HasPrefix(pkgPath, target+"/") {
				continue
			}
			resolved := linkPath + pkgPath[len(target):]
			if resolved == pkgPath {
				break
			}
			if pkg.Resolved == "" {
				pkg.Resolved = target
			}
			packages[resolved] = pkg
			delete(packages, pkgPath)
			if isWorkspace(pkgPath, workspaces) {
				root.Dependencies[nameFromPath(linkPath)] = pkg.Version
			}
			break
		}
	}
}

func isWorkspace(pkgPath string, workspaces []string) bool {
	for _, w := range workspaces {
		if ok, err := path.Match(w, pkgPath); err == nil && ok {
			return true
		}
	}
	return false
}

// parseWorkspaces reads package.json's "workspaces": an array of globs, or
// an object whose "packages" member is that array.
func parseWorkspaces(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return list
	}
	var obj struct {
		Packages []string `json:"packages"`
	}
	if json.Unmarshal(raw, &obj) == nil {
		return obj.Packages
	}
	return nil
}

// findDependsOn resolves dependency dep of the package at pkgPath the way
// node does: the nearest node_modules folder upwards that holds it.
func findDependsOn(pkgPath, dep string, packages map[string]*lockPackage) (string, bool) {
	parts := strings.Split(pkgPath+"/"+nodeModules, "/")
	for i := len(parts) - 1; i >= 0; i-- {
		if parts[i] != nodeModules {
			continue
		}
		candidate := strings.Join(parts[:i+1], "/") + "/" + dep
		if lp, ok := packages[candidate]; ok {
			if lp.Link || lp.Version == "" {
				return "", false
			}
			return ID(dep, lp.Version), true
		}
	}
	return "", false
}

// nameFromPath returns the package name of a node_modules path:
// "node_modules/a/node_modules/@s/b" → "@s/b".
func nameFromPath(pkgPath string) string {
	if i := strings.LastIndex(pkgPath, nodeModules+"/"); i >= 0 {
		return pkgPath[i+len(nodeModules)+1:]
	}
	return pkgPath
}
