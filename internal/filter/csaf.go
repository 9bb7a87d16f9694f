package filter

import (
	"encoding/json"
	"fmt"
	"slices"
)

type csafDoc struct {
	Document struct {
		Category string `json:"category"`
		Tracking struct {
			CurrentReleaseDate string `json:"current_release_date"`
		} `json:"tracking"`
	} `json:"document"`
	ProductTree struct {
		Branches         []csafBranch   `json:"branches"`
		FullProductNames []csafProduct  `json:"full_product_names"`
		Relationships    []csafRelation `json:"relationships"`
		ProductGroups    []struct {
			GroupID    string   `json:"group_id"`
			ProductIDs []string `json:"product_ids"`
		} `json:"product_groups"`
	} `json:"product_tree"`
	Vulnerabilities []csafVuln `json:"vulnerabilities"`
}

type csafBranch struct {
	Branches []csafBranch `json:"branches"`
	Product  *csafProduct `json:"product"`
}

type csafProduct struct {
	ProductID string `json:"product_id"`
	Helper    *struct {
		PURL  string   `json:"purl"`
		PURLs []string `json:"purls"`
	} `json:"product_identification_helper"`
}

type csafRelation struct {
	Category         string      `json:"category"`
	ProductReference string      `json:"product_reference"`
	RelatesTo        string      `json:"relates_to_product_reference"`
	FullProductName  csafProduct `json:"full_product_name"`
}

type csafVuln struct {
	CVE string `json:"cve"`
	IDs []struct {
		Text string `json:"text"`
	} `json:"ids"`
	ProductStatus struct {
		KnownNotAffected []string `json:"known_not_affected"`
		Fixed            []string `json:"fixed"`
	} `json:"product_status"`
	Threats []struct {
		Category   string   `json:"category"`
		Details    string   `json:"details"`
		ProductIDs []string `json:"product_ids"`
		GroupIDs   []string `json:"group_ids"`
	} `json:"threats"`
	Flags []struct {
		Label      string   `json:"label"`
		ProductIDs []string `json:"product_ids"`
		GroupIDs   []string `json:"group_ids"`
	} `json:"flags"`
}

// parseCSAF reads a CSAF VEX advisory. Product ids are resolved to purls
// through product_identification_helper.purl (or .purls) in the product
// tree; a product id that names a relationship (default_component_of,
// installed_on, installed_with) stands for its product_reference as a
// subcomponent of its relates_to_product_reference. Only fixed and
// known_not_affected product statuses are read, as in Trivy.
func parseCSAF(data []byte) (*vexDocument, error) {
	var d csafDoc
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, jsonError(data, err)
	}
	ts, err := parseTimestamp(d.Document.Tracking.CurrentReleaseDate)
	if err != nil {
		return nil, fmt.Errorf("invalid document.tracking.current_release_date %q", d.Document.Tracking.CurrentReleaseDate)
	}

	purls := make(map[string][]*purlPattern)
	add := func(p csafProduct) error {
		if p.ProductID == "" || p.Helper == nil {
			return nil
		}
		for _, s := range append([]string{p.Helper.PURL}, p.Helper.PURLs...) {
			if s == "" {
				continue
			}
			pp, err := parsePURLPattern(s)
			if err != nil {
				return fmt.Errorf("product %s: %w", p.ProductID, err)
			}
			purls[p.ProductID] = append(purls[p.ProductID], pp)
		}
		return nil
	}
	var walk func([]csafBranch) error
	walk = func(bs []csafBranch) error {
		for _, b := range bs {
			if b.Product != nil {
				if err := add(*b.Product); err != nil {
					return err
				}
			}
			if err := walk(b.Branches); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(d.ProductTree.Branches); err != nil {
		return nil, err
	}
	for _, p := range d.ProductTree.FullProductNames {
		if err := add(p); err != nil {
			return nil, err
		}
	}
	for _, r := range d.ProductTree.Relationships {
		if err := add(r.FullProductName); err != nil {
			return nil, err
		}
	}

	products := func(pid string) []vexProduct {
		var out []vexProduct
		if ps := purls[pid]; len(ps) > 0 {
			out = append(out, vexProduct{product: vexComponent{purls: ps}})
		}
		for _, r := range d.ProductTree.Relationships {
			if r.FullProductName.ProductID != pid {
				continue
			}
			switch r.Category {
			case "default_component_of", "installed_on", "installed_with":
			default:
				continue
			}
			parent, sub := purls[r.RelatesTo], purls[r.ProductReference]
			if len(parent) > 0 && len(sub) > 0 {
				out = append(out, vexProduct{product: vexComponent{purls: parent}, subs: []vexComponent{{purls: sub}}})
			}
		}
		return out
	}

	groups := make(map[string][]string)
	for _, g := range d.ProductTree.ProductGroups {
		groups[g.GroupID] = append(groups[g.GroupID], g.ProductIDs...)
	}
	// inScope reports whether pid is listed directly or through a group;
	// with neither list, a threat or flag applies to every product.
	inScope := func(pid string, pids, gids []string) bool {
		if len(pids) == 0 && len(gids) == 0 {
			return true
		}
		if slices.Contains(pids, pid) {
			return true
		}
		for _, g := range gids {
			if slices.Contains(groups[g], pid) {
				return true
			}
		}
		return false
	}

	doc := &vexDocument{format: FormatCSAF}
	for _, v := range d.Vulnerabilities {
		ids := []string{v.CVE}
		for _, id := range v.IDs {
			ids = append(ids, id.Text)
		}
		ids = compact(ids)
		if len(ids) == 0 {
			continue
		}
		for _, group := range []struct {
			status string
			pids   []string
		}{{StatusFixed, v.ProductStatus.Fixed}, {StatusNotAffected, v.ProductStatus.KnownNotAffected}} {
			for _, pid := range group.pids {
				ps := products(pid)
				if len(ps) == 0 {
					continue // a product without a purl cannot match a package
				}
				doc.stmts = append(doc.stmts, vexStatement{
					vulnIDs: ids, products: ps, status: group.status,
					statement: csafStatement(v, pid, inScope), ts: ts,
				})
			}
		}
	}
	return doc, nil
}

// csafStatement is the impact threat's details for pid (or for all
// products), else the flag label (the justification) for pid.
func csafStatement(v csafVuln, pid string, inScope func(pid string, pids, gids []string) bool) string {
	for _, t := range v.Threats {
		if t.Category == "impact" && t.Details != "" && inScope(pid, t.ProductIDs, t.GroupIDs) {
			return t.Details
		}
	}
	for _, f := range v.Flags {
		if f.Label != "" && inScope(pid, f.ProductIDs, f.GroupIDs) {
			return f.Label
		}
	}
	return ""
}
