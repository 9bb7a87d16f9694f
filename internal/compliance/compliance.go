// Package compliance builds compliance reports (--compliance): a spec
// lists controls, each mapped to check IDs; the report says, control by
// control, which findings of a scan fail it. Specs are Trivy's compliance
// spec format, so custom specs (--compliance @spec.yaml) written for Trivy
// work unchanged. Built-in specs are embedded: docker-cis-1.6.0,
// k8s-pss-baseline-0.1, k8s-pss-restricted-0.1, aws-cis-1.2 and
// aws-cis-1.4.
//
// A spec's check IDs say which scanner answers them, by prefix:
//
//	AVD-… (or a check's own ID, DS-0002)  misconfiguration (ID, AVD ID or short ID)
//	CVE-…, DLA-…, GHSA-…                   vulnerability ID
//	VULN-<SEVERITY>                        any vulnerability of that severity
//	SECRET-<SEVERITY>                      any secret of that severity
//	FOR-…                                  forensics finding ID
//
// Building a report only reads a finished (filtered) scan report: the
// compliance layer decides nothing about the artifact itself.
package compliance

import (
	"embed"
	"errors"
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/trawlsec/trawl/internal/fsutil"
	"github.com/trawlsec/trawl/pkg/model"
)

//go:embed specs/*.yaml
var builtinSpecs embed.FS

// builtins maps every accepted name to its spec file; the unversioned
// names are trawl's shorthands.
var builtins = map[string]string{
	"docker-cis-1.6.0":       "docker-cis-1.6.0.yaml",
	"aws-cis-1.2":            "aws-cis-1.2.yaml",
	"aws-cis-1.4":            "aws-cis-1.4.yaml",
	"k8s-pss-baseline-0.1":   "k8s-pss-baseline-0.1.yaml",
	"k8s-pss-baseline":       "k8s-pss-baseline-0.1.yaml",
	"k8s-pss-restricted-0.1": "k8s-pss-restricted-0.1.yaml",
	"k8s-pss-restricted":     "k8s-pss-restricted-0.1.yaml",
}

// Builtins are the built-in spec names, sorted.
func Builtins() []string {
	var out []string
	for name := range builtins {
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

// MaxSpecSize caps a custom spec file.
const MaxSpecSize = 1 << 20

// Scanner names, as app and the CLI spell them.
const (
	ScannerVuln      = "vuln"
	ScannerSecret    = "secret"
	ScannerMisconfig = "misconfig"
	ScannerForensics = "forensics"
)

// Spec is a compliance spec (Trivy's format: a "spec" document).
type Spec struct {
	ID               string    `yaml:"id"`
	Title            string    `yaml:"title"`
	Description      string    `yaml:"description"`
	Version          string    `yaml:"version"`
	RelatedResources []string  `yaml:"relatedResources"`
	Controls         []Control `yaml:"controls"`
}

// Control is one control of a spec.
type Control struct {
	ID            string  `yaml:"id"`
	Name          string  `yaml:"name"`
	Description   string  `yaml:"description"`
	Checks        []Check `yaml:"checks"`
	Severity      string  `yaml:"severity"`
	DefaultStatus string  `yaml:"defaultStatus"`
}

// Check names a check, finding ID or pseudo-ID a control is judged by.
type Check struct {
	ID string `yaml:"id"`
}

// Manual reports whether no scan can judge the control: Trivy's rule (the
// name says "Manual"), or a control with no checks.
func (c Control) Manual() bool {
	return strings.Contains(c.Name, "Manual") || len(c.Checks) == 0
}

// Load returns a built-in spec by name, or reads "@path" (Trivy's form
// for a custom spec file).
func Load(name string) (*Spec, error) {
	var src []byte
	var where string
	if p, ok := strings.CutPrefix(name, "@"); ok {
		b, err := fsutil.ReadFileLimited(p, MaxSpecSize, "compliance specs")
		if err != nil {
			return nil, fmt.Errorf("compliance spec: %w", err)
		}
		src, where = b, p
	} else {
		file, ok := builtins[name]
		if !ok {
			return nil, fmt.Errorf("--compliance %q is not a built-in spec (%s; or @file.yaml for a custom one)", name, strings.Join(Builtins(), ", "))
		}
		b, err := builtinSpecs.ReadFile("specs/" + file)
		if err != nil {
			return nil, err
		}
		src, where = b, "built-in "+name
	}
	return Parse(src, where)
}

// Parse reads a spec document; where names it in errors.
func Parse(src []byte, where string) (*Spec, error) {
	var doc struct {
		Spec *Spec `yaml:"spec"`
	}
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("compliance spec %s: %w", where, err)
	}
	if doc.Spec == nil {
		return nil, fmt.Errorf("compliance spec %s: no top-level 'spec'", where)
	}
	if err := doc.Spec.validate(); err != nil {
		return nil, fmt.Errorf("compliance spec %s: %w", where, err)
	}
	return doc.Spec, nil
}

func (s *Spec) validate() error {
	if s.ID == "" {
		return errors.New("spec.id is empty")
	}
	if len(s.Controls) == 0 {
		return errors.New("spec.controls is empty")
	}
	seen := map[string]bool{}
	for i, c := range s.Controls {
		if c.ID == "" {
			return fmt.Errorf("control %d has no id", i+1)
		}
		if seen[c.ID] {
			return fmt.Errorf("control id %q is used twice", c.ID)
		}
		seen[c.ID] = true
		for _, ch := range c.Checks {
			if ScannerOf(ch.ID) == "" {
				return fmt.Errorf("control %s: check id %q: no scanner answers it (AVD-…, a check ID like DS-0002, CVE-…, DLA-…, GHSA-…, VULN-<SEVERITY>, SECRET-<SEVERITY>, FOR-…)", c.ID, ch.ID)
			}
		}
	}
	return nil
}

var severities = []string{"UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL"}

// ScannerOf is the scanner whose findings answer a check ID, or "".
func ScannerOf(id string) string {
	up := strings.ToUpper(id)
	switch {
	case strings.HasPrefix(up, "VULN-"):
		if slices.Contains(severities, up[len("VULN-"):]) {
			return ScannerVuln
		}
		return ""
	case strings.HasPrefix(up, "SECRET-"):
		if slices.Contains(severities, up[len("SECRET-"):]) {
			return ScannerSecret
		}
		return ""
	case strings.HasPrefix(up, "CVE-"), strings.HasPrefix(up, "DLA-"), strings.HasPrefix(up, "GHSA-"):
		return ScannerVuln
	case strings.HasPrefix(up, "FOR-"):
		return ScannerForensics
	case strings.HasPrefix(up, "AVD-"), checkID(up):
		return ScannerMisconfig
	}
	return ""
}

// checkID reports a misconfiguration check ID: letters, a dash, digits
// ("DS-0002", "KSV-0106", "TRL-DS-0001"), or the older short form
// ("DS002").
func checkID(id string) bool {
	i := strings.LastIndexByte(id, '-')
	prefix, num := id[:max(i, 0)], id[i+1:]
	if i < 0 {
		j := strings.IndexAny(id, "0123456789")
		if j <= 0 {
			return false
		}
		prefix, num = id[:j], id[j:]
	}
	if prefix == "" || num == "" {
		return false
	}
	for _, r := range strings.ReplaceAll(prefix, "-", "") {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	for _, r := range num {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Scanners are the scanners the spec's checks need, in a fixed order.
func (s *Spec) Scanners() []string {
	var out []string
	for _, want := range []string{ScannerVuln, ScannerSecret, ScannerMisconfig, ScannerForensics} {
		for _, c := range s.Controls {
			for _, ch := range c.Checks {
				if ScannerOf(ch.ID) == want && !slices.Contains(out, want) {
					out = append(out, want)
				}
			}
		}
	}
	return out
}

// Report is a compliance report (Trivy's ComplianceReport, the JSON of
// --report all).
type Report struct {
	ID               string
	Title            string
	Description      string
	Version          string
	RelatedResources []string
	Results          []*ControlResult
}

// ControlResult is one control with the failing findings that map to it,
// one Result per finding (as Trivy).
type ControlResult struct {
	ID            string
	Name          string
	Description   string
	DefaultStatus string `json:",omitempty"`
	Severity      string
	Results       []model.Result
	// manual: no scan can judge the control (Control.Manual).
	manual bool
}

// Summary is the JSON of --report summary (Trivy's SummaryReport).
type Summary struct {
	SchemaVersion   int `json:",omitempty"`
	ID              string
	Title           string
	SummaryControls []ControlSummary `json:",omitempty"`
}

// ControlSummary counts a control's failures; TotalFail is absent for a
// manual control (no scan can judge it).
type ControlSummary struct {
	ID        string
	Name      string
	Severity  string
	TotalFail *int `json:",omitempty"`
}

// Build maps the findings of rep to the spec's controls. Only failing
// findings count: FAIL misconfigurations (not PASS entries of
// --include-non-failures), vulnerabilities, secrets and forensics
// findings.
//
// ran says whether a check ID was evaluated by the scan (its scanner ran
// and, for misconfigurations and forensics, such a check exists). A
// control none of whose checks ran cannot pass: it is reported like a
// manual one (no TotalFail, status "-"), and every check that did not run
// is named in the returned warnings. nil ran means every check ran.
func Build(rep *model.Report, s *Spec, ran func(id string) bool) (*Report, []string) {
	var warnings []string
	out := &Report{
		ID: s.ID, Title: s.Title, Description: s.Description, Version: s.Version,
		RelatedResources: s.RelatedResources,
	}
	for _, c := range s.Controls {
		cr := &ControlResult{
			ID: c.ID, Name: c.Name, Description: c.Description, DefaultStatus: c.DefaultStatus,
			Severity: c.Severity, Results: []model.Result{}, manual: c.Manual(),
		}
		evaluated := 0
		for _, ch := range c.Checks {
			if ran != nil && !ran(ch.ID) {
				if !cr.manual {
					warnings = append(warnings, fmt.Sprintf("compliance %s control %s: check %s was not evaluated (its scanner did not run, or no such check exists)", s.ID, c.ID, ch.ID))
				}
				continue
			}
			evaluated++
			cr.Results = append(cr.Results, matching(rep, ch.ID)...)
		}
		if evaluated == 0 {
			cr.manual = true
		}
		out.Results = append(out.Results, cr)
	}
	return out, warnings
}

// matching returns, for one check ID, one result per matching finding.
func matching(rep *model.Report, id string) []model.Result {
	up := strings.ToUpper(id)
	var out []model.Result
	one := func(r model.Result) model.Result {
		return model.Result{Target: r.Target, Class: r.Class, Type: r.Type}
	}
	for _, r := range rep.Results {
		switch ScannerOf(id) {
		case ScannerVuln:
			for _, v := range r.Vulnerabilities {
				if up == "VULN-"+strings.ToUpper(v.Severity) || strings.EqualFold(v.VulnerabilityID, id) {
					res := one(r)
					res.Vulnerabilities = []model.Vulnerability{v}
					out = append(out, res)
				}
			}
		case ScannerSecret:
			for _, sec := range r.Secrets {
				if up == "SECRET-"+strings.ToUpper(sec.Severity) {
					res := one(r)
					res.Secrets = []model.Secret{sec}
					out = append(out, res)
				}
			}
		case ScannerMisconfig:
			for _, m := range r.Misconfigurations {
				if m.Status != model.MisconfStatusFail || !misconfigMatches(m, up) {
					continue
				}
				res := one(r)
				res.MisconfSummary = &model.MisconfSummary{Failures: 1}
				res.Misconfigurations = []model.Misconfiguration{m}
				out = append(out, res)
			}
		case ScannerForensics:
			for _, f := range r.Findings {
				if strings.EqualFold(f.ID, id) {
					res := one(r)
					res.Findings = []model.ForensicFinding{f}
					out = append(out, res)
				}
			}
		}
	}
	return out
}

// misconfigMatches compares a spec ID with a misconfiguration's ID, AVD
// ID and the ID's short form (DS-0002 ↔ DS002).
func misconfigMatches(m model.Misconfiguration, up string) bool {
	for _, id := range []string{m.ID, m.AVDID} {
		if id != "" && strings.EqualFold(id, up) {
			return true
		}
	}
	return m.ID != "" && model.ShortCheckID(strings.ToUpper(m.ID)) == up
}

// Summarise is the summary of a report: per control, the number of
// failing findings (absent for manual controls).
func Summarise(r *Report) *Summary {
	s := &Summary{ID: r.ID, Title: r.Title}
	for _, cr := range r.Results {
		cs := ControlSummary{ID: cr.ID, Name: cr.Name, Severity: cr.Severity}
		if !cr.manual {
			n := len(cr.Results)
			cs.TotalFail = &n
		}
		s.SummaryControls = append(s.SummaryControls, cs)
	}
	return s
}
