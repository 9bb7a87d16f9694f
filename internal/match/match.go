// Package match finds the vulnerabilities of packages in a trawl
// vulnerability database (package store): it picks the lookup name and
// version each ecosystem publishes advisories under (source packages for
// Debian and Ubuntu, origins for Alpine, normalised names for language
// ecosystems), evaluates OSV ranges with the ecosystem's comparator, merges
// records that are aliases of each other, and fills the fields of Trivy's
// DetectedVulnerability (severity, CVSS, status, data source, links).
//
// Matching never guesses: a package version that does not parse under its
// ecosystem's rules is reported as a Warning and matches nothing (except a
// verbatim entry of an advisory's versions list).
package match

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/trawlsec/trawl/internal/version"
	"github.com/trawlsec/trawl/internal/vulndb/osv"
	"github.com/trawlsec/trawl/internal/vulndb/store"
	"github.com/trawlsec/trawl/pkg/model"
)

// Finding statuses, as written to Vulnerability.Status (Trivy's names).
const (
	StatusFixed              = "fixed"
	StatusAffected           = "affected"
	StatusWillNotFix         = "will_not_fix"
	StatusFixDeferred        = "fix_deferred"
	StatusEndOfLife          = "end_of_life"
	StatusUnderInvestigation = "under_investigation"
	// StatusNotAffected marks an advisory entry that does not apply to
	// the package; such entries never produce a finding.
	StatusNotAffected = "not_affected"
)

// Severities, as written to Vulnerability.Severity.
const (
	SeverityUnknown  = "UNKNOWN"
	SeverityLow      = "LOW"
	SeverityMedium   = "MEDIUM"
	SeverityHigh     = "HIGH"
	SeverityCritical = "CRITICAL"
)

// Options tune a Matcher. The zero value is Trivy's default behaviour.
type Options struct {
	// SeveritySources, when set, picks Severity from the VendorSeverity of
	// the first listed source that has one (Trivy's --vuln-severity-source,
	// e.g. "ghsa", "alpine", "go-vulndb"); the entry "auto" stands for the
	// default selection. When no listed source has a severity, the default
	// selection applies.
	SeveritySources []string
}

// Matcher matches packages against one database. It holds no state
// between calls to Match and is safe for concurrent use.
type Matcher struct {
	store *store.Store
	opts  Options
}

// New returns a Matcher reading s.
func New(s *store.Store, opts Options) *Matcher {
	return &Matcher{store: s, opts: opts}
}

// Warning reports a package or an advisory that could not be evaluated.
// Warnings do not stop matching; the package is not reported as affected by
// the advisories it could not be compared with.
type Warning struct {
	// PkgID identifies the package (its ID, or name@version).
	PkgID string
	// Ecosystem is the OSV ecosystem the package was looked up in.
	Ecosystem string
	// VulnerabilityID is set when the warning is about one advisory's data.
	VulnerabilityID string
	// Err is the cause; it wraps version.ErrInvalidVersion for a version
	// that does not parse, version.ErrInvalidRange for advisory ranges that
	// cannot be evaluated, and version.ErrUnsupportedEcosystem.
	Err error
}

// String formats the warning for a log line.
func (w Warning) String() string {
	var b strings.Builder
	if w.PkgID != "" {
		b.WriteString(w.PkgID)
	}
	if w.Ecosystem != "" {
		fmt.Fprintf(&b, " (%s)", w.Ecosystem)
	}
	if w.VulnerabilityID != "" {
		fmt.Fprintf(&b, " advisory %s", w.VulnerabilityID)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if w.Err != nil {
		b.WriteString(w.Err.Error())
	}
	return strings.TrimSpace(b.String())
}

// develVersion is the version Go records for a main module built from a
// working tree; it names no release and is never matched.
const develVersion = "(devel)"

// EcosystemForType returns the OSV ecosystem of a language package type
// (model.TypeNpm → "npm", model.TypePoetry → "PyPI", …), or "" for OS and
// unknown types and types trawl does not match. Match uses it for packages
// whose Ecosystem is empty. It reads the package type table of pkg/model.
func EcosystemForType(pkgType string) string { return model.PackageTypeOf(pkgType).Ecosystem }

// query is one store lookup of a package.
type query struct {
	ecosystem string
	name      string
	version   string
}

// found is one matched record (all entries of one id) for a query.
type found struct {
	id      string
	entries []store.Entry
	fixed   []string
	details *osv.Vulnerability
}

// matchState is the per-call cache: lookups and details shared by the
// binary packages of one source and by aliases.
type matchState struct {
	cmps     map[string]version.Comparator
	cmpErr   map[string]error
	results  map[query]queryResult
	pkgs     map[string]*pkgEntries // by ecosystem \x00 name
	details  map[string]*osv.Vulnerability
	aliased  map[string][]string // Store.Aliased, by alias
	warnings []Warning
	warned   map[string]bool
}

type queryResult struct {
	groups []*group
	err    error // a version error, reported once per package
}

// Match returns the vulnerabilities of pkgs, which are all of pkgType
// (model.TypeDpkg, model.TypeApk, model.TypeNpm, model.TypeGoBinary…).
// osInfo is the detected OS; it is needed only for OS packages whose
// Ecosystem is empty and may be nil otherwise.
//
// OS packages without Ecosystem are looked up in every ecosystem of the
// detected release the database holds (store.Store.ReleaseEcosystems: all
// repositories of a Red Hat release, all products of a SUSE service pack),
// never in another release's.
//
// Lookup rules: Debian and Ubuntu packages are looked up by source package
// (SrcName, falling back to Name) at the source version; Alpine (and Wolfi,
// Chainguard) packages by origin (SrcName) at the package version; RPM
// packages by name and by source name; language packages by their name in
// Package.Ecosystem. Every binary package of a source gets the finding
// under its own name. Go main modules at "(devel)" are skipped. CocoaPods
// packages are looked up in SwiftURL under their source repository
// (podRepository), at the pod's version; pods whose repository is not
// known are skipped without a warning.
//
// Warnings: a package version that does not parse under its ecosystem's
// rules, checked against the advisories of its package, is one Warning per
// package (a package without advisories is never compared, so it is no
// warning); advisory ranges that cannot be evaluated are one Warning per
// advisory and package name; an ecosystem without comparator, and an OS the
// database has no data for, one Warning each.
//
// The result is sorted by PkgName, then VulnerabilityID, and free of
// duplicates (same id, PkgID, PkgName, InstalledVersion and PkgPath). The
// findings share no memory with each other. An error is returned only for
// a database failure or a cancelled context.
func (m *Matcher) Match(ctx context.Context, osInfo *model.OS, pkgType string, pkgs []model.Package) ([]model.Vulnerability, []Warning, error) {
	st := &matchState{
		cmps:    map[string]version.Comparator{},
		cmpErr:  map[string]error{},
		results: map[query]queryResult{},
		pkgs:    map[string]*pkgEntries{},
		details: map[string]*osv.Vulnerability{},
		aliased: map[string][]string{},
		warned:  map[string]bool{},
	}
	var osEcos []string
	if model.IsOSType(pkgType) && osInfo.Detected() {
		ecos, ok := m.store.ReleaseEcosystems(osInfo.Family, osInfo.Name)
		osEcos = ecos
		if !ok {
			msg := fmt.Errorf("the vulnerability database holds no advisories for %s %s", osInfo.Family, osInfo.Name)
			eco := ""
			if len(ecos) == 0 {
				msg = fmt.Errorf("OS family %q is not supported", osInfo.Family)
			} else {
				eco = ecos[0]
			}
			st.warnings = append(st.warnings, Warning{Ecosystem: eco, Err: msg})
		}
	}

	var out []model.Vulnerability
	seen := map[string]bool{}
	for i := range pkgs {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		p := &pkgs[i]
		ecos := []string{p.Ecosystem}
		switch {
		case pkgType == model.TypeCocoaPods:
			// Looked up by repository in SwiftURL (podRepository); a pod
			// whose repository is unknown is not matched.
			ecos = []string{EcosystemForType(pkgType)}
			if podRepository(p) == "" {
				continue
			}
		case p.Ecosystem != "":
		case model.IsOSType(pkgType):
			ecos = osEcos
		default:
			ecos = []string{EcosystemForType(pkgType)}
		}
		if len(ecos) == 0 || ecos[0] == "" {
			if model.IsOSType(pkgType) && !osInfo.Detected() && !st.warned["no-os"] {
				st.warned["no-os"] = true
				st.warnings = append(st.warnings, Warning{Err: fmt.Errorf("no OS detected: %s packages without ecosystem are not matched", pkgType)})
			}
			continue
		}
		vs, err := m.matchPackage(st, p, pkgType, ecos)
		if err != nil {
			return nil, nil, err
		}
		for _, v := range vs {
			k := strings.Join([]string{v.VulnerabilityID, v.PkgID, v.PkgName, v.InstalledVersion, v.PkgPath}, "\x00")
			if seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, v)
		}
	}
	slices.SortStableFunc(out, func(a, b model.Vulnerability) int {
		return cmp.Or(
			strings.Compare(a.PkgName, b.PkgName),
			strings.Compare(a.VulnerabilityID, b.VulnerabilityID),
			strings.Compare(a.InstalledVersion, b.InstalledVersion),
			strings.Compare(a.PkgPath, b.PkgPath),
			strings.Compare(a.PkgID, b.PkgID),
		)
	})
	return out, st.warnings, nil
}

// matchPackage returns the findings of one package looked up in each of
// ecos (one for a language package; every ecosystem of the OS release for
// an OS package), in lookup order and possibly with duplicates.
func (m *Matcher) matchPackage(st *matchState, p *model.Package, pkgType string, ecos []string) ([]model.Vulnerability, error) {
	var out []model.Vulnerability
	pkgID := packageID(p)
	for _, eco := range ecos {
		if store.BaseEcosystem(eco) == "Go" && (p.Version == develVersion || p.Version == "") {
			continue
		}
		cmpr, err := st.comparator(eco)
		if err != nil {
			if !st.warned["eco\x00"+eco] {
				st.warned["eco\x00"+eco] = true
				st.warnings = append(st.warnings, Warning{Ecosystem: eco, Err: err})
			}
			continue
		}
		qs := queries(eco, p)
		if pkgType == model.TypeCocoaPods {
			qs = []query{{eco, podRepository(p), p.Version}}
		}
		for _, q := range qs {
			r, err := m.lookup(st, cmpr, q)
			if err != nil {
				return nil, err
			}
			if r.err != nil {
				// One warning per package and distribution, however many
				// ecosystems of its release it was looked up in.
				key := "pkg\x00" + pkgID + "\x00" + store.BaseEcosystem(eco)
				if !st.warned[key] {
					st.warned[key] = true
					st.warnings = append(st.warnings, Warning{PkgID: pkgID, Ecosystem: eco, Err: r.err})
				}
			}
			for _, g := range r.groups {
				v := clone(g.vuln)
				fill(&v, p, pkgType, pkgID)
				out = append(out, v)
			}
		}
	}
	return out, nil
}

// fill sets the package fields of a finding.
func fill(v *model.Vulnerability, p *model.Package, pkgType, pkgID string) {
	v.PkgID = pkgID
	v.PkgName = p.Name
	v.PkgIdentifier = p.Identifier
	v.InstalledVersion = p.FullVersion()
	v.Layer = p.Layer
	if model.IsAggregated(pkgType) {
		v.PkgPath = p.FilePath
	}
}

// clone copies a finding deeply, so that findings of the binaries of one
// source share no slice, map or pointer.
func clone(v model.Vulnerability) model.Vulnerability {
	v.VendorIDs = slices.Clone(v.VendorIDs)
	v.CweIDs = slices.Clone(v.CweIDs)
	v.References = slices.Clone(v.References)
	v.VendorSeverity = maps.Clone(v.VendorSeverity)
	v.CVSS = maps.Clone(v.CVSS)
	if v.DataSource != nil {
		ds := *v.DataSource
		v.DataSource = &ds
	}
	if v.PublishedDate != nil {
		t := *v.PublishedDate
		v.PublishedDate = &t
	}
	if v.LastModifiedDate != nil {
		t := *v.LastModifiedDate
		v.LastModifiedDate = &t
	}
	return v
}

// packageID returns the package's ID, or name@version.
func packageID(p *model.Package) string {
	if p.ID != "" {
		return p.ID
	}
	return p.Name + "@" + p.FullVersion()
}

// queries returns the store lookups for a package in eco.
func queries(eco string, p *model.Package) []query {
	switch strings.ToLower(store.BaseEcosystem(eco)) {
	case "debian", "ubuntu":
		if p.SrcName != "" && p.SrcVersion != "" {
			return []query{{eco, p.SrcName, p.FullSrcVersion()}}
		}
		name := p.Name
		if p.SrcName != "" {
			name = p.SrcName
		}
		return []query{{eco, name, p.FullVersion()}}
	case "alpine", "wolfi", "chainguard":
		name := p.Name
		if p.SrcName != "" {
			name = p.SrcName
		}
		return []query{{eco, name, p.FullVersion()}}
	}
	if _, err := version.ForEcosystem(eco); err == nil && isRPMEcosystem(eco) {
		qs := []query{{eco, p.Name, p.FullVersion()}}
		if p.SrcName != "" && p.SrcName != p.Name {
			v := p.FullSrcVersion()
			if p.SrcVersion == "" {
				v = p.FullVersion()
			}
			qs = append(qs, query{eco, p.SrcName, v})
		}
		return qs
	}
	return []query{{eco, store.Normalize(eco, p.Name), p.Version}}
}

// isRPMEcosystem reports whether eco compares versions as RPM does.
func isRPMEcosystem(eco string) bool {
	c, err := version.ForEcosystem(eco)
	if err != nil {
		return false
	}
	_, ok := c.(version.RPM)
	return ok
}

func (st *matchState) comparator(eco string) (version.Comparator, error) {
	if c, ok := st.cmps[eco]; ok {
		return c, nil
	}
	if err, ok := st.cmpErr[eco]; ok {
		return nil, err
	}
	c, err := version.ForEcosystem(eco)
	if err != nil {
		st.cmpErr[eco] = err
		return nil, err
	}
	st.cmps[eco] = c
	return c, nil
}

// lookup evaluates one query, cached per call.
func (m *Matcher) lookup(st *matchState, cmpr version.Comparator, q query) (queryResult, error) {
	if r, ok := st.results[q]; ok {
		return r, nil
	}
	pe, err := m.pkgEntries(st, cmpr, q)
	if err != nil {
		return queryResult{}, err
	}
	entries := pe.cands
	var r queryResult
	if len(entries) == 0 {
		st.results[q] = r
		return r, nil
	}
	if q.version == "" {
		r.err = fmt.Errorf("%w: no version to compare with %d advisories", version.ErrInvalidVersion, len(entries))
		st.results[q] = r
		return r, nil
	}
	byID := map[string]*found{}
	var ids []string
	vkey := equalityKey(q.version)
	installed := version.NewInstalled(cmpr, q.version)
	_, isRPM := cmpr.(version.RPM)
	for i := range entries {
		c := &entries[i]
		ok, fixed, err := installed.EvaluatePrepared(candidates(osv.Affected{Versions: c.Versions}, q.version, vkey).Versions, pe.prepared[i])
		if err != nil {
			switch {
			case errors.Is(err, version.ErrInvalidRange):
				key := "range\x00" + c.ID + "\x00" + q.ecosystem + "\x00" + q.name
				if !st.warned[key] {
					st.warned[key] = true
					st.warnings = append(st.warnings, Warning{PkgID: q.name, Ecosystem: q.ecosystem, VulnerabilityID: c.ID, Err: err})
				}
			case r.err == nil:
				r.err = err
			}
		}
		if !ok || (isRPM && moduleMismatch(q.version, fixed)) {
			continue
		}
		d, err := m.detailsOf(st, c.ID)
		if err != nil {
			return queryResult{}, err
		}
		if d != nil && !d.Withdrawn.IsZero() {
			continue
		}
		e, err := pe.entry(i)
		if err != nil {
			return queryResult{}, fmt.Errorf("match %s/%s: %w", q.ecosystem, q.name, err)
		}
		if entryStatus(e.Affected) == StatusNotAffected {
			continue
		}
		f := byID[e.ID]
		if f == nil {
			f = &found{id: e.ID, details: d}
			byID[e.ID] = f
			ids = append(ids, e.ID)
		}
		f.entries = append(f.entries, e)
		for _, fx := range fixed {
			if !slices.Contains(f.fixed, fx) {
				f.fixed = append(f.fixed, fx)
			}
		}
	}
	slices.Sort(ids)
	list := make([]*found, 0, len(ids))
	for _, id := range ids {
		list = append(list, byID[id])
	}
	r.groups = buildGroups(cmpr, q.ecosystem, list, m.opts)
	if err := m.aliasSeverity(st, q.ecosystem, r.groups); err != nil {
		return queryResult{}, err
	}
	st.results[q] = r
	return r, nil
}

// pkgEntries holds the affected entries of one package name, read and
// prepared once per Match call for all the versions it is looked up at.
type pkgEntries struct {
	cands    []store.Candidate
	prepared []*version.Prepared // the ranges of cands[i], parsed and sorted
	entries  []*store.Entry      // cands[i] fully decoded, once it matched
}

// entry returns the full entry of cands[i], decoding it once.
func (pe *pkgEntries) entry(i int) (store.Entry, error) {
	if pe.entries[i] == nil {
		e, err := pe.cands[i].Entry()
		if err != nil {
			return store.Entry{}, err
		}
		pe.entries[i] = &e
	}
	return *pe.entries[i], nil
}

// pkgEntries reads the entries of q's package, cached per call.
func (m *Matcher) pkgEntries(st *matchState, cmpr version.Comparator, q query) (*pkgEntries, error) {
	key := q.ecosystem + "\x00" + q.name
	if pe, ok := st.pkgs[key]; ok {
		return pe, nil
	}
	cands, err := m.store.Candidates(q.ecosystem, q.name)
	if err != nil {
		return nil, fmt.Errorf("match %s/%s: %w", q.ecosystem, q.name, err)
	}
	pe := &pkgEntries{cands: cands, prepared: make([]*version.Prepared, len(cands)), entries: make([]*store.Entry, len(cands))}
	for i := range cands {
		pe.prepared[i] = version.Prepare(cmpr, cands[i].Ranges)
	}
	st.pkgs[key] = pe
	return pe, nil
}

// candidates returns a with its versions list cut down to the entries that
// can equal v under any comparator: v itself, and those with v's equality
// key. Long lists (PyPI records enumerate hundreds of releases) are thus
// not compared entry by entry with every installed version, which is what
// dominates matching time otherwise.
func candidates(a osv.Affected, v, vkey string) osv.Affected {
	if len(a.Versions) <= 8 {
		return a
	}
	var keep []string
	for _, s := range a.Versions {
		if s == v || vkey == "" || equalityKey(s) == vkey || equalityKey(s) == "" {
			keep = append(keep, s)
		}
	}
	a.Versions = keep
	return a
}

// equalityKey is a necessary condition for two versions to compare equal
// under every comparator of package version: the digits 1–9 of the part
// before any "+" (build metadata, which SemVer, Go and NuGet ignore; PEP
// 440 local versions are compared only when the keys match, which they do
// for equal versions). Zeros are dropped because "1.0" equals "1",
// "1.0.0" and "1.post01"-style spellings compare numerically; letters are
// dropped because "a1"/"alpha1", "-ga"/"" and case differ in spelling only.
func equalityKey(v string) string {
	if i := strings.IndexByte(v, '+'); i >= 0 {
		v = v[:i]
	}
	var b []byte
	for i := 0; i < len(v); i++ {
		if c := v[i]; c >= '1' && c <= '9' {
			b = append(b, c)
		}
	}
	return string(b)
}

func (m *Matcher) detailsOf(st *matchState, id string) (*osv.Vulnerability, error) {
	if d, ok := st.details[id]; ok {
		return d, nil
	}
	d, err := m.store.Details(id)
	if err != nil {
		return nil, fmt.Errorf("match: %w", err)
	}
	st.details[id] = d
	return d, nil
}

// timePtr returns &t, or nil for a zero (or year-1) time.
func timePtr(t time.Time) *time.Time {
	if t.IsZero() || t.Year() <= 1 {
		return nil
	}
	t = t.UTC()
	return &t
}
