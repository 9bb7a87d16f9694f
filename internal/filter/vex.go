package filter

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/package-url/packageurl-go"

	"github.com/trawlsec/trawl/pkg/model"
)

// VEX format names, as detected from a document's content.
const (
	FormatOpenVEX   = "OpenVEX"
	FormatCycloneDX = "CycloneDX VEX"
	FormatCSAF      = "CSAF VEX"
)

// vexComponent identifies a product or a subcomponent: by purl patterns
// and/or by opaque identifiers (CycloneDX bom-refs, OpenVEX @ids that are
// not purls).
type vexComponent struct {
	purls []*purlPattern
	ids   []string
}

func (c vexComponent) empty() bool { return len(c.purls) == 0 && len(c.ids) == 0 }

func (c vexComponent) matchPackage(p *packageurl.PackageURL, bomRef string) bool {
	if p != nil && matchAnyPURL(c.purls, p) {
		return true
	}
	return bomRef != "" && slices.Contains(c.ids, bomRef)
}

// vexProduct is a product a statement is about, with the subcomponents it
// narrows the statement to.
type vexProduct struct {
	product vexComponent
	subs    []vexComponent
}

// vexStatement is a statement normalised from any format.
type vexStatement struct {
	vulnIDs   []string // name and aliases
	products  []vexProduct
	status    string // not_affected, fixed, affected, under_investigation
	statement string
	ts        time.Time
}

// vexDocument is a parsed VEX document; statements are in timestamp order
// (stable), so the last one that matches is the one in force.
type vexDocument struct {
	source string
	format string
	stmts  []vexStatement
}

// parseVEX detects the format of data and parses it. Detection follows
// Trivy: a JSON object with bomFormat "CycloneDX" is CycloneDX, one with an
// @context is OpenVEX, one with document and vulnerabilities is CSAF.
func parseVEX(source string, data []byte) (*vexDocument, error) {
	var probe struct {
		BOMFormat       string          `json:"bomFormat"`
		Context         json.RawMessage `json:"@context"`
		Document        json.RawMessage `json:"document"`
		Vulnerabilities json.RawMessage `json:"vulnerabilities"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("VEX document %s: %w", source, jsonError(data, err))
	}
	var (
		doc *vexDocument
		err error
	)
	switch {
	case probe.BOMFormat == "CycloneDX":
		doc, err = parseCycloneDX(data)
	case len(probe.Context) > 0:
		doc, err = parseOpenVEX(data)
	case len(probe.Document) > 0 && len(probe.Vulnerabilities) > 0:
		doc, err = parseCSAF(data)
	default:
		return nil, fmt.Errorf("VEX document %s: not an OpenVEX, CycloneDX or CSAF VEX document", source)
	}
	if err != nil {
		return nil, fmt.Errorf("VEX document %s: %w", source, err)
	}
	doc.source = source
	slices.SortStableFunc(doc.stmts, func(a, b vexStatement) int { return a.ts.Compare(b.ts) })
	return doc, nil
}

// jsonError adds the line number to JSON decoding errors.
func jsonError(data []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	var off int64
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	default:
		return err
	}
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line := 1 + bytes.Count(data[:off], []byte{'\n'})
	return fmt.Errorf("line %d: %w", line, err)
}

// parseVEXRef turns an identifier into a component: a purl when it starts
// with "pkg:", else an opaque id.
func parseVEXRef(s string) (vexComponent, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return vexComponent{}, nil
	}
	if strings.HasPrefix(s, "pkg:") {
		p, err := parsePURLPattern(s)
		if err != nil {
			return vexComponent{}, err
		}
		return vexComponent{purls: []*purlPattern{p}, ids: []string{s}}, nil
	}
	return vexComponent{ids: []string{s}}, nil
}

func parseTimestamp(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return parseDate(s)
}

// pkgTree gives the ancestors of a result's packages through DependsOn.
type pkgTree struct {
	byID    map[string]*model.Package
	parents map[string][]string
}

func newPkgTree(res *model.Result) *pkgTree {
	t := &pkgTree{byID: make(map[string]*model.Package), parents: make(map[string][]string)}
	for i := range res.Packages {
		p := &res.Packages[i]
		if p.ID == "" {
			continue
		}
		t.byID[p.ID] = p
		for _, d := range p.DependsOn {
			t.parents[d] = append(t.parents[d], p.ID)
		}
	}
	return t
}

// ancestors returns the packages that depend on id, directly or not.
func (t *pkgTree) ancestors(id string) []*model.Package {
	if t == nil || id == "" {
		return nil
	}
	var out []*model.Package
	seen := map[string]bool{id: true}
	queue := slices.Clone(t.parents[id])
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if seen[p] {
			continue
		}
		seen[p] = true
		if pkg := t.byID[p]; pkg != nil {
			out = append(out, pkg)
		}
		queue = append(queue, t.parents[p]...)
	}
	return out
}

// artifact is what identifies the scanned artifact itself, for statements
// whose product is the image (pkg:oci/NAME@DIGEST) and whose subcomponent
// is the package.
type artifact struct {
	digests map[string]bool
	names   map[string]bool
}

func newArtifact(r *model.Report) artifact {
	a := artifact{digests: make(map[string]bool), names: make(map[string]bool)}
	addName := func(repo string) {
		if i := strings.LastIndexByte(repo, '/'); i >= 0 {
			repo = repo[i+1:]
		}
		if repo != "" {
			a.names[repo] = true
		}
	}
	for _, d := range r.Metadata.RepoDigests {
		if repo, dig, ok := strings.Cut(d, "@"); ok {
			a.digests[dig] = true
			addName(repo)
		}
	}
	for _, t := range r.Metadata.RepoTags {
		repo := t
		if i := strings.LastIndexByte(t, ':'); i > strings.LastIndexByte(t, '/') {
			repo = t[:i]
		}
		addName(repo)
	}
	if r.Metadata.ImageID != "" {
		a.digests[r.Metadata.ImageID] = true
	}
	return a
}

func (a artifact) match(c vexComponent) bool {
	for _, pp := range c.purls {
		p := pp.p
		if !strings.EqualFold(p.Type, "oci") {
			continue
		}
		if p.Version != "" {
			if a.digests[p.Version] && (len(a.names) == 0 || a.names[p.Name]) {
				return true
			}
		} else if a.names[p.Name] {
			return true
		}
	}
	return false
}

// matchVEX returns the modified finding for v if a VEX document suppresses
// it. Documents are consulted in order and the first whose statement in
// force for (v, package) says not_affected or fixed wins.
func (f *Filter) matchVEX(v model.Vulnerability, tree *pkgTree, art artifact) (model.ModifiedFinding, bool) {
	if len(f.vex) == 0 {
		return model.ModifiedFinding{}, false
	}
	pkg := parsePackagePURL(v.PkgIdentifier.PURL)
	var (
		anc     []*model.Package
		ancDone bool
	)
	ancestorMatch := func(c vexComponent) bool {
		if art.match(c) {
			return true
		}
		if !ancDone {
			anc, ancDone = tree.ancestors(v.PkgID), true
		}
		for _, a := range anc {
			if c.matchPackage(parsePackagePURL(a.Identifier.PURL), a.Identifier.BOMRef) {
				return true
			}
		}
		return false
	}
	matches := func(s *vexStatement) bool {
		if !slices.ContainsFunc(s.vulnIDs, func(id string) bool { return strings.EqualFold(id, v.VulnerabilityID) }) {
			return false
		}
		for _, p := range s.products {
			if p.product.matchPackage(pkg, v.PkgIdentifier.BOMRef) {
				return true
			}
			for _, sub := range p.subs {
				if sub.matchPackage(pkg, v.PkgIdentifier.BOMRef) && ancestorMatch(p.product) {
					return true
				}
			}
		}
		return false
	}
	for _, doc := range f.vex {
		for i := len(doc.stmts) - 1; i >= 0; i-- {
			s := &doc.stmts[i]
			if !matches(s) {
				continue
			}
			if s.status == StatusNotAffected || s.status == StatusFixed {
				return model.ModifiedFinding{
					Type: TypeVulnerability, Status: s.status, Statement: s.statement,
					Source: doc.source, Finding: v,
				}, true
			}
			break // the statement in force says affected or under investigation
		}
	}
	return model.ModifiedFinding{}, false
}
