// Package julia parses Manifest.toml, the lockfile of Julia's package
// manager Pkg, in both its formats: the original one (Julia 1.0 to 1.6),
// whose entries are top-level [[Name]] tables, and format 2.0 (Julia 1.7
// on), whose entries are [[deps.Name]] tables.
package julia

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"github.com/trawlsec/trawl/pkg/model"
)

// Ecosystem is the OSV ecosystem of Julia packages.
const Ecosystem = model.EcosystemJulia

// UnknownVersion is the version of stdlib entries of manifests that do not
// record the Julia version.
const UnknownVersion = "unknown"

// ID returns the package ID of a Julia package: its UUID, as Trivy's
// (a manifest may lock two packages of one name and version, from
// different registries), or name@version for an entry without one.
func ID(uuid, name, version string) string {
	if uuid != "" {
		return uuid
	}
	return name + "@" + version
}

type entry struct {
	name    string
	uuid    string
	version string
	deps    any // []any of names, or map[string]any of name → uuid
	loc     model.Location
}

// Parse reads a Manifest.toml. Standard-library entries have no version of
// their own and take the manifest's julia_version; old-format manifests do
// not record the Julia version, and their stdlib entries get the version
// "unknown", as Trivy reports them. DependsOn resolves dependencies
// by UUID, or by name when the manifest lists names only. Relationship is
// "unknown": only Project.toml says which packages are direct (see Direct
// and MarkDirect). Every entry is a package, also when two (different UUIDs)
// share a name and version.
func Parse(r io.Reader) ([]model.Package, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read Manifest.toml: %w", err)
	}
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("decode Manifest.toml: %w", err)
	}
	juliaVersion, _ := doc["julia_version"].(string)
	format, _ := doc["manifest_format"].(string)
	tables, prefix := doc, ""
	if strings.HasPrefix(format, "2.") {
		tables, _ = doc["deps"].(map[string]any)
		prefix = "deps."
	}
	blocks := entryBlocks(data, prefix)
	var entries []*entry
	for _, name := range slices.Sorted(maps.Keys(tables)) {
		list, ok := tables[name].([]any)
		if !ok {
			continue // julia_version and other top-level keys
		}
		for i, item := range list {
			t, ok := item.(map[string]any)
			if !ok {
				//lint:ignore ST1005 the message starts with the file's name
				return nil, fmt.Errorf("Manifest.toml: entry %q is not a table", name)
			}
			e := &entry{name: name, deps: t["deps"]}
			e.uuid, _ = t["uuid"].(string)
			e.version, _ = t["version"].(string)
			if e.version == "" {
				e.version = juliaVersion
			}
			if e.version == "" {
				e.version = UnknownVersion
			}
			if b := blocks[name]; i < len(b) {
				e.loc = b[i]
			}
			entries = append(entries, e)
		}
	}
	byUUID := make(map[string]*entry)
	byName := make(map[string][]*entry)
	for _, e := range entries {
		if e.uuid != "" {
			byUUID[e.uuid] = e
		}
		byName[e.name] = append(byName[e.name], e)
	}
	seen := make(map[string]bool)
	var pkgs []model.Package
	for _, e := range entries {
		if e.version == "" || e.name == "" {
			continue
		}
		id := ID(e.uuid, e.name, e.version)
		if seen[id] {
			continue
		}
		seen[id] = true
		p := model.Package{
			ID: id, Name: e.name, Version: e.version, Ecosystem: Ecosystem,
			Relationship: model.RelationshipUnknown,
		}
		if e.loc.StartLine > 0 {
			p.Locations = []model.Location{e.loc}
		}
		for _, dep := range dependencies(e.deps, byUUID, byName) {
			if dep.version != "" && dep != e {
				p.DependsOn = append(p.DependsOn, ID(dep.uuid, dep.name, dep.version))
			}
		}
		slices.Sort(p.DependsOn)
		p.DependsOn = slices.Compact(p.DependsOn)
		pkgs = append(pkgs, p)
	}
	slices.SortFunc(pkgs, func(a, b model.Package) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		if c := strings.Compare(a.Version, b.Version); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return pkgs, nil
}

// dependencies resolves an entry's deps: a table of name → UUID, or a list
// of names that are unique in the manifest.
func dependencies(deps any, byUUID map[string]*entry, byName map[string][]*entry) []*entry {
	var out []*entry
	switch d := deps.(type) {
	case map[string]any:
		for _, v := range d {
			if uuid, ok := v.(string); ok && byUUID[uuid] != nil {
				out = append(out, byUUID[uuid])
			}
		}
	case []any:
		for _, v := range d {
			if name, ok := v.(string); ok && len(byName[name]) == 1 {
				out = append(out, byName[name][0])
			}
		}
	}
	return out
}

// entryBlocks returns, per package name, the line ranges of its
// [[<prefix>Name]] entries in file order. An entry runs from its header
// through its [<prefix>Name.*] sub-tables, up to its last non-blank,
// non-comment line. It is a line scan; names that need quoting in TOML
// are not recognised and get no location.
func entryBlocks(data []byte, prefix string) map[string][]model.Location {
	out := make(map[string][]model.Location)
	var (
		cur  string
		last int
		n    int
	)
	closeBlock := func() {
		if cur != "" {
			b := out[cur]
			b[len(b)-1].EndLine = last
			cur = ""
		}
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), len(data)+1)
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "[["):
			closeBlock()
			name, ok := strings.CutSuffix(strings.TrimPrefix(line, "[["), "]]")
			name, ok2 := strings.CutPrefix(strings.TrimSpace(name), prefix)
			if ok && ok2 && name != "" && !strings.ContainsAny(name, ".\"' ") {
				cur = name
				out[name] = append(out[name], model.Location{StartLine: n})
				last = n
			}
		case strings.HasPrefix(line, "["):
			if cur == "" || !strings.HasPrefix(line, "["+prefix+cur+".") {
				closeBlock()
			}
		case line != "" && line[0] != '#':
			last = n
		}
	}
	closeBlock()
	return out
}

// Project is what a Project.toml says about the project's dependencies.
type Project struct {
	// Deps maps the names in [deps], the direct dependencies, to their UUIDs.
	Deps map[string]string
	// Extras maps the names in [extras] (test and other optional
	// dependencies, Trivy's dev dependencies) to their UUIDs.
	Extras map[string]string
}

// ParseProject reads a Project.toml.
func ParseProject(r io.Reader) (*Project, error) {
	var project struct {
		Deps   map[string]any `toml:"deps"`
		Extras map[string]any `toml:"extras"`
	}
	if err := toml.NewDecoder(r).Decode(&project); err != nil {
		return nil, fmt.Errorf("decode Project.toml: %w", err)
	}
	p := &Project{Deps: map[string]string{}, Extras: map[string]string{}}
	for name, v := range project.Deps {
		p.Deps[name], _ = v.(string)
	}
	for name, v := range project.Extras {
		p.Extras[name], _ = v.(string)
	}
	return p, nil
}

// MarkDirect sets the relationships of a manifest's packages from its
// Project.toml, as Trivy's Julia analyzer does: the packages [deps] names
// (by UUID, else by name when the project gives no UUID) are direct, the
// rest indirect; those only [extras] and their dependencies bring in are
// Dev.
func MarkDirect(pkgs []model.Package, proj *Project) {
	byID := model.IndexByID(pkgs)
	named := func(set map[string]string) []int {
		var out []int
		for i, p := range pkgs {
			if uuid, ok := set[p.Name]; ok && (uuid == "" || uuid == p.ID) {
				out = append(out, i)
			}
		}
		return out
	}
	reach := func(starts []int) map[int]bool { return model.Reachable(pkgs, byID, starts, nil) }
	direct := named(proj.Deps)
	prod, dev := reach(direct), reach(named(proj.Extras))
	for i := range pkgs {
		pkgs[i].Relationship = model.RelationshipIndirect
		pkgs[i].Dev = dev[i] && !prod[i]
	}
	for _, i := range direct {
		pkgs[i].Relationship = model.RelationshipDirect
	}
}
