// Package depsjson reads .NET Core *.deps.json files: the libraries an
// application loads at run time.
//
// Only libraries of the runtime target (runtimeTarget.name) are reported,
// and only those with runtime assets (runtime, runtimeTargets or native):
// meta-packages and compile-time references are left out. When the file
// names no runtime target present in "targets", every library is reported,
// without a graph (as Trivy does).
package depsjson

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

// runtimePackPrefix is the prefix the .NET SDK gives the runtime bundled in
// a self-contained application.
const runtimePackPrefix = "runtimepack."

type depsFile struct {
	RuntimeTarget struct {
		Name string `json:"name"`
	} `json:"runtimeTarget"`
	Targets   map[string]map[string]targetLib `json:"targets"`
	Libraries map[string]library              `json:"libraries"`
}

type targetLib struct {
	Dependencies   map[string]string `json:"dependencies"`
	Runtime        json.RawMessage   `json:"runtime"`
	RuntimeTargets json.RawMessage   `json:"runtimeTargets"`
	Native         json.RawMessage   `json:"native"`
}

type library struct {
	Type string `json:"type"`
}

// hasAssets reports whether the target entry lists runtime assets.
func (t targetLib) hasAssets() bool {
	return !empty(t.Runtime) || !empty(t.RuntimeTargets) || !empty(t.Native)
}

func empty(raw json.RawMessage) bool {
	s := strings.TrimSpace(string(raw))
	return s == "" || s == "null" || s == "{}" || s == "[]"
}

// key normalises "Name/Version" for matching: runtime pack prefix removed,
// lower case (NuGet names are case-insensitive).
func key(name, version string) string {
	return strings.ToLower(strings.TrimPrefix(name, runtimePackPrefix)) + "/" + version
}

// Parse reads a deps.json. Packages ("package" and "runtimepack" libraries,
// the latter without their "runtimepack." prefix) and projects are
// reported. As in Trivy (PR #10954), the root is the one project no other
// library of the runtime target depends on; when the graph names no single
// one (several candidates, none, or no target graph at all), the first of
// the candidates (else of all projects) in sorted order. The root's
// dependencies are direct and the rest, other projects included, indirect
// (unknown without a target graph). Sorted by ID.
func Parse(ctx context.Context, content []byte) ([]model.Package, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var f depsFile
	if err := json.Unmarshal(content, &f); err != nil {
		return nil, fmt.Errorf("decoding deps.json: %w", err)
	}
	locs, err := jsonpos.Locations(content, "libraries")
	if err != nil {
		return nil, fmt.Errorf("decoding deps.json: %w", err)
	}
	target, haveTarget := f.Targets[f.RuntimeTarget.Name]
	targetLibs := make(map[string]targetLib, len(target))
	for nv, t := range target {
		name, version, _ := strings.Cut(nv, "/")
		targetLibs[key(name, version)] = t
	}

	byKey := map[string]*model.Package{}
	var projects []string
	for nv, lib := range f.Libraries {
		name, version, ok := strings.Cut(nv, "/")
		if !ok || name == "" || version == "" {
			continue
		}
		typ := strings.ToLower(lib.Type)
		if typ != "package" && typ != "project" && typ != "runtimepack" {
			continue
		}
		k := key(name, version)
		if haveTarget {
			t, ok := targetLibs[k]
			if !ok || !t.hasAssets() {
				continue
			}
		}
		name = strings.TrimPrefix(name, runtimePackPrefix)
		p := &model.Package{ID: name + "@" + version, Name: name, Version: version, Ecosystem: Ecosystem}
		if l, ok := locs[nv]; ok {
			p.Locations = []model.Location{l}
		}
		if typ == "project" {
			projects = append(projects, k)
		}
		byKey[k] = p
	}

	referenced := map[string]bool{}
	for _, t := range targetLibs {
		for n, v := range t.Dependencies {
			referenced[key(n, v)] = true
		}
	}
	var roots []string
	for _, k := range projects {
		if !referenced[k] {
			roots = append(roots, k)
		}
	}
	if len(roots) == 0 {
		roots = projects
	}
	root := ""
	if len(roots) > 0 {
		root = slices.Min(roots)
		byKey[root].Relationship = model.RelationshipRoot
	}

	if haveTarget {
		direct := map[string]bool{}
		if root != "" {
			for n, v := range targetLibs[root].Dependencies {
				direct[key(n, v)] = true
			}
		}
		for k, p := range byKey {
			if p.Relationship == "" && len(direct) > 0 {
				p.Relationship = model.RelationshipIndirect
				if direct[k] {
					p.Relationship = model.RelationshipDirect
				}
			}
			for n, v := range targetLibs[k].Dependencies {
				if d, ok := byKey[key(n, v)]; ok {
					p.DependsOn = append(p.DependsOn, d.ID)
				}
			}
			sort.Strings(p.DependsOn)
		}
	}

	pkgs := make([]model.Package, 0, len(byKey))
	for _, p := range byKey {
		pkgs = append(pkgs, *p)
	}
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].ID < pkgs[j].ID })
	return pkgs, nil
}
