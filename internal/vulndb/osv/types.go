// Package osv holds the OSV schema (https://ossf.github.io/osv-schema/) and
// readers for OSV records in JSON and YAML.
package osv

import "time"

// Range types.
const (
	RangeSemver    = "SEMVER"
	RangeEcosystem = "ECOSYSTEM"
	RangeGit       = "GIT"
)

// Event is one point of a range: exactly one field is set.
type Event struct {
	Introduced   string `json:"introduced,omitempty" yaml:"introduced,omitempty"`
	Fixed        string `json:"fixed,omitempty" yaml:"fixed,omitempty"`
	LastAffected string `json:"last_affected,omitempty" yaml:"last_affected,omitempty"`
	Limit        string `json:"limit,omitempty" yaml:"limit,omitempty"`
}

// Range is a list of events in one version scheme.
type Range struct {
	Type             string         `json:"type" yaml:"type"`
	Repo             string         `json:"repo,omitempty" yaml:"repo,omitempty"`
	Events           []Event        `json:"events" yaml:"events"`
	DatabaseSpecific map[string]any `json:"database_specific,omitempty" yaml:"database_specific,omitempty"`
}

// Package names an affected package.
type Package struct {
	Ecosystem string `json:"ecosystem" yaml:"ecosystem"`
	Name      string `json:"name" yaml:"name"`
	PURL      string `json:"purl,omitempty" yaml:"purl,omitempty"`
}

// Severity is a scored severity (CVSS vector) of a record or an affected entry.
type Severity struct {
	Type  string `json:"type" yaml:"type"`
	Score string `json:"score" yaml:"score"`
}

// Affected is one affected package with its ranges.
type Affected struct {
	Package           Package        `json:"package" yaml:"package"`
	Severity          []Severity     `json:"severity,omitempty" yaml:"severity,omitempty"`
	Ranges            []Range        `json:"ranges,omitempty" yaml:"ranges,omitempty"`
	Versions          []string       `json:"versions,omitempty" yaml:"versions,omitempty"`
	EcosystemSpecific map[string]any `json:"ecosystem_specific,omitempty" yaml:"ecosystem_specific,omitempty"`
	DatabaseSpecific  map[string]any `json:"database_specific,omitempty" yaml:"database_specific,omitempty"`
}

// Reference is a link about the vulnerability.
type Reference struct {
	Type string `json:"type" yaml:"type"`
	URL  string `json:"url" yaml:"url"`
}

// Credit names a person or organisation credited with the finding.
type Credit struct {
	Name    string   `json:"name" yaml:"name"`
	Contact []string `json:"contact,omitempty" yaml:"contact,omitempty"`
	Type    string   `json:"type,omitempty" yaml:"type,omitempty"`
}

// Vulnerability is one OSV record.
type Vulnerability struct {
	SchemaVersion    string         `json:"schema_version,omitempty" yaml:"schema_version,omitempty"`
	ID               string         `json:"id" yaml:"id"`
	Modified         time.Time      `json:"modified" yaml:"modified"`
	Published        time.Time      `json:"published,omitzero" yaml:"published,omitempty"`
	Withdrawn        time.Time      `json:"withdrawn,omitzero" yaml:"withdrawn,omitempty"`
	Aliases          []string       `json:"aliases,omitempty" yaml:"aliases,omitempty"`
	Related          []string       `json:"related,omitempty" yaml:"related,omitempty"`
	Upstream         []string       `json:"upstream,omitempty" yaml:"upstream,omitempty"`
	Summary          string         `json:"summary,omitempty" yaml:"summary,omitempty"`
	Details          string         `json:"details,omitempty" yaml:"details,omitempty"`
	Severity         []Severity     `json:"severity,omitempty" yaml:"severity,omitempty"`
	Affected         []Affected     `json:"affected,omitempty" yaml:"affected,omitempty"`
	References       []Reference    `json:"references,omitempty" yaml:"references,omitempty"`
	Credits          []Credit       `json:"credits,omitempty" yaml:"credits,omitempty"`
	DatabaseSpecific map[string]any `json:"database_specific,omitempty" yaml:"database_specific,omitempty"`
}
