// Package nugetlock reads NuGet packages.lock.json files (version 1 and 2):
// the packages each target framework resolved, direct or transitive, with
// their dependency graph and line ranges.
package nugetlock

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/trawlsec/trawl/internal/parse/jsonpos"
	"github.com/trawlsec/trawl/pkg/model"
)

// Ecosystem is the OSV ecosystem of NuGet packages.
const Ecosystem = model.EcosystemNuGet

type lockFile struct {
	Version      int                             `json:"version"`
	Dependencies map[string]map[string]lockedDep `json:"dependencies"`
}

type lockedDep struct {
	Type         string            `json:"type"`
	Resolved     string            `json:"resolved"`
	Dependencies map[string]string `json:"dependencies"`
}

// Parse reads a packages.lock.json. Packages of type "Direct" (and
// "CentralTransitive" ones pinned centrally are transitive) are direct, the
// others indirect; "Project" entries (other projects of the solution) are
// left out. A package resolved for several target frameworks is reported
// once. NuGet names are case-insensitive: dependency references are matched
// ignoring case, names keep the lock file's spelling. Sorted by ID.
func Parse(ctx context.Context, content []byte) ([]model.Package, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var lock lockFile
	if err := json.Unmarshal(content, &lock); err != nil {
		return nil, fmt.Errorf("decoding packages.lock.json: %w", err)
	}
	locs, err := jsonpos.Locations(content, "dependencies", "*")
	if err != nil {
		return nil, fmt.Errorf("decoding packages.lock.json: %w", err)
	}
	frameworks := make([]string, 0, len(lock.Dependencies))
	for fw := range lock.Dependencies {
		frameworks = append(frameworks, fw)
	}
	sort.Strings(frameworks)

	byID := map[string]*model.Package{}
	for _, fw := range frameworks {
		deps := lock.Dependencies[fw]
		resolved := make(map[string]string, len(deps)) // lower-case name → ID
		for name, d := range deps {
			if d.Type != "Project" && d.Resolved != "" {
				resolved[strings.ToLower(name)] = name + "@" + d.Resolved
			}
		}
		for name, d := range deps {
			if d.Type == "Project" || d.Resolved == "" {
				continue
			}
			id := name + "@" + d.Resolved
			rel := model.RelationshipIndirect
			if d.Type == "Direct" {
				rel = model.RelationshipDirect
			}
			p, ok := byID[id]
			if !ok {
				p = &model.Package{ID: id, Name: name, Version: d.Resolved, Ecosystem: Ecosystem, Relationship: rel}
				byID[id] = p
			} else if rel == model.RelationshipDirect {
				p.Relationship = rel
			}
			if l, ok := locs[fw+jsonpos.Sep+name]; ok && !slices.Contains(p.Locations, l) {
				p.Locations = append(p.Locations, l)
			}
			for dep := range d.Dependencies {
				if did, ok := resolved[strings.ToLower(dep)]; ok && !slices.Contains(p.DependsOn, did) {
					p.DependsOn = append(p.DependsOn, did)
				}
			}
		}
	}
	pkgs := make([]model.Package, 0, len(byID))
	for _, p := range byID {
		sort.Strings(p.DependsOn)
		sort.Slice(p.Locations, func(i, j int) bool { return p.Locations[i].StartLine < p.Locations[j].StartLine })
		pkgs = append(pkgs, *p)
	}
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].ID < pkgs[j].ID })
	return pkgs, nil
}
