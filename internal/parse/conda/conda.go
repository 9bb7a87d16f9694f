// Package conda parses the metadata conda keeps for each installed package,
// <env>/conda-meta/<name>-<version>-<build>.json.
package conda

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/trawlsec/trawl/internal/parse/license"
	"io"
	"strings"

	"github.com/trawlsec/trawl/pkg/model"
)

// Ecosystem is the ecosystem of conda packages; no advisory source covers
// it, so the packages are listed but never matched.
const Ecosystem = "conda"

// ID returns the package ID of a conda package: name@version.
func ID(name, version string) string { return name + "@" + version }

// ErrNoPackage reports a conda-meta file without a name or a version.
var ErrNoPackage = errors.New("trawl/conda: package metadata has no name or no version")

// ParseMeta reads one conda-meta JSON file. Licences come from the
// "license" string, split at commas and at " or " / " and " as Trivy
// splits them ("GPL-3.0-only WITH GCC-exception-3.1" stays whole).
// Relationship is "unknown".
func ParseMeta(r io.Reader) (model.Package, error) {
	var meta struct {
		Name    string `json:"name"`
		Version string `json:"version"`
		License string `json:"license"`
	}
	if err := json.NewDecoder(r).Decode(&meta); err != nil {
		return model.Package{}, fmt.Errorf("decode conda-meta JSON: %w", err)
	}
	name, version := strings.TrimSpace(meta.Name), strings.TrimSpace(meta.Version)
	if name == "" || version == "" {
		return model.Package{}, ErrNoPackage
	}
	p := model.Package{
		ID: ID(name, version), Name: name, Version: version, Ecosystem: Ecosystem,
		Relationship: model.RelationshipUnknown,
	}
	p.Licenses = license.Split(meta.License)
	return p, nil
}
