// Package swift parses Package.resolved, the lockfile of the Swift Package
// Manager (format versions 1, 2 and 3).
package swift

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/trawlsec/trawl/internal/parse/jsonpos"
	"github.com/trawlsec/trawl/pkg/model"
)

// Ecosystem is the OSV ecosystem of Swift packages, which are named by
// their repository URL.
const Ecosystem = model.EcosystemSwiftURL

// ID returns the package ID of a Swift package: name@version.
func ID(name, version string) string { return name + "@" + version }

type pin struct {
	RepositoryURL string `json:"repositoryURL"` // version 1
	Location      string `json:"location"`      // versions 2 and 3
	State         struct {
		Branch  *string `json:"branch"`
		Version *string `json:"version"`
	} `json:"state"`
}

// Name turns a repository URL into a Swift package name as Trivy writes
// it: without scheme, user and ".git" ("https://github.com/apple/swift-nio.git"
// → "github.com/apple/swift-nio"). scp-style "git@host:owner/repo" URLs
// become "host/owner/repo".
func Name(url string) string {
	name := strings.TrimSpace(url)
	if i := strings.Index(name, "://"); i >= 0 {
		name = name[i+3:]
		if at := strings.IndexByte(name, '@'); at >= 0 && at < strings.IndexByte(name+"/", '/') {
			name = name[at+1:]
		}
	} else if at := strings.IndexByte(name, '@'); at >= 0 {
		if host, path, ok := strings.Cut(name[at+1:], ":"); ok {
			name = host + "/" + path
		}
	}
	name = strings.TrimSuffix(strings.TrimSuffix(name, "/"), ".git")
	return name
}

// Parse reads a Package.resolved. Pins resolved to a version are reported
// at that version; pins resolved to a branch only are reported with the
// branch name as version, and pins with neither (a bare revision) are left
// out. Relationship is "unknown": the file does not record the graph.
// Locations span each pin.
func Parse(r io.Reader) ([]model.Package, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read Package.resolved: %w", err)
	}
	d := jsonpos.NewDecoder(data)
	pins, locs, err := readPins(d, 0)
	if err != nil {
		//lint:ignore ST1005 the message starts with the file's name
		return nil, fmt.Errorf("Package.resolved: %w", err)
	}
	var pkgs []model.Package
	for i, p := range pins {
		url := p.Location
		if url == "" {
			url = p.RepositoryURL
		}
		name := Name(url)
		var version string
		switch {
		case p.State.Version != nil && *p.State.Version != "":
			version = *p.State.Version
		case p.State.Branch != nil && *p.State.Branch != "":
			version = *p.State.Branch
		}
		if name == "" || version == "" {
			continue
		}
		pkgs = append(pkgs, model.Package{
			ID: ID(name, version), Name: name, Version: version, Ecosystem: Ecosystem,
			Relationship: model.RelationshipUnknown, Locations: []model.Location{locs[i]},
		})
	}
	slices.SortFunc(pkgs, func(a, b model.Package) int { return strings.Compare(a.ID, b.ID) })
	return pkgs, nil
}

// readPins reads an object and returns its "pins" array, looking inside
// "object" for the version 1 layout.
func readPins(d *jsonpos.Decoder, depth int) ([]pin, []model.Location, error) {
	if err := d.Object("document"); err != nil {
		return nil, nil, err
	}
	var (
		pins []pin
		locs []model.Location
	)
	for d.More() {
		key, err := d.Key()
		if err != nil {
			return nil, nil, err
		}
		switch {
		case key == "pins":
			if pins, locs, err = jsonpos.Array[pin](d, "element"); err != nil {
				return nil, nil, fmt.Errorf("pins: %w", err)
			}
		case key == "object" && depth == 0:
			if pins, locs, err = readPins(d, 1); err != nil {
				return nil, nil, fmt.Errorf("object: %w", err)
			}
		default:
			if err := d.Skip(); err != nil {
				return nil, nil, err
			}
		}
	}
	return pins, locs, d.End()
}
