// Package dart parses pubspec.lock, the lockfile of Dart's and Flutter's
// package manager pub.
package dart

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/trawlsec/trawl/pkg/model"
)

// Ecosystem is the OSV ecosystem of pub packages.
const Ecosystem = model.EcosystemPub

// ID returns the package ID of a pub package: name@version.
func ID(name, version string) string { return name + "@" + version }

type lockPackage struct {
	Dependency string `yaml:"dependency"`
	Source     string `yaml:"source"`
	Version    string `yaml:"version"`
}

// Parse reads a pubspec.lock. "direct main", "direct dev" and "direct
// overridden" packages are direct ("direct dev" ones are Dev too),
// "transitive" ones indirect. SDK packages (source: sdk) are kept with the
// placeholder version the lockfile gives them. The lockfile records no
// dependency graph. Locations span each package's entry.
func Parse(r io.Reader) ([]model.Package, error) {
	var doc yaml.Node
	if err := yaml.NewDecoder(r).Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, fmt.Errorf("decode pubspec.lock: %w", err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("pubspec.lock: not a YAML mapping")
	}
	root := doc.Content[0]
	var packages *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "packages" {
			packages = root.Content[i+1]
		}
	}
	if packages == nil || packages.Kind == yaml.ScalarNode && packages.Tag == "!!null" {
		return nil, nil
	}
	if packages.Kind != yaml.MappingNode {
		return nil, errors.New("pubspec.lock: packages is not a mapping")
	}
	var pkgs []model.Package
	for i := 0; i+1 < len(packages.Content); i += 2 {
		key, value := packages.Content[i], packages.Content[i+1]
		var lp lockPackage
		if err := value.Decode(&lp); err != nil {
			return nil, fmt.Errorf("pubspec.lock: package %q (line %d): %w", key.Value, key.Line, err)
		}
		if key.Value == "" || lp.Version == "" {
			continue
		}
		p := model.Package{
			ID: ID(key.Value, lp.Version), Name: key.Value, Version: lp.Version, Ecosystem: Ecosystem,
			Relationship: model.RelationshipIndirect,
			Locations:    []model.Location{{StartLine: key.Line, EndLine: lastLine(value)}},
		}
		switch lp.Dependency {
		case "direct main", "direct overridden":
			p.Relationship = model.RelationshipDirect
		case "direct dev":
			p.Relationship, p.Dev = model.RelationshipDirect, true
		case "transitive":
		default:
			p.Relationship = model.RelationshipUnknown
		}
		pkgs = append(pkgs, p)
	}
	slices.SortFunc(pkgs, func(a, b model.Package) int { return strings.Compare(a.ID, b.ID) })
	return pkgs, nil
}

// lastLine returns the last line a YAML node's text reaches.
func lastLine(n *yaml.Node) int {
	last := n.Line
	for _, c := range n.Content {
		last = max(last, lastLine(c))
	}
	return last
}
