package filter

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

type openVEXDoc struct {
	Context     string             `json:"@context"`
	Timestamp   string             `json:"timestamp"`
	LastUpdated string             `json:"last_updated"`
	Statements  []openVEXStatement `json:"statements"`
}

type openVEXStatement struct {
	// Vulnerability is an object {"@id", "name", "aliases"} (v0.2) or a
	// plain string (v0.0.1).
	Vulnerability json.RawMessage `json:"vulnerability"`
	// Products are objects {"@id", "identifiers", "subcomponents"} (v0.2)
	// or strings (v0.0.1, whose subcomponents sit on the statement).
	Products        []json.RawMessage `json:"products"`
	Subcomponents   []json.RawMessage `json:"subcomponents"`
	Status          string            `json:"status"`
	Justification   string            `json:"justification"`
	ImpactStatement string            `json:"impact_statement"`
	StatusNotes     string            `json:"status_notes"`
	Timestamp       string            `json:"timestamp"`
	LastUpdated     string            `json:"last_updated"`
}

type openVEXVuln struct {
	ID      string   `json:"@id"`
	Name    string   `json:"name"`
	Aliases []string `json:"aliases"`
}

type openVEXComponent struct {
	ID            string            `json:"@id"`
	Identifiers   map[string]string `json:"identifiers"`
	Subcomponents []json.RawMessage `json:"subcomponents"`
}

func parseOpenVEX(data []byte) (*vexDocument, error) {
	var d openVEXDoc
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, jsonError(data, err)
	}
	if !strings.Contains(d.Context, "openvex") {
		return nil, fmt.Errorf("@context %q is not an OpenVEX context", d.Context)
	}
	docTS, err := parseTimestamp(d.Timestamp)
	if err != nil {
		return nil, fmt.Errorf("invalid document timestamp %q", d.Timestamp)
	}
	doc := &vexDocument{format: FormatOpenVEX}
	for i, s := range d.Statements {
		n := i + 1
		st := vexStatement{ts: docTS}
		if st.vulnIDs, err = openVEXVulnIDs(s.Vulnerability); err != nil {
			return nil, fmt.Errorf("statement %d: %w", n, err)
		}
		switch s.Status {
		case StatusNotAffected, StatusAffected, StatusFixed, StatusUnderInvestigation:
			st.status = s.Status
		default:
			return nil, fmt.Errorf("statement %d: unknown status %q (want not_affected, affected, fixed or under_investigation)", n, s.Status)
		}
		st.statement = firstNonEmpty(s.Justification, s.ImpactStatement, s.StatusNotes)
		for _, t := range []string{s.Timestamp, s.LastUpdated} {
			if t == "" {
				continue
			}
			ts, err := parseTimestamp(t)
			if err != nil {
				return nil, fmt.Errorf("statement %d: invalid timestamp %q", n, t)
			}
			if ts.After(st.ts) || t == s.Timestamp {
				st.ts = ts
			}
		}
		var stmtSubs []vexComponent
		for _, raw := range s.Subcomponents {
			c, _, err := openVEXComponentOf(raw)
			if err != nil {
				return nil, fmt.Errorf("statement %d: subcomponent: %w", n, err)
			}
			stmtSubs = append(stmtSubs, c)
		}
		for _, raw := range s.Products {
			c, subsRaw, err := openVEXComponentOf(raw)
			if err != nil {
				return nil, fmt.Errorf("statement %d: product: %w", n, err)
			}
			p := vexProduct{product: c, subs: stmtSubs}
			for _, sr := range subsRaw {
				sc, _, err := openVEXComponentOf(sr)
				if err != nil {
					return nil, fmt.Errorf("statement %d: subcomponent: %w", n, err)
				}
				p.subs = append(p.subs, sc)
			}
			st.products = append(st.products, p)
		}
		if len(st.products) == 0 {
			return nil, fmt.Errorf("statement %d: no products", n)
		}
		doc.stmts = append(doc.stmts, st)
	}
	return doc, nil
}

func openVEXVulnIDs(raw json.RawMessage) ([]string, error) {
	var ids []string
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		ids = append(ids, s)
	} else {
		var v openVEXVuln
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, fmt.Errorf("vulnerability must be an object with a name")
		}
		ids = append(ids, v.Name)
		ids = append(ids, v.Aliases...)
		if !strings.Contains(v.ID, "://") {
			ids = append(ids, v.ID) // an @id that is itself an ID, not an IRI
		}
	}
	ids = compact(ids)
	if len(ids) == 0 {
		return nil, fmt.Errorf("vulnerability without a name")
	}
	return ids, nil
}

func openVEXComponentOf(raw json.RawMessage) (vexComponent, []json.RawMessage, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		c, err := parseVEXRef(s)
		return c, nil, err
	}
	var oc openVEXComponent
	if err := json.Unmarshal(raw, &oc); err != nil {
		return vexComponent{}, nil, fmt.Errorf("must be a string or an object with @id or identifiers")
	}
	c, err := parseVEXRef(oc.ID)
	if err != nil {
		return vexComponent{}, nil, err
	}
	if p := oc.Identifiers["purl"]; p != "" {
		pp, err := parsePURLPattern(p)
		if err != nil {
			return vexComponent{}, nil, err
		}
		c.purls = append(c.purls, pp)
	}
	if c.empty() {
		return vexComponent{}, nil, fmt.Errorf("component without @id or identifiers")
	}
	return c, oc.Subcomponents, nil
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// compact drops empty and repeated strings, keeping the order.
func compact(s []string) []string {
	var out []string
	for _, x := range s {
		x = strings.TrimSpace(x)
		if x != "" && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}
