package sbom

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// spdxDoc is the part of an SPDX 2.x document the inventory needs; the
// JSON and tag-value readers both fill it.
type spdxDoc struct {
	SPDXVersion       string             `json:"spdxVersion"`
	SPDXID            string             `json:"SPDXID"`
	DocumentDescribes []string           `json:"documentDescribes"`
	Packages          []spdxPackage      `json:"packages"`
	Relationships     []spdxRelationship `json:"relationships"`
	ExtractedLicenses []spdxExtracted    `json:"hasExtractedLicensingInfos"`
}

type spdxPackage struct {
	SPDXID                string            `json:"SPDXID"`
	Name                  string            `json:"name"`
	VersionInfo           string            `json:"versionInfo"`
	SourceInfo            string            `json:"sourceInfo"`
	LicenseConcluded      string            `json:"licenseConcluded"`
	LicenseDeclared       string            `json:"licenseDeclared"`
	ExternalRefs          []spdxExternalRef `json:"externalRefs"`
	AttributionTexts      []string          `json:"attributionTexts"`
	Annotations           []spdxAnnotation  `json:"annotations"`
	PrimaryPackagePurpose string            `json:"primaryPackagePurpose"`
}

type spdxExternalRef struct {
	Category string `json:"referenceCategory"`
	Type     string `json:"referenceType"`
	Locator  string `json:"referenceLocator"`
}

type spdxAnnotation struct {
	Comment string `json:"comment"`
}

type spdxRelationship struct {
	Element string `json:"spdxElementId"`
	Related string `json:"relatedSpdxElement"`
	Type    string `json:"relationshipType"`
}

type spdxExtracted struct {
	LicenseID string `json:"licenseId"`
	Name      string `json:"name"`
}

func decodeSPDXJSON(data []byte) (*document, error) {
	var doc spdxDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("parsing SPDX JSON: %w", err)
	}
	return doc.document()
}

// errNotSPDX2 reports an SPDX document of another major version.
var errNotSPDX2 = errors.New("only SPDX 2.x documents are supported")

func (s *spdxDoc) document() (*document, error) {
	if !strings.HasPrefix(s.SPDXVersion, "SPDX-2.") {
		return nil, fmt.Errorf("spdxVersion %q: %w", s.SPDXVersion, errNotSPDX2)
	}
	extracted := map[string]string{}
	for _, e := range s.ExtractedLicenses {
		if e.Name != "" && e.Name != noAssertion {
			extracted[e.LicenseID] = e.Name
		}
	}
	described := map[string]bool{}
	for _, id := range s.DocumentDescribes {
		described[id] = true
	}
	for _, r := range s.Relationships {
		if r.Element == s.SPDXID && strings.EqualFold(r.Type, "DESCRIBES") {
			described[r.Related] = true
		}
	}

	d := newDocument()
	for i := range s.Packages {
		p := &s.Packages[i]
		c := &component{ref: p.SPDXID, name: p.Name, version: p.VersionInfo, props: map[string]string{}}
		for _, e := range p.ExternalRefs {
			cat := strings.ReplaceAll(strings.ToUpper(e.Category), "_", "-")
			if c.purl == "" && strings.EqualFold(e.Type, "purl") && (cat == "PACKAGE-MANAGER" || cat == "") {
				c.purl = e.Locator
			}
		}
		for _, t := range p.AttributionTexts {
			setKeyValue(c.props, t)
		}
		for _, a := range p.Annotations {
			setKeyValue(c.props, a.Comment)
		}
		if rest, ok := strings.CutPrefix(strings.TrimSpace(p.SourceInfo), "built package from:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				c.srcName = f[0]
			}
			if len(f) > 1 {
				c.srcFullVersion = f[1]
			}
		}
		if l := spdxLicense(p.LicenseDeclared, extracted); l != "" {
			c.licenses = []string{l}
		} else if l := spdxLicense(p.LicenseConcluded, extracted); l != "" {
			c.licenses = []string{l}
		}
		switch purpose := strings.ToUpper(strings.ReplaceAll(p.PrimaryPackagePurpose, "_", "-")); {
		case purpose == "OPERATING-SYSTEM":
			c.kind = kindOS
		case described[p.SPDXID] && (c.purl == "" || !scannable(c.purl)):
			// The artifact itself (an image with an oci purl, a directory).
			c.kind = kindRoot
		case c.purl != "":
			c.kind = kindPackage
		case c.props["Type"] != "" || c.props["Class"] != "" || (purpose != "" && purpose != "LIBRARY" && purpose != "FRAMEWORK"):
			c.kind = kindApp
		}
		d.add(c)
	}
	for _, r := range s.Relationships {
		from, to := r.Element, r.Related
		switch strings.ToUpper(r.Type) {
		case "CONTAINED_BY":
			from, to = to, from
			fallthrough
		case "CONTAINS":
			if f := d.byRef[from]; f != nil && (f.kind == kindApp || f.kind == kindOS) {
				d.containers[to] = append(d.containers[to], from)
			}
		case "DEPENDENCY_OF":
			from, to = to, from
			fallthrough
		case "DEPENDS_ON":
			d.deps[from] = append(d.deps[from], to)
		}
	}
	return d, nil
}

const noAssertion = "NOASSERTION"

// spdxLicense returns a licence expression, with a LicenseRef that stands
// alone replaced by the licence name the document records for it.
func spdxLicense(expr string, extracted map[string]string) string {
	expr = strings.TrimSpace(expr)
	if expr == "" || expr == noAssertion || expr == "NONE" {
		return ""
	}
	if n, ok := extracted[expr]; ok {
		return n
	}
	return expr
}

// setKeyValue records "Key: value" texts (trawl's attribution texts,
// Trivy's annotations) as properties.
func setKeyValue(props map[string]string, text string) {
	k, v, ok := strings.Cut(text, ":")
	if !ok {
		return
	}
	k, v = strings.TrimSpace(k), strings.TrimSpace(v)
	if k == "" || strings.ContainsAny(k, " \t") {
		return
	}
	if _, seen := props[k]; !seen {
		props[k] = v
	}
}

// isTagValue reports whether data looks like an SPDX tag-value document:
// an "SPDXVersion:" tag among its first lines.
func isTagValue(data []byte) bool {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for i := 0; i < 50 && sc.Scan(); i++ {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "SPDXVersion:") {
			return true
		}
	}
	return false
}

// decodeSPDXTagValue reads an SPDX 2.x tag-value document.
func decodeSPDXTagValue(data []byte) (*document, error) {
	var (
		doc     spdxDoc
		pkg     *spdxPackage
		ext     *spdxExtracted
		inPkg   bool
		annotOf string
		// annotations maps an SPDXID to its annotation comments, which
		// may come before or after the package.
		annotations = map[string][]string{}
	)
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if strings.HasPrefix(strings.TrimSpace(line), "#") || strings.TrimSpace(line) == "" {
			continue
		}
		tag, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		tag = strings.TrimSpace(tag)
		value = strings.TrimSpace(value)
		if strings.HasPrefix(value, "<text>") {
			// Multi-line text runs to the closing </text>.
			first := strings.TrimPrefix(value, "<text>")
			if before, _, ok := strings.Cut(first, "</text>"); ok {
				value = before
			} else {
				parts := []string{first}
				for i+1 < len(lines) {
					i++
					before, _, ok := strings.Cut(lines[i], "</text>")
					parts = append(parts, before)
					if ok {
						break
					}
				}
				value = strings.Join(parts, "\n")
			}
		}
		switch tag {
		case "SPDXVersion":
			doc.SPDXVersion = value
		case "PackageName":
			doc.Packages = append(doc.Packages, spdxPackage{Name: value})
			pkg = &doc.Packages[len(doc.Packages)-1]
			inPkg = true
			ext = nil
		case "SPDXID":
			switch {
			case inPkg && pkg != nil && pkg.SPDXID == "":
				pkg.SPDXID = value
			case doc.SPDXID == "" && !inPkg:
				doc.SPDXID = value
			default:
				// A file or snippet: later package tags are not its own.
				inPkg = false
			}
		case "FileName", "SnippetSPDXID":
			inPkg = false
		case "PackageVersion":
			if inPkg {
				pkg.VersionInfo = value
			}
		case "PackageSourceInfo":
			if inPkg {
				pkg.SourceInfo = value
			}
		case "PackageLicenseConcluded":
			if inPkg {
				pkg.LicenseConcluded = value
			}
		case "PackageLicenseDeclared":
			if inPkg {
				pkg.LicenseDeclared = value
			}
		case "PackageAttributionText":
			if inPkg {
				pkg.AttributionTexts = append(pkg.AttributionTexts, value)
			}
		case "PrimaryPackagePurpose":
			if inPkg {
				pkg.PrimaryPackagePurpose = value
			}
		case "ExternalRef":
			if inPkg {
				f := strings.Fields(value)
				if len(f) >= 3 {
					pkg.ExternalRefs = append(pkg.ExternalRefs, spdxExternalRef{Category: f[0], Type: f[1], Locator: f[2]})
				}
			}
		case "Relationship":
			f := strings.Fields(value)
			if len(f) >= 3 {
				doc.Relationships = append(doc.Relationships, spdxRelationship{Element: f[0], Type: f[1], Related: f[2]})
			}
		case "SPDXREF":
			annotOf = value
		case "AnnotationComment":
			annotations[annotOf] = append(annotations[annotOf], value)
		case "LicenseID":
			doc.ExtractedLicenses = append(doc.ExtractedLicenses, spdxExtracted{LicenseID: value})
			ext = &doc.ExtractedLicenses[len(doc.ExtractedLicenses)-1]
			inPkg = false
		case "LicenseName":
			if ext != nil {
				ext.Name = value
			}
		}
	}
	for j := range doc.Packages {
		p := &doc.Packages[j]
		for _, a := range annotations[p.SPDXID] {
			p.Annotations = append(p.Annotations, spdxAnnotation{Comment: a})
		}
		delete(annotations, p.SPDXID)
	}
	return doc.document()
}
