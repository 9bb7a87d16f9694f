package match

import (
	"fmt"
	"slices"
)

// aliasSeverity completes the findings whose matched records carry no
// severity at all (no vendor severity, no CVSS vector): Go's own advisories
// (GO-…) have none, so without it every Go finding is UNKNOWN and a
// "--severity HIGH,CRITICAL" gate lets it through. The severity is taken
// from the records the finding is aliased with that the database holds
// but that did not match the package (the GHSA record of the same CVE, often
// filed under another package or ecosystem, or not at all): the ids the
// finding names (VulnerabilityID, VendorIDs) and, for a CVE, the records
// that list it among their aliases. Distribution records are not used
// (their severity rates their own builds). The severity and the source it
// came from are chosen as for matched records (GHSA first), and the
// sources' VendorSeverity and CVSS are reported as Trivy does.
func (m *Matcher) aliasSeverity(st *matchState, eco string, groups []*group) error {
	for _, g := range groups {
		v := &g.vuln
		if v.Severity != SeverityUnknown || len(v.VendorSeverity) > 0 || len(v.CVSS) > 0 {
			continue
		}
		recs, err := m.aliasRecords(st, eco, g)
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			continue
		}
		primary := g.primary(eco)
		ext := &group{records: append(slices.Clone(g.records), recs...)}
		ext.severity(v, eco, primary, m.opts)
	}
	return nil
}

// aliasRecords returns the records, sorted by id, that alias the finding of
// g without having matched, are not withdrawn and do not come from a
// distribution.
func (m *Matcher) aliasRecords(st *matchState, eco string, g *group) ([]*found, error) {
	have := map[string]bool{}
	for _, f := range g.records {
		have[f.id] = true
	}
	names := append([]string{g.vuln.VulnerabilityID}, g.vuln.VendorIDs...)
	var ids []string
	add := func(id string) {
		if !have[id] && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	for _, n := range names {
		add(n)
		if !isCVE(n) {
			continue
		}
		by, err := m.aliased(st, n)
		if err != nil {
			return nil, err
		}
		for _, id := range by {
			add(id)
		}
	}
	slices.Sort(ids)
	var out []*found
	for _, id := range ids {
		d, err := m.detailsOf(st, id)
		if err != nil {
			return nil, err
		}
		if d == nil || !d.Withdrawn.IsZero() {
			continue
		}
		f := &found{id: id, details: d}
		if sourceRank(sourceOf(eco, f)) == 0 {
			continue
		}
		out = append(out, f)
	}
	return out, nil
}

// aliased returns the ids of the records listing alias among their
// aliases, cached per call.
func (m *Matcher) aliased(st *matchState, alias string) ([]string, error) {
	if ids, ok := st.aliased[alias]; ok {
		return ids, nil
	}
	ids, err := m.store.Aliased(alias)
	if err != nil {
		return nil, fmt.Errorf("match: %w", err)
	}
	st.aliased[alias] = ids
	return ids, nil
}
