package match

import (
	"slices"
	"strings"

	"github.com/trawlsec/trawl/internal/version"
	"github.com/trawlsec/trawl/internal/vulndb/nvd"
	"github.com/trawlsec/trawl/internal/vulndb/osv"
	"github.com/trawlsec/trawl/internal/vulndb/store"
	"github.com/trawlsec/trawl/pkg/model"
)

// group is the records matched for one package that describe one
// vulnerability (they are aliases of each other), with the package-free
// part of the finding already filled in.
type group struct {
	records []*found
	vuln    model.Vulnerability
}

// buildGroups merges matched records that are aliases of each other (one
// lists the other's id, or both list a common alias) and builds a finding
// per group.
func buildGroups(cmpr version.Comparator, eco string, list []*found, opts Options) []*group {
	parent := make([]int, len(list))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(a, b int) {
		ra, rb := find(a), find(b)
		if ra == rb {
			return
		}
		if ra < rb {
			parent[rb] = ra
		} else {
			parent[ra] = rb
		}
	}
	owner := map[string]int{} // id or alias → first record naming it
	for i, f := range list {
		for _, n := range append([]string{f.id}, aliasesOf(f)...) {
			if j, ok := owner[n]; ok {
				union(i, j)
				continue
			}
			owner[n] = i
		}
	}
	byRoot := map[int]*group{}
	var out []*group
	for i, f := range list {
		r := find(i)
		g := byRoot[r]
		if g == nil {
			g = &group{}
			byRoot[r] = g
			out = append(out, g)
		}
		g.records = append(g.records, f)
	}
	for _, g := range out {
		g.vuln = g.finding(cmpr, eco, opts)
	}
	return out
}

// aliasesOf returns a record's aliases, with the CVE its id embeds
// (Debian's and Ubuntu's "DEBIAN-CVE-2024-1234", "UBUNTU-CVE-2024-1234"
// records name the CVE they track in their id, and in "upstream" rather
// than "aliases"), and the ids of its "upstream" list when that names
// exactly one CVE (a Red Hat advisory fixing one CVE, a Chainguard CGA-
// record naming its CVE and GHSA): such a record describes that one
// vulnerability. An upstream list of several CVEs (a USN or an RHSA fixing
// many) is not an alias of any of them.
func aliasesOf(f *found) []string {
	var out []string
	if f.details != nil {
		out = f.details.Aliases
		if up := f.details.Upstream; len(up) > 0 && countCVEs(up) == 1 {
			out = slices.Clone(out)
			for _, u := range up {
				if u != f.id && !slices.Contains(out, u) {
					out = append(out, u)
				}
			}
		}
	}
	if c := embeddedCVE(f.id); c != "" && !slices.Contains(out, c) {
		out = append(slices.Clone(out), c)
	}
	return out
}

func countCVEs(ids []string) int {
	n := 0
	for _, id := range ids {
		if isCVE(id) {
			n++
		}
	}
	return n
}

// embeddedCVE returns "CVE-2024-1234" for an id "PREFIX-CVE-2024-1234",
// else "".
func embeddedCVE(id string) string {
	i := strings.Index(id, "-CVE-")
	if i <= 0 {
		return ""
	}
	c := id[i+1:]
	parts := strings.Split(c, "-")
	if len(parts) != 3 || len(parts[1]) != 4 || len(parts[2]) < 4 || !digits(parts[1]) || !digits(parts[2]) {
		return ""
	}
	return c
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isCVE(id string) bool { return strings.HasPrefix(id, "CVE-") }

// finding builds the package-independent fields of the group's finding.
func (g *group) finding(cmpr version.Comparator, eco string, opts Options) model.Vulnerability {
	// The id: a record that is itself a CVE (secdb records are), else the
	// single CVE the records alias, else the primary record's id.
	var cves []string
	all := map[string]bool{}
	for _, f := range g.records {
		all[f.id] = true
		if isCVE(f.id) && !slices.Contains(cves, f.id) {
			cves = append(cves, f.id)
		}
		for _, a := range aliasesOf(f) {
			all[a] = true
			if isCVE(a) && !slices.Contains(cves, a) {
				cves = append(cves, a)
			}
		}
	}
	primary := g.primary(eco)
	id := primary.id
	switch {
	case isCVE(primary.id):
	case len(cves) == 1:
		id = cves[0]
	}
	var vendorIDs []string
	for n := range all {
		if n != id {
			vendorIDs = append(vendorIDs, n)
		}
	}
	slices.Sort(vendorIDs)

	v := model.Vulnerability{
		VulnerabilityID: id,
		VendorIDs:       vendorIDs,
		PrimaryURL:      primaryURL(id),
	}
	src := sourceOf(eco, primary)
	v.DataSource = dataSource(src, eco)

	// Fixed versions over every matched entry, in version order.
	var fixed []string
	for _, f := range g.records {
		for _, fx := range f.fixed {
			if !slices.Contains(fixed, fx) {
				fixed = append(fixed, fx)
			}
		}
	}
	slices.SortStableFunc(fixed, func(a, b string) int {
		if c, err := cmpr.Compare(a, b); err == nil && c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	v.FixedVersion = strings.Join(fixed, ", ")
	v.Status = StatusAffected
	if v.FixedVersion != "" {
		v.Status = StatusFixed
	} else if s := statusOf(g.records); s != "" {
		v.Status = s
	}

	// Texts, links and dates from the primary record, completed by the
	// others.
	if d := primary.details; d != nil {
		v.Title = d.Summary
		v.Description = d.Details
		v.PublishedDate = timePtr(d.Published)
		v.LastModifiedDate = timePtr(d.Modified)
	}
	for _, f := range g.ordered(primary) {
		d := f.details
		if d == nil {
			continue
		}
		if v.Title == "" {
			v.Title = d.Summary
		}
		if v.Description == "" {
			v.Description = d.Details
		}
		if v.PublishedDate == nil {
			v.PublishedDate = timePtr(d.Published)
		}
		if v.LastModifiedDate == nil {
			v.LastModifiedDate = timePtr(d.Modified)
		}
		for _, r := range d.References {
			if r.URL != "" && !slices.Contains(v.References, r.URL) {
				v.References = append(v.References, r.URL)
			}
		}
		for _, c := range cweIDs(d.DatabaseSpecific) {
			if !slices.Contains(v.CweIDs, c) {
				v.CweIDs = append(v.CweIDs, c)
			}
		}
	}
	g.severity(&v, eco, primary, opts)
	return v
}

// primary picks the record whose texts and data source the finding shows:
// the one with the highest-ranked source, then the lowest id.
func (g *group) primary(eco string) *found {
	best := g.records[0]
	for _, f := range g.records[1:] {
		rb, rf := sourceRank(sourceOf(eco, best)), sourceRank(sourceOf(eco, f))
		if rf < rb || (rf == rb && f.id < best.id) {
			best = f
		}
	}
	return best
}

// ordered returns the records with primary first, then by id.
func (g *group) ordered(primary *found) []*found {
	out := []*found{primary}
	for _, f := range g.records {
		if f != primary {
			out = append(out, f)
		}
	}
	return out
}

// cweIDs reads database_specific.cwe_ids (GHSA's field).
func cweIDs(ds map[string]any) []string {
	raw, ok := ds["cwe_ids"].([]any)
	if !ok {
		return nil
	}
	var out []string
	for _, x := range raw {
		if s, ok := x.(string); ok && s != "" {
			out = append(out, s)
		}
	}
	return out
}

// statusOf maps a distribution's "will not fix", "deferred" and "end of
// life" markers found in the matched entries' ecosystem_specific or
// database_specific objects (see entryStatus).
func statusOf(records []*found) string {
	for _, f := range records {
		for _, e := range f.entries {
			if s := entryStatus(e.Affected); s != "" && s != StatusNotAffected {
				return s
			}
		}
	}
	return ""
}

// entryStatus returns the status an affected entry's ecosystem_specific
// or database_specific object gives the package, "" when none:
//
//   - "status", "fix_status", "fix-status", "state", "resolution": a status
//     word (normalizeStatus), as distributions and mirrors write them;
//   - Debian's tracker fields "nodsa_reason" ("ignored" → will_not_fix,
//     "postponed" → fix_deferred) and "nodsa" (a <no-dsa> note without
//     reason → will_not_fix);
//   - Debian's "urgency" "end-of-life" (the <end-of-life> tag: the package
//     is no longer supported in that release) → end_of_life.
//
// StatusNotAffected ("not-affected", "<not-affected>", Ubuntu's "DNE",
// "false-positive") means the entry does not apply: it never matches.
func entryStatus(a osv.Affected) string {
	for _, m := range []map[string]any{a.EcosystemSpecific, a.DatabaseSpecific} {
		for _, k := range []string{"status", "fix_status", "fix-status", "state", "resolution", "nodsa_reason"} {
			if s, ok := m[k].(string); ok {
				if st := normalizeStatus(s); st != "" {
					return st
				}
			}
		}
		if s, ok := m["nodsa"].(string); ok && strings.TrimSpace(s) != "" {
			return StatusWillNotFix
		}
		if s, ok := m["urgency"].(string); ok && normalizeStatus(s) == StatusEndOfLife {
			return StatusEndOfLife
		}
	}
	return ""
}

// normalizeStatus maps a distribution's status word to Trivy's status
// ("" for words that mean affected without more, such as Ubuntu's
// "needed" or "pending").
func normalizeStatus(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.Trim(s, "<>")
	s = strings.NewReplacer("-", "_", " ", "_", "'", "").Replace(s)
	switch s {
	case "will_not_fix", "wont_fix", "wontfix", "ignored", "not_fixed", "no_dsa", "fix_not_planned":
		return StatusWillNotFix
	case "fix_deferred", "deferred", "postponed":
		return StatusFixDeferred
	case "end_of_life", "eol", "out_of_support":
		return StatusEndOfLife
	case "under_investigation", "needs_triage":
		return StatusUnderInvestigation
	case "not_affected", "notaffected", "dne", "false_positive", "false_positive_determination":
		return StatusNotAffected
	}
	return ""
}

// sourceOf names the source (Trivy's SourceID) a record came from.
func sourceOf(eco string, f *found) string {
	id := f.id
	if f.details != nil {
		if s, _ := f.details.DatabaseSpecific["source"].(string); s == nvd.Source {
			return nvd.Source // CVSS data only, by CVE
		}
	}
	base := strings.ToLower(store.BaseEcosystem(eco))
	for _, e := range f.entries {
		if s, _ := e.Affected.DatabaseSpecific["source"].(string); s == "secdb" {
			switch base {
			case "wolfi", "chainguard":
				return base
			}
			return "alpine"
		}
	}
	if strings.HasPrefix(id, "CGA-") {
		// Chainguard publishes one record for both distributions.
		if base == "wolfi" {
			return "wolfi"
		}
		return "chainguard"
	}
	prefixes := []struct{ prefix, src string }{
		{"GO-", "go-vulndb"},
		{"GHSA-", "ghsa"},
		{"PYSEC-", "pypa"},
		{"RUSTSEC-", "rustsec"},
		{"DSA-", "debian"}, {"DLA-", "debian"}, {"DTSA-", "debian"}, {"DEBIAN-", "debian"},
		{"UBUNTU-", "ubuntu"}, {"USN-", "ubuntu"}, {"LSN-", "ubuntu"},
		{"ALPINE-", "alpine"},
		{"ALSA-", "alma"}, {"ALBA-", "alma"}, {"ALEA-", "alma"},
		{"RLSA-", "rocky"}, {"RXSA-", "rocky"},
		{"RHSA-", "redhat"}, {"RHBA-", "redhat"}, {"RHEA-", "redhat"},
		{"SUSE-", "suse-cvrf"}, {"openSUSE-", "suse-cvrf"},
	}
	for _, p := range prefixes {
		if strings.HasPrefix(id, p.prefix) {
			return p.src
		}
	}
	switch base {
	case "alpine", "debian", "ubuntu", "wolfi", "chainguard":
		return base
	case "suse", "opensuse":
		return "suse-cvrf"
	case "red hat":
		return "redhat"
	case "almalinux":
		return "alma"
	case "rocky linux":
		return "rocky"
	}
	return "osv"
}

// sourceRank orders sources for the choice of the primary record:
// distribution data first (it knows its own packages), then GHSA, then
// the ecosystem databases.
func sourceRank(src string) int {
	switch src {
	case "debian", "ubuntu", "alpine", "wolfi", "chainguard", "alma", "rocky", "redhat", "suse-cvrf":
		return 0
	case "ghsa":
		return 1
	case "go-vulndb", "pypa", "rustsec":
		return 2
	case nvd.Source:
		return 4 // the last resort: no affected data, CVSS only
	}
	return 3
}

// ghsaEcosystem is GitHub's name of an OSV ecosystem.
func ghsaEcosystem(eco string) string {
	switch store.BaseEcosystem(eco) {
	case "Go":
		return "Go"
	case "PyPI":
		return "pip"
	case "crates.io":
		return "Rust"
	case "RubyGems":
		return "RubyGems"
	case "Maven":
		return "Maven"
	case "NuGet":
		return "NuGet"
	case "Packagist":
		return "Composer"
	case "Hex":
		return "Erlang"
	case "Pub":
		return "Pub"
	case "SwiftURL":
		return "Swift"
	}
	return store.BaseEcosystem(eco)
}

// dataSource describes a source, as Trivy's DataSource.
func dataSource(src, eco string) *model.DataSource {
	switch src {
	case "go-vulndb":
		return &model.DataSource{ID: src, Name: "The Go Vulnerability Database", URL: "https://pkg.go.dev/vuln/"}
	case "ghsa":
		ge := ghsaEcosystem(eco)
		return &model.DataSource{ID: src, Name: "GitHub Security Advisory " + ge,
			URL: "https://github.com/advisories?query=type%3Areviewed+ecosystem%3A" + strings.ToLower(ge)}
	case "pypa":
		return &model.DataSource{ID: src, Name: "Python Packaging Advisory Database", URL: "https://github.com/pypa/advisory-database"}
	case "rustsec":
		return &model.DataSource{ID: src, Name: "RustSec Advisory Database", URL: "https://github.com/RustSec/advisory-db"}
	case "alpine":
		return &model.DataSource{ID: src, Name: "Alpine Secdb", URL: "https://secdb.alpinelinux.org/"}
	case "wolfi":
		return &model.DataSource{ID: src, Name: "Wolfi Secdb", URL: "https://packages.wolfi.dev/os/security.json"}
	case "chainguard":
		return &model.DataSource{ID: src, Name: "Chainguard Security Data", URL: "https://packages.cgr.dev/chainguard/security.json"}
	case "debian":
		return &model.DataSource{ID: src, Name: "Debian Security Tracker", URL: "https://salsa.debian.org/security-tracker-team/security-tracker"}
	case "ubuntu":
		return &model.DataSource{ID: src, Name: "Ubuntu CVE Tracker", URL: "https://git.launchpad.net/ubuntu-cve-tracker"}
	case "alma":
		return &model.DataSource{ID: src, Name: "AlmaLinux Product Errata", URL: "https://errata.almalinux.org/"}
	case "rocky":
		return &model.DataSource{ID: src, Name: "Rocky Linux updateinfo", URL: "https://download.rockylinux.org/pub/rocky/"}
	case "redhat":
		return &model.DataSource{ID: src, Name: "Red Hat OVAL v2", URL: "https://www.redhat.com/security/data/oval/v2/"}
	case "suse-cvrf":
		return &model.DataSource{ID: src, Name: "SUSE CVRF", URL: "https://ftp.suse.com/pub/projects/security/cvrf/"}
	}
	return &model.DataSource{ID: "osv", Name: "OSV", URL: "https://osv.dev/"}
}

// primaryURL is the link Trivy shows for an id.
func primaryURL(id string) string {
	switch {
	case isCVE(id):
		return "https://avd.aquasec.com/nvd/" + strings.ToLower(id)
	case strings.HasPrefix(id, "GHSA-"):
		return "https://github.com/advisories/" + id
	}
	return "https://osv.dev/vulnerability/" + id
}

// vendorSeverityText returns the textual severity a record's source
// gives for the package: database_specific.severity (GHSA and distros),
// ecosystem_specific/database_specific severity or priority of the matched
// entries, or an OSV severity entry of a distribution type ("Ubuntu").
func vendorSeverityText(f *found) string {
	for _, e := range f.entries {
		for _, m := range []map[string]any{e.Affected.EcosystemSpecific, e.Affected.DatabaseSpecific} {
			for _, k := range []string{"severity", "ubuntu_priority", "priority", "urgency"} {
				if s, ok := m[k].(string); ok {
					if sev := normalizeSeverity(s); sev != "" {
						return sev
					}
				}
			}
		}
		for _, s := range e.Affected.Severity {
			if !strings.HasPrefix(strings.ToUpper(s.Type), "CVSS") {
				if sev := normalizeSeverity(s.Score); sev != "" {
					return sev
				}
			}
		}
	}
	if d := f.details; d != nil {
		if s, ok := d.DatabaseSpecific["severity"].(string); ok {
			if sev := normalizeSeverity(s); sev != "" {
				return sev
			}
		}
		for _, s := range d.Severity {
			if !strings.HasPrefix(strings.ToUpper(s.Type), "CVSS") {
				if sev := normalizeSeverity(s.Score); sev != "" {
					return sev
				}
			}
		}
	}
	return ""
}

// normalizeSeverity maps vendor severity words to Trivy's severities; ""
// for words that carry no severity ("unknown", Debian's "not yet assigned"
// and "end-of-life", Ubuntu's "untriaged"). Debian's "low**"-style marks
// are dropped; its "unimportant" and Ubuntu's "negligible" are LOW, as in
// Trivy.
func normalizeSeverity(s string) string {
	switch strings.ToUpper(strings.TrimRight(strings.TrimSpace(s), "*")) {
	case "NEGLIGIBLE", "UNIMPORTANT", "LOW", "MINOR":
		return SeverityLow
	case "MEDIUM", "MODERATE":
		return SeverityMedium
	case "HIGH", "IMPORTANT":
		return SeverityHigh
	case "CRITICAL":
		return SeverityCritical
	}
	return ""
}

// severityLevel is Trivy's 0–4 scale.
func severityLevel(s string) int {
	switch s {
	case SeverityLow:
		return 1
	case SeverityMedium:
		return 2
	case SeverityHigh:
		return 3
	case SeverityCritical:
		return 4
	}
	return 0
}

func recordSeverities(f *found) []osv.Severity {
	var out []osv.Severity
	for _, e := range f.entries {
		out = append(out, e.Affected.Severity...)
	}
	if f.details != nil {
		out = append(out, f.details.Severity...)
	}
	return out
}
