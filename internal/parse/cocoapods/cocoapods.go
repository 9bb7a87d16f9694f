// Package cocoapods parses Podfile.lock, the lockfile of CocoaPods, the
// dependency manager of Swift and Objective-C projects.
package cocoapods

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/trawlsec/trawl/internal/parse/swift"
	"github.com/trawlsec/trawl/pkg/model"
)

// Ecosystem is the ecosystem of CocoaPods packages.
const Ecosystem = "CocoaPods"

// ID returns the package ID of a pod: name@version.
func ID(name, version string) string { return name + "@" + version }

type pod struct {
	pkg  model.Package
	deps []string
}

// Parse reads a Podfile.lock. Every "Name (version)" entry of PODS is a
// package (subspecs such as "AppCenter/Core" are packages of their own);
// the entries listed under it are its dependencies. Pods named in the
// DEPENDENCIES section are direct, the rest indirect; without that section
// Relationship is "unknown". Entries in another
// shape are skipped. Locations span each entry.
//
// A pod fetched from a git repository (a ":git:" URL under EXTERNAL
// SOURCES or CHECKOUT OPTIONS, keyed by the pod's root name) gets that
// repository as SrcName, named as Swift packages are
// ("github.com/owner/repo"), and its own version as SrcVersion: the
// matcher looks pods up by repository (OSV publishes their advisories
// under SwiftURL). ":path:" and ":podspec:" sources name no repository.
func Parse(r io.Reader) ([]model.Package, error) {
	var doc yaml.Node
	if err := yaml.NewDecoder(r).Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, fmt.Errorf("decode Podfile.lock: %w", err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		//lint:ignore ST1005 the message starts with the file's name
		return nil, errors.New("Podfile.lock: not a YAML mapping")
	}
	root := doc.Content[0]
	var pods, direct *yaml.Node
	repos := map[string]string{} // root pod name → repository
	for i := 0; i+1 < len(root.Content); i += 2 {
		switch root.Content[i].Value {
		case "PODS":
			pods = root.Content[i+1]
		case "DEPENDENCIES":
			direct = root.Content[i+1]
		case "EXTERNAL SOURCES", "CHECKOUT OPTIONS":
			gitSources(root.Content[i+1], repos)
		}
	}
	if pods == nil || pods.Kind != yaml.SequenceNode {
		return nil, nil
	}
	var list []*pod
	byName := make(map[string]*pod)
	add := func(entry string, start, end int) *pod {
		name, version, ok := nameVersion(entry)
		if !ok {
			return nil
		}
		if p, ok := byName[name]; ok {
			return p
		}
		rel := model.RelationshipUnknown
		if direct != nil {
			rel = model.RelationshipIndirect
		}
		p := &pod{pkg: model.Package{
			ID: ID(name, version), Name: name, Version: version, Ecosystem: Ecosystem,
			Relationship: rel,
			Locations:    []model.Location{{StartLine: start, EndLine: end}},
		}}
		if repo := repos[RootName(name)]; repo != "" {
			p.pkg.SrcName, p.pkg.SrcVersion = repo, version
		}
		list = append(list, p)
		byName[name] = p
		return p
	}
	for _, item := range pods.Content {
		switch item.Kind {
		case yaml.ScalarNode:
			add(item.Value, item.Line, item.Line)
		case yaml.MappingNode:
			for i := 0; i+1 < len(item.Content); i += 2 {
				key, children := item.Content[i], item.Content[i+1]
				p := add(key.Value, key.Line, lastLine(children))
				if p == nil || children.Kind != yaml.SequenceNode {
					continue
				}
				for _, c := range children.Content {
					if f := strings.Fields(c.Value); c.Kind == yaml.ScalarNode && len(f) > 0 {
						p.deps = append(p.deps, f[0])
					}
				}
			}
		}
	}
	if direct != nil && direct.Kind == yaml.SequenceNode {
		for _, d := range direct.Content {
			if f := strings.Fields(d.Value); len(f) > 0 {
				if p, ok := byName[f[0]]; ok {
					p.pkg.Relationship = model.RelationshipDirect
				}
			}
		}
	}
	pkgs := make([]model.Package, 0, len(list))
	for _, p := range list {
		pkg := p.pkg
		for _, d := range p.deps {
			if dep, ok := byName[d]; ok && dep != p {
				pkg.DependsOn = append(pkg.DependsOn, dep.pkg.ID)
			}
		}
		slices.Sort(pkg.DependsOn)
		pkg.DependsOn = slices.Compact(pkg.DependsOn)
		pkgs = append(pkgs, pkg)
	}
	slices.SortFunc(pkgs, func(a, b model.Package) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.Version, b.Version)
	})
	return pkgs, nil
}

// RootName returns the pod a subspec belongs to ("Firebase/Core" →
// "Firebase"); a pod's own name is its root name.
func RootName(name string) string {
	root, _, _ := strings.Cut(name, "/")
	return root
}

// gitSources adds the ":git:" URL of each pod of an EXTERNAL SOURCES or
// CHECKOUT OPTIONS mapping to repos, as a repository name; other shapes
// and other sources are ignored.
func gitSources(n *yaml.Node, repos map[string]string) {
	if n.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		name, opts := n.Content[i].Value, n.Content[i+1]
		if opts.Kind != yaml.MappingNode {
			continue
		}
		for j := 0; j+1 < len(opts.Content); j += 2 {
			if opts.Content[j].Value != ":git" || opts.Content[j+1].Kind != yaml.ScalarNode {
				continue
			}
			if repo := swift.Name(opts.Content[j+1].Value); repo != "" {
				repos[RootName(name)] = repo
			}
		}
	}
}

// nameVersion splits "Name (1.2.3)".
func nameVersion(s string) (name, version string, ok bool) {
	f := strings.Fields(s)
	if len(f) != 2 || !strings.HasPrefix(f[1], "(") || !strings.HasSuffix(f[1], ")") {
		return "", "", false
	}
	version = strings.TrimSpace(f[1][1 : len(f[1])-1])
	return f[0], version, f[0] != "" && version != ""
}

// lastLine returns the last line a YAML node's text reaches.
func lastLine(n *yaml.Node) int {
	last := n.Line
	for _, c := range n.Content {
		last = max(last, lastLine(c))
	}
	return last
}
