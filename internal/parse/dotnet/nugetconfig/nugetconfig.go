// Package nugetconfig reads NuGet packages.config files: the <package>
// elements of a classic .NET Framework project.
package nugetconfig

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

type config struct {
	XMLName  xml.Name `xml:"packages"`
	Packages []struct {
		ID          string `xml:"id,attr"`
		Version     string `xml:"version,attr"`
		Development string `xml:"developmentDependency,attr"`
	} `xml:"package"`
}

// Parse reads a packages.config. Every package is a direct dependency;
// developmentDependency="true" ones are marked Dev (Trivy leaves them out).
// Sorted by ID.
func Parse(ctx context.Context, content []byte) ([]model.Package, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var cfg config
	d := xml.NewDecoder(bytes.NewReader(content))
	if err := d.Decode(&cfg); err != nil {
		return nil, fmt.Errorf("decoding packages.config: %w", err)
	}
	seen := map[string]bool{}
	var pkgs []model.Package
	for _, p := range cfg.Packages {
		name, version := strings.TrimSpace(p.ID), strings.TrimSpace(p.Version)
		if name == "" || version == "" {
			continue
		}
		id := name + "@" + version
		if seen[id] {
			continue
		}
		seen[id] = true
		pkgs = append(pkgs, model.Package{
			ID: id, Name: name, Version: version, Ecosystem: Ecosystem,
			Relationship: model.RelationshipDirect, Dev: strings.EqualFold(strings.TrimSpace(p.Development), "true"),
		})
	}
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].ID < pkgs[j].ID })
	return pkgs, nil
}
