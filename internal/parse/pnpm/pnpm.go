// Package pnpm parses pnpm-lock.yaml files of lockfile versions 5, 6 and 9.
package pnpm

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/trawlsec/trawl/pkg/model"
)

// Ecosystem is the OSV ecosystem of pnpm packages.
const Ecosystem = model.EcosystemNpm

// ref is what an importer's dependency resolves to: a plain version string
// (v5) or a {specifier, version} mapping (v6 and v9).
type ref string

func (r *ref) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*r = ref(n.Value)
		return nil
	}
	var m struct {
		Version string `yaml:"version"`
	}
	if err := n.Decode(&m); err != nil {
		return err
	}
	*r = ref(m.Version)
	return nil
}

type importer struct {
	Dependencies         map[string]ref `yaml:"dependencies"`
	OptionalDependencies map[string]ref `yaml:"optionalDependencies"`
	DevDependencies      map[string]ref `yaml:"devDependencies"`
}

type pkgInfo struct {
	Name                 string            `yaml:"name"`
	Version              string            `yaml:"version"`
	Dev                  *bool             `yaml:"dev"`
	Dependencies         map[string]string `yaml:"dependencies"`
	OptionalDependencies map[string]string `yaml:"optionalDependencies"`
}

type lockfile struct {
	LockfileVersion any                 `yaml:"lockfileVersion"`
	Importers       map[string]importer `yaml:"importers"`
	importer        `yaml:",inline"`
	Packages        map[string]pkgInfo `yaml:"packages"`
	Snapshots       map[string]pkgInfo `yaml:"snapshots"`
}

// node is one resolved package instance (a dependency path: name, version
// and, since v6, the peers it was resolved with).
type node struct {
	id, name, version string
	info              pkgInfo
}

// Parse reads a pnpm-lock.yaml. When a file holds several YAML documents
// (pnpm writes its own package-manager lockfile first), the last one is the
// project's. The importers' (or, before workspaces, the top-level)
// dependencies are direct, the rest indirect; packages reached only
// through devDependencies are Dev. Packages from local folders (link:,
// file: folders) are not reported; tarballs are when they name their
// package and version.
func Parse(r io.Reader) ([]model.Package, error) {
	dec := yaml.NewDecoder(r)
	var doc *yaml.Node
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("decode pnpm-lock.yaml: %w", err)
		}
		if len(n.Content) > 0 {
			doc = &n
		}
	}
	if doc == nil {
		return nil, nil
	}
	lock, lines, err := decodeLockfile(doc)
	if err != nil {
		return nil, err
	}
	ver, err := lockVersion(lock.LockfileVersion)
	if err != nil {
		return nil, err
	}

	// Resolved instances: v9 keeps the graph in "snapshots", older
	// versions in "packages".
	graph := lock.Packages
	if ver >= 9 {
		graph = lock.Snapshots
	}
	nodes := make(map[string]*node, len(graph))
	for key, info := range graph {
		name, version := info.Name, info.Version
		if name == "" || version == "" {
			name, version = parseDepPath(key, ver)
			if ver >= 9 {
				// v9 keeps name and version of tarball packages in
				// "packages" under the snapshot's key without peers.
				if p, ok := lock.Packages[stripPeers(key)]; ok && p.Name != "" && p.Version != "" {
					name, version = p.Name, p.Version
				}
			}
		}
		if name == "" || version == "" {
			continue
		}
		if ver >= 9 && info.Dev == nil {
			info.Dev = lock.Packages[stripPeers(key)].Dev
		}
		nodes[key] = &node{id: name + "@" + version, name: name, version: version, info: info}
	}
	resolve := func(name, r string) (string, bool) {
		r = strings.TrimSpace(r)
		if r == "" || strings.HasPrefix(r, "link:") {
			return "", false
		}
		for _, key := range candidates(name, r, ver) {
			if _, ok := nodes[key]; ok {
				return key, true
			}
		}
		return "", false
	}

	// Roots.
	importers := lock.Importers
	if importers == nil {
		importers = map[string]importer{".": lock.importer}
	}
	var prodRoots, devRoots []string
	for _, imp := range importers {
		for _, m := range []map[string]ref{imp.Dependencies, imp.OptionalDependencies} {
			for name, r := range m {
				if key, ok := resolve(name, string(r)); ok {
					prodRoots = append(prodRoots, key)
				}
			}
		}
		for name, r := range imp.DevDependencies {
			if key, ok := resolve(name, string(r)); ok {
				devRoots = append(devRoots, key)
			}
		}
	}
	hasRoots := len(prodRoots)+len(devRoots) > 0
	direct := make(map[string]bool)
	for _, k := range append(slices.Clone(prodRoots), devRoots...) {
		direct[nodes[k].id] = true
	}
	prod := make(map[string]bool)
	stack := slices.Clone(prodRoots)
	for len(stack) > 0 {
		k := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if prod[k] {
			continue
		}
		prod[k] = true
		n := nodes[k]
		for _, m := range []map[string]string{n.info.Dependencies, n.info.OptionalDependencies} {
			for name, r := range m {
				if dk, ok := resolve(name, r); ok {
					stack = append(stack, dk)
				}
			}
		}
	}

	byID := make(map[string]*model.Package)
	for _, key := range slices.Sorted(maps.Keys(nodes)) {
		n := nodes[key]
		dev := n.info.Dev != nil && *n.info.Dev
		if hasRoots {
			dev = !prod[key]
		}
		p, ok := byID[n.id]
		if !ok {
			rel := model.RelationshipUnknown
			if hasRoots {
				rel = model.RelationshipIndirect
				if direct[n.id] {
					rel = model.RelationshipDirect
				}
			}
			p = &model.Package{ID: n.id, Name: n.name, Version: n.version, Ecosystem: Ecosystem,
				Relationship: rel, Dev: dev}
			byID[n.id] = p
		} else {
			p.Dev = p.Dev && dev
		}
		lkey := key
		if ver >= 9 {
			lkey = stripPeers(key)
		}
		if l, ok := lines[lkey]; ok && !slices.Contains(p.Locations, l) {
			p.Locations = append(p.Locations, l)
		}
		for _, m := range []map[string]string{n.info.Dependencies, n.info.OptionalDependencies} {
			for name, r := range m {
				if dk, ok := resolve(name, r); ok && nodes[dk].id != n.id {
					p.DependsOn = append(p.DependsOn, nodes[dk].id)
				}
			}
		}
	}
	out := make([]model.Package, 0, len(byID))
	for _, id := range slices.Sorted(maps.Keys(byID)) {
		p := byID[id]
		slices.Sort(p.DependsOn)
		p.DependsOn = slices.Compact(p.DependsOn)
		slices.SortFunc(p.Locations, func(a, b model.Location) int { return a.StartLine - b.StartLine })
		out = append(out, *p)
	}
	slices.SortFunc(out, func(a, b model.Package) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.Version, b.Version)
	})
	return out, nil
}

func lockVersion(v any) (float64, error) {
	switch v := v.(type) {
	case float64:
		return v, nil
	case int:
		return float64(v), nil
	case string:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return 0, fmt.Errorf("pnpm-lock.yaml: lockfileVersion %q is not a number", v)
		}
		return f, nil
	}
	return 0, fmt.Errorf("pnpm-lock.yaml: missing or invalid lockfileVersion %v", v)
}

// candidates lists the keys a dependency reference may have in the graph.
func candidates(name, r string, ver float64) []string {
	switch {
	case ver >= 9:
		// "1.0.0(peer@1)" → "name@1.0.0(peer@1)"; aliases are "real@1.0.0".
		return []string{name + "@" + r, r}
	case ver >= 6:
		return []string{"/" + name + "@" + r, r}
	default:
		return []string{"/" + name + "/" + r, r}
	}
}

// stripPeers drops the peer suffix of a v9 dependency path:
// "a@1.0.0(b@2.0.0)" → "a@1.0.0".
func stripPeers(key string) string {
	if i := strings.IndexByte(key, '('); i > 0 {
		return key[:i]
	}
	return key
}

// parseDepPath returns name and version of a dependency path:
// v5 "/@scope/name/1.0.0_peer@2", v6 "/@scope/name@1.0.0(peer@2)",
// v9 "@scope/name@1.0.0(peer@2)". Paths that do not end in a version
// (tarballs, git) yield empty strings.
func parseDepPath(key string, ver float64) (name, version string) {
	p := key
	if ver < 9 {
		// Drop the registry or the leading slash.
		_, p, _ = strings.Cut(p, "/")
	}
	var scope string
	if strings.HasPrefix(p, "@") {
		var ok bool
		scope, p, ok = strings.Cut(p, "/")
		if !ok {
			return "", ""
		}
	}
	sep := "@"
	if ver < 6 {
		sep = "/"
	}
	name, version, ok := strings.Cut(p, sep)
	if !ok || name == "" {
		return "", ""
	}
	if scope != "" {
		name = scope + "/" + name
	}
	if i := strings.IndexAny(version, "_("); i >= 0 {
		version = version[:i]
	}
	if version == "" || version[0] < '0' || version[0] > '9' || strings.ContainsAny(version, "/:") {
		return "", ""
	}
	return name, version
}

// decodeLockfile decodes the document. The big "packages" and
// "snapshots" maps are decoded entry by entry (yaml.v3 checks every key of
// a mapping against all earlier ones, which is quadratic on maps of
// thousands of entries), which also yields each package entry's lines.
func decodeLockfile(doc *yaml.Node) (*lockfile, map[string]model.Location, error) {
	root := doc
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return nil, nil, fmt.Errorf("pnpm-lock.yaml: line %d: the document is not a mapping", root.Line)
	}
	lock := &lockfile{}
	var lines map[string]model.Location
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		var err error
		switch k.Value {
		case "lockfileVersion":
			err = v.Decode(&lock.LockfileVersion)
		case "importers":
			err = v.Decode(&lock.Importers)
		case "dependencies":
			err = v.Decode(&lock.Dependencies)
		case "optionalDependencies":
			err = v.Decode(&lock.OptionalDependencies)
		case "devDependencies":
			err = v.Decode(&lock.DevDependencies)
		case "packages":
			lock.Packages, lines, err = decodeEntries(v)
		case "snapshots":
			lock.Snapshots, _, err = decodeEntries(v)
		}
		if err != nil {
			return nil, nil, fmt.Errorf("pnpm-lock.yaml: %s (line %d): %w", k.Value, k.Line, err)
		}
	}
	return lock, lines, nil
}

// decodeEntries decodes a map of dependency paths to package entries and
// returns the line range of each entry.
func decodeEntries(m *yaml.Node) (map[string]pkgInfo, map[string]model.Location, error) {
	if m.Kind == yaml.ScalarNode && m.Tag == "!!null" {
		return nil, nil, nil
	}
	if m.Kind != yaml.MappingNode {
		return nil, nil, fmt.Errorf("line %d: not a mapping", m.Line)
	}
	infos := make(map[string]pkgInfo, len(m.Content)/2)
	lines := make(map[string]model.Location, len(m.Content)/2)
	for j := 0; j+1 < len(m.Content); j += 2 {
		k, v := m.Content[j], m.Content[j+1]
		var info pkgInfo
		if err := v.Decode(&info); err != nil {
			return nil, nil, fmt.Errorf("%q (line %d): %w", k.Value, k.Line, err)
		}
		infos[k.Value] = info
		lines[k.Value] = model.Location{StartLine: k.Line, EndLine: max(k.Line, lastLine(v))}
	}
	return infos, lines, nil
}

func lastLine(n *yaml.Node) int {
	l := n.Line
	for _, c := range n.Content {
		l = max(l, lastLine(c))
	}
	return l
}
