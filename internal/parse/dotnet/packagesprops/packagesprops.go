// Package packagesprops reads MSBuild central package management files
// (Directory.Packages.props, Packages.props): the PackageVersion and
// PackageReference items of their ItemGroups.
package packagesprops

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"sort"
	"strings"

	"github.com/trawlsec/trawl/pkg/model"
)

// Ecosystem is the OSV ecosystem of NuGet packages.
const Ecosystem = model.EcosystemNuGet

// Type is the package type of these files (Trivy's "packages-props").
const Type = "packages-props"

type item struct {
	Include string `xml:"Include,attr"`
	Update  string `xml:"Update,attr"`
	Version string `xml:"Version,attr"`
	// VersionElem is the <Version> child some files use instead of the
	// attribute.
	VersionElem string `xml:"Version"`
}

type project struct {
	XMLName    xml.Name `xml:"Project"`
	ItemGroups []struct {
		PackageVersion   []item `xml:"PackageVersion"`
		PackageReference []item `xml:"PackageReference"`
	} `xml:"ItemGroup"`
}

// Parse reads a props file. Items named or versioned through an MSBuild
// property ("$(Version)") are skipped, as are items without a name or a
// version. Names and versions are trimmed; a package listed twice is
// reported once. Sorted by ID.
func Parse(ctx context.Context, content []byte) ([]model.Package, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var proj project
	if err := xml.NewDecoder(bytes.NewReader(content)).Decode(&proj); err != nil {
		return nil, fmt.Errorf("decoding packages props: %w", err)
	}
	seen := map[string]bool{}
	var pkgs []model.Package
	for _, g := range proj.ItemGroups {
		for _, it := range append(g.PackageVersion, g.PackageReference...) {
			name := strings.TrimSpace(it.Update) // Update wins over Include, as in Trivy
			if name == "" {
				name = strings.TrimSpace(it.Include)
			}
			version := strings.TrimSpace(it.Version)
			if version == "" {
				version = strings.TrimSpace(it.VersionElem)
			}
			if name == "" || version == "" || strings.Contains(name, "$(") || strings.Contains(version, "$(") {
				continue
			}
			id := name + "@" + version
			if seen[id] {
				continue
			}
			seen[id] = true
			pkgs = append(pkgs, model.Package{ID: id, Name: name, Version: version, Ecosystem: Ecosystem})
		}
	}
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].ID < pkgs[j].ID })
	return pkgs, nil
}
