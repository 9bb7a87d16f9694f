// Package conan reads Conan lock files (conan.lock): format 0.4 (Conan 1,
// a graph of nodes) and 0.5 (Conan 2, flat reference lists).
package conan

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/trawlsec/trawl/internal/parse/jsonpos"
	"github.com/trawlsec/trawl/pkg/model"
)

// Ecosystem is the OSV ecosystem of Conan packages.
const Ecosystem = model.EcosystemConanCenter

// Result is what Parse found in one lock file.
type Result struct {
	Packages []model.Package
	// Warnings name references that could not be parsed.
	Warnings []string
}

type lockFile struct {
	GraphLock *struct {
		Nodes map[string]node `json:"nodes"`
	} `json:"graph_lock"`
	Requires       []string `json:"requires"`
	BuildRequires  []string `json:"build_requires"`
	PythonRequires []string `json:"python_requires"`
}

type node struct {
	Ref           string   `json:"ref"`
	Requires      []string `json:"requires"`
	BuildRequires []string `json:"build_requires"`
}

// ParseRef splits a Conan reference "name/version[@user/channel][#rrev]
// [%timestamp]" into name and version.
func ParseRef(ref string) (name, version string, ok bool) {
	ref, _, _ = strings.Cut(ref, "#")
	ref, _, _ = strings.Cut(ref, "%")
	ref, _, _ = strings.Cut(ref, "@")
	name, version, ok = strings.Cut(strings.TrimSpace(ref), "/")
	if !ok || name == "" || version == "" || strings.ContainsAny(version, "/") {
		return "", "", false
	}
	return name, version, true
}

// Parse reads a conan.lock. For the graph format, nodes the root node
// (the one without a reference) requires are direct, the others indirect,
// DependsOn follows "requires" and each package carries the line range of
// its node; nodes reached only through build_requires are marked Dev. For
// the flat format, "requires" are reported and "build_requires" marked Dev
// (Trivy leaves them out). Sorted by ID.
func Parse(ctx context.Context, content []byte) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var lock lockFile
	if err := json.Unmarshal(content, &lock); err != nil {
		return nil, fmt.Errorf("decoding conan.lock: %w", err)
	}
	res := &Result{}
	if lock.GraphLock != nil {
		locs, err := jsonpos.Locations(content, "graph_lock", "nodes")
		if err != nil {
			return nil, fmt.Errorf("decoding conan.lock: %w", err)
		}
		parseGraph(lock.GraphLock.Nodes, locs, res)
	} else {
		parseFlat(lock.Requires, false, res)
		parseFlat(lock.BuildRequires, true, res)
	}
	sort.Slice(res.Packages, func(i, j int) bool { return res.Packages[i].ID < res.Packages[j].ID })
	return res, nil
}

func parseFlat(refs []string, dev bool, res *Result) {
	seen := map[string]bool{}
	for _, p := range res.Packages {
		seen[p.ID] = true
	}
	for _, ref := range refs {
		name, version, ok := ParseRef(ref)
		if !ok {
			res.Warnings = append(res.Warnings, fmt.Sprintf("reference %q not understood", ref))
			continue
		}
		id := name + "@" + version
		if !seen[id] {
			seen[id] = true
			res.Packages = append(res.Packages, model.Package{ID: id, Name: name, Version: version, Ecosystem: Ecosystem, Dev: dev})
		}
	}
}

func parseGraph(nodes map[string]node, locs map[string]model.Location, res *Result) {
	ids := map[string]string{} // node key → package ID
	keys := make([]string, 0, len(nodes))
	for k := range nodes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var roots []string
	for _, k := range keys {
		n := nodes[k]
		if n.Ref == "" {
			roots = append(roots, k)
			continue
		}
		name, version, ok := ParseRef(n.Ref)
		if !ok {
			res.Warnings = append(res.Warnings, fmt.Sprintf("node %s: reference %q not understood", k, n.Ref))
			continue
		}
		ids[k] = name + "@" + version
	}
	direct := map[string]bool{}
	for _, r := range roots {
		for _, k := range nodes[r].Requires {
			direct[k] = true
		}
	}
	// Nodes reachable from a root through "requires" edges only are
	// run-time packages; the rest came in through build_requires.
	runtime := map[string]bool{}
	stack := append([]string(nil), roots...)
	for len(stack) > 0 {
		k := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, d := range nodes[k].Requires {
			if !runtime[d] {
				runtime[d] = true
				stack = append(stack, d)
			}
		}
	}
	seen := map[string]bool{}
	for _, k := range keys {
		id, ok := ids[k]
		if !ok || seen[id] {
			continue
		}
		seen[id] = true
		n := nodes[k]
		name, version, _ := strings.Cut(id, "@")
		p := model.Package{ID: id, Name: name, Version: version, Ecosystem: Ecosystem, Dev: len(roots) > 0 && !runtime[k]}
		if len(roots) > 0 {
			p.Relationship = model.RelationshipIndirect
			if direct[k] {
				p.Relationship = model.RelationshipDirect
			}
		}
		for _, d := range n.Requires {
			if did, ok := ids[d]; ok {
				p.DependsOn = append(p.DependsOn, did)
			}
		}
		sort.Strings(p.DependsOn)
		if l, ok := locs[k]; ok {
			p.Locations = []model.Location{l}
		}
		res.Packages = append(res.Packages, p)
	}
}
