// Package pylock parses pylock.toml, the standard Python lockfile of
// PEP 751 (lock-version 1.x), as written by pip, uv and PDM.
package pylock

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"github.com/trawlsec/trawl/internal/parse/python/pypi"
	"github.com/trawlsec/trawl/pkg/model"
)

type dependency struct {
	name    string
	version string
}

type lockPackage struct {
	name         string
	version      string
	dependencies []dependency
}

// decode reads the [[packages]] entries of a pylock.toml. The document is
// decoded generically rather than into structs: go-toml v2.2.4 panics when
// decoding "[[packages.0]]" into a slice field.
func decode(data []byte) ([]lockPackage, error) {
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("decode pylock.toml: %w", err)
	}
	raw, ok := doc["packages"]
	if !ok {
		return nil, nil
	}
	list, ok := raw.([]any)
	if !ok {
		return nil, errors.New("pylock.toml: packages is not an array of tables")
	}
	out := make([]lockPackage, 0, len(list))
	for i, item := range list {
		t, ok := item.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("pylock.toml: package %d is not a table", i+1)
		}
		var p lockPackage
		if p.name, ok = optString(t, "name"); !ok {
			return nil, fmt.Errorf("pylock.toml: package %d: name is not a string", i+1)
		}
		if p.version, ok = optString(t, "version"); !ok {
			return nil, fmt.Errorf("pylock.toml: package %d: version is not a string", i+1)
		}
		deps, _ := t["dependencies"].([]any)
		for _, d := range deps {
			if dt, ok := d.(map[string]any); ok {
				name, _ := optString(dt, "name")
				version, _ := optString(dt, "version")
				p.dependencies = append(p.dependencies, dependency{name: name, version: version})
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// optString returns t[key] when it is a string or absent.
func optString(t map[string]any, key string) (string, bool) {
	v, ok := t[key]
	if !ok {
		return "", true
	}
	s, ok := v.(string)
	return s, ok
}

// Parse reads a pylock.toml. Names are as written, IDs PEP 503-normalised. Entries without
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
	packages, err := decode(data)
	if err != nil {
		return nil, err
	}
	blocks := packageBlocks(data)
	if len(blocks) != len(packages) {
		blocks = nil
	}
	versions := make(map[string][]string)
	for _, p := range packages {
		if p.version != "" {
			n := pypi.Normalize(p.name)
			if !slices.Contains(versions[n], p.version) {
				versions[n] = append(versions[n], p.version)
			}
		}
	}
	byID := make(map[string]*model.Package)
	var order []string
	for i, lp := range packages {
		name := pypi.Normalize(lp.name)
		if name == "" || lp.version == "" {
			continue
		}
		id := pypi.ID(name, lp.version)
		p, ok := byID[id]
		if !ok {
			p = &model.Package{
				ID: id, Name: strings.TrimSpace(lp.name), Version: lp.version, Ecosystem: pypi.Ecosystem,
				Relationship: model.RelationshipUnknown,
			}
			if blocks != nil {
				p.Locations = []model.Location{blocks[i]}
			}
			byID[id] = p
			order = append(order, id)
		}
		for _, d := range lp.dependencies {
			dn := pypi.Normalize(d.name)
			locked := versions[dn]
			switch {
			case d.version != "" && slices.Contains(locked, d.version):
				p.DependsOn = append(p.DependsOn, pypi.ID(dn, d.version))
			case d.version == "" && len(locked) == 1:
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
		if c := strings.Compare(pypi.Normalize(a.Name), pypi.Normalize(b.Name)); c != 0 {
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
