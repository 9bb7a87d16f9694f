// Package pylock parses pylock.toml, the standard Python lockfile of
// PEP 751 (lock-version 1.x), as written by pip, uv and PDM.
package pylock

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"github.com/trawlsec/trawl/internal/parse/python/pypi"
	"github.com/trawlsec/trawl/pkg/model"
)

type lockfile struct {
	Packages []lockPackage `toml:"packages"`
}

type lockPackage struct {
	Name         string `toml:"name"`
	Version      string `toml:"version"`
	Dependencies []struct {
		Name    string `toml:"name"`
		Version string `toml:"version"`
	} `toml:"dependencies"`
}

// Parse reads a pylock.toml. Names are PEP 503-normalised. Entries without
// a version (source trees and VCS checkouts may omit it) are left out. A
// package locked once per environment marker with the same version is
// reported once, with the union of its dependencies. A dependency that
// names no version resolves when its name is locked at one version only.
// Relationship is "unknown": the lockfile does not say which packages the
// project asked for. Locations span each [[packages]] entry.
func Parse(r io.Reader) ([]model.Package, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read pylock.toml: %w", err)
	}
	var lock lockfile
	if err := toml.Unmarshal(data, &lock); err != nil {
		return nil, fmt.Errorf("decode pylock.toml: %w", err)
	}
	blocks := packageBlocks(data)
	if len(blocks) != len(lock.Packages) {
		blocks = nil
	}
	versions := make(map[string][]string)
	for _, p := range lock.Packages {
		if p.Version != "" {
			n := pypi.Normalize(p.Name)
			if !slices.Contains(versions[n], p.Version) {
				versions[n] = append(versions[n], p.Version)
			}
		}
	}
	byID := make(map[string]*model.Package)
	var order []string
	for i, lp := range lock.Packages {
		name := pypi.Normalize(lp.Name)
		if name == "" || lp.Version == "" {
			continue
		}
		id := pypi.ID(name, lp.Version)
		p, ok := byID[id]
		if !ok {
			p = &model.Package{
				ID: id, Name: name, Version: lp.Version, Ecosystem: pypi.Ecosystem,
				Relationship: model.RelationshipUnknown,
			}
			if blocks != nil {
				p.Locations = []model.Location{blocks[i]}
			}
			byID[id] = p
			order = append(order, id)
		}
		for _, d := range lp.Dependencies {
			dn := pypi.Normalize(d.Name)
			locked := versions[dn]
			switch {
			case d.Version != "" && slices.Contains(locked, d.Version):
				p.DependsOn = append(p.DependsOn, pypi.ID(dn, d.Version))
			case d.Version == "" && len(locked) == 1:
				p.DependsOn = append(p.DependsOn, pypi.ID(dn, locked[0]))
			}
		}
	}
	pkgs := make([]model.Package, 0, len(order))
	for _, id := range order {
		p := *byID[id]
		slices.Sort(p.DependsOn)
		p.DependsOn = slices.Compact(p.DependsOn)
		pkgs = append(pkgs, p)
	}
	slices.SortFunc(pkgs, func(a, b model.Package) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.Version, b.Version)
	})
	return pkgs, nil
}

// packageBlocks returns the line range of each [[packages]] entry, in file
// order: from its header through its [packages.*] sub-tables, up to its last
// non-blank, non-comment line. It is a line scan; callers check that the
// count matches the decoded entries.
func packageBlocks(data []byte) []model.Location {
	var (
		out  []model.Location
		open bool
		last int
		n    int
	)
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), len(data)+1)
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.ReplaceAll(line, " ", "") == "[[packages]]":
			if open {
				out[len(out)-1].EndLine = last
			}
			out = append(out, model.Location{StartLine: n})
			open, last = true, n
		case strings.HasPrefix(line, "[") && !strings.HasPrefix(line, "[packages.") && !strings.HasPrefix(line, "[[packages."):
			if open {
				out[len(out)-1].EndLine = last
				open = false
			}
		case line != "" && line[0] != '#':
			last = n
		}
	}
	if open {
		out[len(out)-1].EndLine = last
	}
	if sc.Err() != nil {
		return nil
	}
	return out
}
