// Package conda parses the metadata conda keeps for each installed package,
// <env>/conda-meta/<name>-<version>-<build>.json.
package conda

import (
	"encoding/json"
	"errors"
	"fmt"
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
	p.Licenses = splitLicenses(meta.License)
	return p, nil
}

// splitLicenses splits a licence string at commas and at " or " / " and "
// (blanks or underscores around the word).
func splitLicenses(s string) []string {
	var out []string
	add := func(l string) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	start := 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == ',':
			add(s[start:i])
			start = i + 1
		case s[i] == ' ' || s[i] == '_':
			j := i
			for j < len(s) && (s[j] == ' ' || s[j] == '_') {
				j++
			}
			word := ""
			switch {
			case strings.HasPrefix(s[j:], "or"):
				word = "or"
			case strings.HasPrefix(s[j:], "and"):
				word = "and"
			}
			k := j + len(word)
			if word != "" && k < len(s) && (s[k] == ' ' || s[k] == '_') {
				add(s[start:i])
				for k < len(s) && (s[k] == ' ' || s[k] == '_') {
					k++
				}
				start = k
				i = k - 1
			}
		}
	}
	add(s[start:])
	return out
}
