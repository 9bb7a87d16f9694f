package filter

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"
)

type cdxBOM struct {
	Metadata struct {
		Timestamp string        `json:"timestamp"`
		Component *cdxComponent `json:"component"`
	} `json:"metadata"`
	Components      []cdxComponent `json:"components"`
	Vulnerabilities []cdxVuln      `json:"vulnerabilities"`
}

type cdxComponent struct {
	BOMRef     string         `json:"bom-ref"`
	PURL       string         `json:"purl"`
	Components []cdxComponent `json:"components"`
}

type cdxVuln struct {
	ID        string `json:"id"`
	Updated   string `json:"updated"`
	Published string `json:"published"`
	Analysis  *struct {
		State         string `json:"state"`
		Justification string `json:"justification"`
		Detail        string `json:"detail"`
		FirstIssued   string `json:"firstIssued"`
		LastUpdated   string `json:"lastUpdated"`
	} `json:"analysis"`
	Affects []struct {
		Ref string `json:"ref"`
	} `json:"affects"`
}

// parseCycloneDX reads the vulnerabilities of a CycloneDX JSON BOM. Each
// affects[].ref is a purl, a bom-ref of a component in the same BOM (whose
// purl is then used too), or a BOM-Link urn:cdx:SERIAL/VERSION#BOMREF whose
// fragment is used as a bom-ref. Unlike Trivy, the BOM-Link serial is not
// compared with an SBOM: trawl matches the bom-ref or purl against each
// finding's package.
func parseCycloneDX(data []byte) (*vexDocument, error) {
	var b cdxBOM
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, jsonError(data, err)
	}
	refs := make(map[string]string) // bom-ref → purl
	var walk func([]cdxComponent)
	walk = func(cs []cdxComponent) {
		for _, c := range cs {
			if c.BOMRef != "" && c.PURL != "" {
				refs[c.BOMRef] = c.PURL
			}
			walk(c.Components)
		}
	}
	if b.Metadata.Component != nil {
		walk([]cdxComponent{*b.Metadata.Component})
	}
	walk(b.Components)

	docTS, err := parseTimestamp(b.Metadata.Timestamp)
	if err != nil {
		return nil, fmt.Errorf("invalid metadata.timestamp %q", b.Metadata.Timestamp)
	}
	doc := &vexDocument{format: FormatCycloneDX}
	for i, v := range b.Vulnerabilities {
		n := i + 1
		if v.Analysis == nil || v.Analysis.State == "" {
			continue // a plain vulnerability report entry, no VEX statement
		}
		if v.ID == "" {
			return nil, fmt.Errorf("vulnerabilities[%d]: no id", i)
		}
		st := vexStatement{vulnIDs: []string{v.ID}}
		switch v.Analysis.State {
		case "resolved", "resolved_with_pedigree":
			st.status = StatusFixed
		case "not_affected", "false_positive":
			st.status = StatusNotAffected
		case "exploitable":
			st.status = StatusAffected
		case "in_triage":
			st.status = StatusUnderInvestigation
		default:
			return nil, fmt.Errorf("vulnerability %s (#%d): unknown analysis.state %q", v.ID, n, v.Analysis.State)
		}
		st.statement = firstNonEmpty(v.Analysis.Justification, v.Analysis.Detail)
		st.ts = docTS
		for _, t := range []string{v.Published, v.Updated, v.Analysis.FirstIssued, v.Analysis.LastUpdated} {
			if t == "" {
				continue
			}
			ts, err := parseTimestamp(t)
			if err != nil {
				return nil, fmt.Errorf("vulnerability %s (#%d): invalid timestamp %q", v.ID, n, t)
			}
			st.ts = latest(st.ts, ts)
		}
		for _, a := range v.Affects {
			c, err := cdxRef(a.Ref, refs)
			if err != nil {
				return nil, fmt.Errorf("vulnerability %s (#%d): affects ref: %w", v.ID, n, err)
			}
			if !c.empty() {
				st.products = append(st.products, vexProduct{product: c})
			}
		}
		if len(st.products) == 0 {
			return nil, fmt.Errorf("vulnerability %s (#%d): analysis without affects refs", v.ID, n)
		}
		doc.stmts = append(doc.stmts, st)
	}
	return doc, nil
}

func cdxRef(ref string, refs map[string]string) (vexComponent, error) {
	ref = strings.TrimSpace(ref)
	if strings.HasPrefix(ref, "urn:cdx:") {
		_, frag, ok := strings.Cut(ref, "#")
		if !ok || frag == "" {
			return vexComponent{}, nil // the whole BOM: no package to match
		}
		u, err := url.PathUnescape(frag)
		if err != nil {
			return vexComponent{}, fmt.Errorf("invalid BOM-Link %q", ref)
		}
		ref = u
	}
	c, err := parseVEXRef(ref)
	if err != nil {
		return vexComponent{}, err
	}
	if p, ok := refs[ref]; ok {
		pp, err := parsePURLPattern(p)
		if err != nil {
			return vexComponent{}, fmt.Errorf("component %s: %w", ref, err)
		}
		c.purls = append(c.purls, pp)
	}
	return c, nil
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
