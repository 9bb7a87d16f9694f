// Package filter applies Trivy's post-detection filters to a report:
// --severity, --ignore-unfixed / --ignore-status, the ignore file
// (.trivyignore in its plain and YAML forms), VEX documents (OpenVEX,
// CycloneDX VEX and CSAF VEX) and a baseline report (--baseline).
//
// Load parses every file once; Apply then mutates a *model.Report. Findings
// dropped by the severity or status filters vanish silently, as in Trivy.
// Findings suppressed by the ignore file, a VEX statement or the baseline are recorded in
// Result.ModifiedFindings when Options.ShowSuppressed is set, and dropped
// otherwise.
package filter

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/trawlsec/trawl/internal/fsutil"
	"github.com/trawlsec/trawl/pkg/model"
)

// DefaultIgnoreFile is the ignore file read when Options.IgnoreFile is empty.
const DefaultIgnoreFile = ".trivyignore"

// Size limits of the files Load reads; bigger files are refused, as are
// devices and FIFOs.
const (
	MaxIgnoreFileSize = 16 << 20 // per ignore file
	MaxVEXFileSize    = 64 << 20 // per VEX document
)

// Severities returns the severity names, lowest first.
func Severities() []string { return []string{"UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL"} }

// Vulnerability statuses, as written to Vulnerability.Status.
const (
	StatusUnknown            = "unknown"
	StatusNotAffected        = "not_affected"
	StatusAffected           = "affected"
	StatusFixed              = "fixed"
	StatusUnderInvestigation = "under_investigation"
	StatusWillNotFix         = "will_not_fix"
	StatusFixDeferred        = "fix_deferred"
	StatusEndOfLife          = "end_of_life"
)

// Statuses returns every vulnerability status, in Trivy's order.
func Statuses() []string {
	return []string{StatusUnknown, StatusNotAffected, StatusAffected, StatusFixed,
		StatusUnderInvestigation, StatusWillNotFix, StatusFixDeferred, StatusEndOfLife}
}

// Finding types of a model.ModifiedFinding.
const (
	TypeVulnerability = "vulnerability"
	TypeSecret        = "secret"
	TypeMisconfig     = "misconfiguration"
	TypeForensics     = "forensics"
	TypeLicense       = "license"
)

// Options are the filter settings, one field per Trivy flag.
type Options struct {
	// Severities keeps only findings of these severities (case-insensitive).
	// Empty keeps all. A vulnerability without a severity counts as UNKNOWN.
	Severities []string

	// IgnoreUnfixed drops vulnerabilities whose status is anything but
	// "fixed". It is ignored when IgnoreStatuses is set.
	IgnoreUnfixed bool

	// IgnoreStatuses drops vulnerabilities with these statuses.
	IgnoreStatuses []string

	// IgnoreFile is the ignore file; empty means DefaultIgnoreFile. A name
	// ending in .yaml or .yml is read in the YAML form, any other in the
	// plain form.
	IgnoreFile string

	// IgnoreFileExplicit says the user named IgnoreFile (--ignorefile): a
	// missing file is then an error. A missing default file is not.
	IgnoreFileExplicit bool

	// VEXFiles are VEX documents (--vex, repeatable); the format of each is
	// detected from its content.
	VEXFiles []string

	// Baseline is an earlier JSON report (trawl's or Trivy's) of the same
	// artifact (--baseline): findings it already has are suppressed, so
	// that only new ones are reported and counted. Empty: none.
	Baseline string

	// ShowSuppressed records findings suppressed by the ignore file, VEX or
	// the baseline in Result.ModifiedFindings instead of dropping them.
	ShowSuppressed bool

	// Now is the time ignore-file expiry dates are compared with; zero
	// means the time Load is called.
	Now time.Time
}

// Warning is a problem that does not stop filtering: an expired ignore
// entry, an unknown key in the ignore file.
type Warning struct {
	File    string // the file concerned, if any
	Line    int    // 1-based line, 0 when unknown
	Message string
}

// String formats the warning as "file:line: message".
func (w Warning) String() string {
	switch {
	case w.File != "" && w.Line > 0:
		return fmt.Sprintf("%s:%d: %s", w.File, w.Line, w.Message)
	case w.File != "":
		return w.File + ": " + w.Message
	}
	return w.Message
}

// Filter is a loaded set of filters. It is safe for concurrent use by
// Apply calls on different reports.
type Filter struct {
	severities     map[string]bool // nil: all
	ignoreStatuses map[string]bool
	ignore         *ignoreConfig // nil: no ignore file
	vex            []*vexDocument
	baseline       *baseline // nil: no baseline
	showSuppressed bool
	warnings       []Warning
}

// Load validates opts and parses the ignore file and the VEX documents. The
// error names the file and the problem.
func Load(opts Options) (*Filter, error) {
	f := &Filter{showSuppressed: opts.ShowSuppressed}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}

	if len(opts.Severities) > 0 {
		f.severities = make(map[string]bool)
		for _, s := range opts.Severities {
			u := strings.ToUpper(strings.TrimSpace(s))
			if !slices.Contains(Severities(), u) {
				return nil, fmt.Errorf("trawl/filter: unknown severity %q (want one of %s)", s, strings.Join(Severities(), ","))
			}
			f.severities[u] = true
		}
	}

	statuses := opts.IgnoreStatuses
	if len(statuses) == 0 && opts.IgnoreUnfixed {
		for _, s := range Statuses() {
			if s != StatusFixed {
				statuses = append(statuses, s)
			}
		}
	}
	if len(statuses) > 0 {
		f.ignoreStatuses = make(map[string]bool)
		for _, s := range statuses {
			l := strings.ToLower(strings.TrimSpace(s))
			if !slices.Contains(Statuses(), l) {
				return nil, fmt.Errorf("trawl/filter: unknown status %q (want one of %s)", s, strings.Join(Statuses(), ","))
			}
			f.ignoreStatuses[l] = true
		}
	}

	name := opts.IgnoreFile
	if name == "" {
		name = DefaultIgnoreFile
	}
	data, err := fsutil.ReadFileLimited(name, MaxIgnoreFileSize, "ignore files")
	switch {
	case errors.Is(err, fs.ErrNotExist) && !opts.IgnoreFileExplicit:
		// The default .trivyignore need not exist.
	case err != nil:
		return nil, fmt.Errorf("ignore file %s: %w", name, pathErr(err))
	default:
		src := filepath.ToSlash(filepath.Clean(name))
		var cfg *ignoreConfig
		if ext := strings.ToLower(filepath.Ext(name)); ext == ".yaml" || ext == ".yml" {
			cfg, err = parseIgnoreYAML(src, data)
		} else {
			cfg, err = parseIgnoreText(src, data)
		}
		if err != nil {
			return nil, err
		}
		f.warnings = append(f.warnings, cfg.prune(now)...)
		f.ignore = cfg
	}

	for _, path := range opts.VEXFiles {
		data, err := fsutil.ReadFileLimited(path, MaxVEXFileSize, "VEX documents")
		if err != nil {
			return nil, fmt.Errorf("VEX document %s: %w", path, pathErr(err))
		}
		doc, err := parseVEX(filepath.ToSlash(filepath.Clean(path)), data)
		if err != nil {
			return nil, err
		}
		f.vex = append(f.vex, doc)
	}

	if opts.Baseline != "" {
		data, err := fsutil.ReadFileLimited(opts.Baseline, MaxBaselineFileSize, "baseline reports")
		if err != nil {
			return nil, fmt.Errorf("baseline report %s: %w", opts.Baseline, pathErr(err))
		}
		if f.baseline, err = parseBaseline(opts.Baseline, data); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// Apply filters r in place and returns the warnings found while loading
// (so that the caller has one place to print them) and while filtering.
//
// The order is Trivy's: VEX statements first, then the severity and status
// filters, then the ignore file, then duplicates (same vulnerability,
// package, version and path) are merged. The baseline comes after the
// ignore file: a finding both ignore and list is reported as ignored.
func (f *Filter) Apply(r *model.Report) []Warning {
	if f == nil {
		return nil
	}
	warnings := slices.Clone(f.warnings)
	if r == nil {
		return warnings
	}
	if f.baseline != nil {
		warnings = append(warnings, f.baseline.artifactWarning(r)...)
	}
	art := newArtifact(r)
	for i := range r.Results {
		f.applyResult(&r.Results[i], art)
	}
	return warnings
}

func (f *Filter) applyResult(res *model.Result, art artifact) {
	if len(res.Vulnerabilities) > 0 {
		var tree *pkgTree
		if len(f.vex) > 0 {
			tree = newPkgTree(res)
		}
		kept := res.Vulnerabilities[:0:0]
		seen := make(map[string]int)
		for _, v := range res.Vulnerabilities {
			if m, ok := f.matchVEX(v, tree, art); ok {
				f.suppress(res, m)
				continue
			}
			if v.Severity == "" {
				v.Severity = "UNKNOWN"
			}
			if f.severities != nil && !f.severities[strings.ToUpper(v.Severity)] {
				continue
			}
			if f.ignoreStatuses != nil && f.ignoreStatuses[effectiveStatus(v)] {
				continue
			}
			if f.ignore != nil {
				if e := f.ignore.matchVulnerability(v, res.Target); e != nil {
					f.suppress(res, model.ModifiedFinding{
						Type: TypeVulnerability, Status: model.FindingStatusIgnored,
						Statement: e.Statement, Source: f.ignore.source, Finding: v,
					})
					continue
				}
			}
			if f.baseline != nil && f.baseline.hasVuln(res, v) {
				f.suppress(res, f.baseline.modified(TypeVulnerability, v))
				continue
			}
			key := v.VulnerabilityID + "\x00" + v.PkgID + "\x00" + v.PkgName + "\x00" + v.InstalledVersion + "\x00" + v.PkgPath
			if j, ok := seen[key]; ok {
				// Trivy keeps the same one whatever the order.
				if kept[j].FixedVersion < v.FixedVersion {
					kept[j] = v
				}
				continue
			}
			seen[key] = len(kept)
			kept = append(kept, v)
		}
		res.Vulnerabilities = nilIfEmpty(kept)
	}

	if len(res.Secrets) > 0 {
		kept := res.Secrets[:0:0]
		for _, s := range res.Secrets {
			if f.severities != nil && !f.severities[strings.ToUpper(s.Severity)] {
				continue
			}
			if f.ignore != nil {
				if e := f.ignore.secrets.match(s.RuleID, []string{res.Target}, ""); e != nil {
					f.suppress(res, model.ModifiedFinding{
						Type: TypeSecret, Status: model.FindingStatusIgnored,
						Statement: e.Statement, Source: f.ignore.source, Finding: s,
					})
					continue
				}
			}
			if f.baseline != nil && f.baseline.hasSecret(res, s) {
				f.suppress(res, f.baseline.modified(TypeSecret, s))
				continue
			}
			kept = append(kept, s)
		}
		res.Secrets = nilIfEmpty(kept)
	}

	if len(res.Misconfigurations) > 0 {
		f.applyMisconfigs(res)
	}
	if len(res.Findings) > 0 {
		kept := res.Findings[:0:0]
		for _, ff := range res.Findings {
			if f.severities != nil && !f.severities[strings.ToUpper(ff.Severity)] {
				continue
			}
			// The ignore file's forensics entries match the finding ID
			// and the file's path ("FOR-PERM-SETUID" with paths:
			// ["usr/bin/sudo"]), as the plain form's IDs do.
			if f.ignore != nil {
				if e := f.ignore.forensics.match(ff.ID, []string{ff.Path}, ""); e != nil {
					f.suppress(res, model.ModifiedFinding{
						Type: TypeForensics, Status: model.FindingStatusIgnored,
						Statement: e.Statement, Source: f.ignore.source, Finding: ff,
					})
					continue
				}
			}
			if f.baseline != nil && f.baseline.hasForensic(ff) {
				f.suppress(res, f.baseline.modified(TypeForensics, ff))
				continue
			}
			kept = append(kept, ff)
		}
		res.Findings = nilIfEmpty(kept)
	}
	if len(res.Licenses) > 0 {
		kept := res.Licenses[:0:0]
		for _, l := range res.Licenses {
			if f.severities != nil && !f.severities[strings.ToUpper(l.Severity)] {
				continue
			}
			// The ignore file's licenses entries name the licence as
			// reported (its SPDX expression), with paths on the target
			// or the package's file.
			if f.ignore != nil {
				if e := f.ignore.licenses.match(l.Name, []string{res.Target, l.FilePath}, ""); e != nil {
					f.suppress(res, model.ModifiedFinding{
						Type: TypeLicense, Status: model.FindingStatusIgnored,
						Statement: e.Statement, Source: f.ignore.source, Finding: l,
					})
					continue
				}
			}
			kept = append(kept, l)
		}
		res.Licenses = nilIfEmpty(kept)
	}
}

// applyMisconfigs filters misconfigurations by severity, by the ignore
// file (by ID, AVD ID or the ID's older short form: DS-0002, AVD-DS-0002 or
// DS002) and by the baseline, keeping MisconfSummary in step with what
// remains.
func (f *Filter) applyMisconfigs(res *model.Result) {
	kept := res.Misconfigurations[:0:0]
	drop := func(m model.Misconfiguration) {
		if res.MisconfSummary == nil {
			return
		}
		switch m.Status {
		case model.MisconfStatusFail:
			res.MisconfSummary.Failures--
		case model.MisconfStatusPass:
			res.MisconfSummary.Successes--
		}
	}
	for _, m := range res.Misconfigurations {
		if f.severities != nil && !f.severities[strings.ToUpper(m.Severity)] {
			drop(m)
			continue
		}
		if f.ignore != nil {
			var e *ignoreEntry
			for _, id := range []string{m.ID, m.AVDID, model.ShortCheckID(m.ID)} {
				if e == nil && id != "" {
					e = f.ignore.misconfigurations.match(id, []string{res.Target}, "")
				}
			}
			if e != nil {
				drop(m)
				f.suppress(res, model.ModifiedFinding{
					Type: TypeMisconfig, Status: model.FindingStatusIgnored,
					Statement: e.Statement, Source: f.ignore.source, Finding: m,
				})
				continue
			}
		}
		if f.baseline != nil && f.baseline.hasMisconf(res, m) {
			drop(m)
			f.suppress(res, f.baseline.modified(TypeMisconfig, m))
			continue
		}
		kept = append(kept, m)
	}
	res.Misconfigurations = nilIfEmpty(kept)
}

func (f *Filter) suppress(res *model.Result, m model.ModifiedFinding) {
	if f.showSuppressed {
		res.ModifiedFindings = append(res.ModifiedFindings, m)
	}
}

// effectiveStatus is the vulnerability's status; an empty one is derived
// from FixedVersion (fixed when there is one, else affected), so that
// --ignore-unfixed keeps fixable findings whatever the detector set.
func effectiveStatus(v model.Vulnerability) string {
	if s := strings.ToLower(v.Status); s != "" {
		return s
	}
	if v.FixedVersion != "" {
		return StatusFixed
	}
	return StatusAffected
}

func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}

// pathErr drops the path from an *fs.PathError, which the caller's message
// already names.
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var fe *fsutil.Error
	if errors.As(err, &fe) {
		return fe.Err
	}
	return err
}
