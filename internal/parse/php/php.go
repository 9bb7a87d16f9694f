// Package php parses the package formats of Composer, PHP's package
// manager: composer.lock, the installed-package list
// vendor/composer/installed.json (Composer 1 and 2), and the require
// sections of composer.json that tell direct dependencies apart.
package php

import (
	"encoding/json"
	"fmt"
	"github.com/trawlsec/trawl/internal/parse/license"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/trawlsec/trawl/internal/parse/jsonpos"
	"github.com/trawlsec/trawl/pkg/model"
)

// Ecosystem is the OSV ecosystem of Composer packages.
const Ecosystem = model.EcosystemPackagist

// ID returns the package ID of a Composer package: name@version.
func ID(name, version string) string { return name + "@" + version }

// Normalize returns the canonical form of a Composer package name:
// "vendor/name" in lower case.
func Normalize(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

type composerPackage struct {
	Name    string            `json:"name"`
	Version string            `json:"version"`
	Require map[string]string `json:"require"`
	License json.RawMessage   `json:"license"`
	loc     model.Location
}

// licenses reads "license": a string or an array of strings. A string
// naming several licences ("MIT or BSD-2-Clause", "MIT, Apache-2.0") is
// split into them, as Trivy does.
func licenses(raw json.RawMessage) []string {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return license.Split(one)
	}
	var many []any
	if json.Unmarshal(raw, &many) != nil {
		return nil
	}
	var out []string
	for _, l := range many {
		if s, ok := l.(string); ok && strings.TrimSpace(s) != "" {
			out = append(out, strings.TrimSpace(s))
		}
	}
	return out
}

// packages turns the decoded entries into packages. Names in dev are Dev.
// DependsOn lists the required packages that are in the list too (platform
// requirements such as "php" and "ext-json" never are).
func packages(entries []composerPackage, dev map[string]bool) ([]model.Package, error) {
	ids := make(map[string]string, len(entries))
	for i, e := range entries {
		name := Normalize(e.Name)
		if name == "" || e.Version == "" {
			return nil, fmt.Errorf("package %d (line %d) has no name or no version", i+1, e.loc.StartLine)
		}
		if _, ok := ids[name]; !ok {
			ids[name] = ID(name, e.Version)
		}
	}
	seen := make(map[string]bool, len(entries))
	pkgs := make([]model.Package, 0, len(entries))
	for _, e := range entries {
		name := Normalize(e.Name)
		id := ID(name, e.Version)
		if seen[id] {
			continue
		}
		seen[id] = true
		p := model.Package{
			ID: id, Name: name, Version: e.Version, Ecosystem: Ecosystem,
			Relationship: model.RelationshipUnknown, Dev: dev[name],
			Licenses:  licenses(e.License),
			Locations: []model.Location{e.loc},
		}
		for _, req := range slices.Sorted(maps.Keys(e.Require)) {
			if dep, ok := ids[Normalize(req)]; ok {
				p.DependsOn = append(p.DependsOn, dep)
			}
		}
		p.DependsOn = slices.Compact(p.DependsOn)
		pkgs = append(pkgs, p)
	}
	slices.SortFunc(pkgs, func(a, b model.Package) int { return strings.Compare(a.ID, b.ID) })
	return pkgs, nil
}

// packageArray reads an array of packages, each with its lines. A null is
// an empty array.
func packageArray(d *jsonpos.Decoder) ([]composerPackage, error) {
	list, locs, err := jsonpos.Array[composerPackage](d, "package")
	for i := range list {
		list[i].loc = locs[i]
	}
	return list, err
}

// ParseLockfile reads a composer.lock. Entries of "packages-dev" are Dev.
// Relationship is "unknown": only composer.json says which packages are
// direct (see Direct and analyze.MarkDirect). Locations give each entry's lines.
func ParseLockfile(r io.Reader) ([]model.Package, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read composer.lock: %w", err)
	}
	d := jsonpos.NewDecoder(data)
	if err := d.Object("composer.lock"); err != nil {
		return nil, err
	}
	var entries []composerPackage
	dev := make(map[string]bool)
	for d.More() {
		key, err := d.Key()
		if err != nil {
			return nil, err
		}
		switch key {
		case "packages", "packages-dev":
			list, err := packageArray(d)
			if err != nil {
				return nil, fmt.Errorf("composer.lock %s: %w", key, err)
			}
			if key == "packages-dev" {
				for _, e := range list {
					dev[Normalize(e.Name)] = true
				}
			}
			entries = append(entries, list...)
		default:
			if err := d.Skip(); err != nil {
				return nil, err
			}
		}
	}
	if err := d.End(); err != nil {
		return nil, fmt.Errorf("composer.lock: %w", err)
	}
	return packages(entries, dev)
}

// ParseInstalled reads vendor/composer/installed.json: a bare array
// (Composer 1) or an object with "packages" (Composer 2), whose
// "dev-package-names" are Dev. Relationship is "unknown".
func ParseInstalled(r io.Reader) ([]model.Package, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read installed.json: %w", err)
	}
	d := jsonpos.NewDecoder(data)
	off := d.ValueStart()
	if off < len(data) && data[off] == '[' {
		entries, err := packageArray(d)
		if err != nil {
			return nil, fmt.Errorf("installed.json: %w", err)
		}
		return packages(entries, nil)
	}
	if err := d.Object("installed.json"); err != nil {
		return nil, err
	}
	var entries []composerPackage
	dev := make(map[string]bool)
	for d.More() {
		key, err := d.Key()
		if err != nil {
			return nil, err
		}
		switch key {
		case "packages":
			if entries, err = packageArray(d); err != nil {
				return nil, fmt.Errorf("installed.json packages: %w", err)
			}
		case "dev-package-names":
			var names []string
			if err := d.Decode(&names); err != nil {
				return nil, fmt.Errorf("installed.json dev-package-names: %w", err)
			}
			for _, n := range names {
				dev[Normalize(n)] = true
			}
		default:
			if err := d.Skip(); err != nil {
				return nil, err
			}
		}
	}
	if err := d.End(); err != nil {
		return nil, fmt.Errorf("installed.json: %w", err)
	}
	return packages(entries, dev)
}

// Direct reads a composer.json and returns the normalised names of its
// "require" and "require-dev" packages.
func Direct(r io.Reader) (map[string]bool, error) {
	var doc struct {
		Require    map[string]any `json:"require"`
		RequireDev map[string]any `json:"require-dev"`
	}
	if err := json.NewDecoder(r).Decode(&doc); err != nil {
		return nil, fmt.Errorf("decode composer.json: %w", err)
	}
	direct := make(map[string]bool)
	for _, m := range []map[string]any{doc.Require, doc.RequireDev} {
		for name := range m {
			direct[Normalize(name)] = true
		}
	}
	return direct, nil
}
