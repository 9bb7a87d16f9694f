// Package elixir parses mix.lock, the lockfile of Elixir's build tool Mix.
package elixir

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/trawlsec/trawl/pkg/model"
)

// Ecosystem is the OSV ecosystem of Hex packages.
const Ecosystem = model.EcosystemHex

// ID returns the package ID of a Hex package: name@version.
func ID(name, version string) string { return name + "@" + version }

type entry struct {
	key  string // the lock key, the dependency's app name
	pkg  model.Package
	deps []string
}

// Parse reads a mix.lock. Each `"key": {:hex, :name, "version", …}` line is
// a package named by its Hex name; git and path dependencies carry no
// version and are left out. DependsOn lists the dependencies of an entry
// that are locked too. Relationship is "unknown": only mix.exs says which
// dependencies are direct. Locations give the entry's line.
func Parse(r io.Reader) ([]model.Package, error) {
	var entries []*entry
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	n := 0
	for sc.Scan() {
		n++
		if e, ok := parseLine(strings.TrimSpace(sc.Text())); ok {
			e.pkg.Locations = []model.Location{{StartLine: n, EndLine: n}}
			entries = append(entries, e)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read mix.lock: %w", err)
	}
	ids := make(map[string]string, len(entries))
	for _, e := range entries {
		ids[e.key] = e.pkg.ID
		if _, ok := ids[e.pkg.Name]; !ok {
			ids[e.pkg.Name] = e.pkg.ID
		}
	}
	pkgs := make([]model.Package, 0, len(entries))
	for _, e := range entries {
		p := e.pkg
		for _, d := range e.deps {
			if id, ok := ids[d]; ok && id != p.ID {
				p.DependsOn = append(p.DependsOn, id)
			}
		}
		slices.Sort(p.DependsOn)
		p.DependsOn = slices.Compact(p.DependsOn)
		pkgs = append(pkgs, p)
	}
	slices.SortFunc(pkgs, func(a, b model.Package) int { return strings.Compare(a.ID, b.ID) })
	return slices.CompactFunc(pkgs, func(a, b model.Package) bool { return a.ID == b.ID }), nil
}

// parseLine reads one `"key": {:hex, :name, "version", "hash", [tools],
// [deps], "repo", "hash"},` line.
func parseLine(line string) (*entry, bool) {
	if !strings.HasPrefix(line, `"`) {
		return nil, false
	}
	end := strings.IndexByte(line[1:], '"')
	if end <= 0 {
		return nil, false
	}
	key := line[1 : end+1]
	rest := strings.TrimSpace(line[end+2:])
	rest, ok := strings.CutPrefix(rest, ":")
	if !ok {
		return nil, false
	}
	rest, ok = strings.CutPrefix(strings.TrimSpace(rest), "{:hex,")
	if !ok {
		return nil, false
	}
	rest = strings.TrimSpace(rest)
	name, rest, ok := strings.Cut(rest, ",")
	if !ok || !strings.HasPrefix(name, ":") || len(name) < 2 {
		return nil, false
	}
	name = strings.Trim(name[1:], `"`)
	if name == "" {
		return nil, false
	}
	rest = strings.TrimSpace(rest)
	if !strings.HasPrefix(rest, `"`) {
		return nil, false
	}
	vend := strings.IndexByte(rest[1:], '"')
	if vend <= 0 {
		return nil, false
	}
	version := rest[1 : vend+1]
	e := &entry{key: key, pkg: model.Package{
		ID: ID(name, version), Name: name, Version: version, Ecosystem: Ecosystem,
		Relationship: model.RelationshipUnknown,
	}}
	// Dependencies are {:app, "requirement", [hex: :name, …]} tuples.
	for deps := rest[vend+2:]; ; {
		i := strings.Index(deps, "{:")
		if i < 0 {
			break
		}
		deps = deps[i+2:]
		j := strings.IndexAny(deps, ", }")
		if j <= 0 {
			continue
		}
		e.deps = append(e.deps, strings.Trim(deps[:j], `"`))
	}
	return e, true
}
