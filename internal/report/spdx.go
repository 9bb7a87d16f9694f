package report

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/trawlsec/trawl/internal/license"
	"github.com/trawlsec/trawl/pkg/model"
)

// SPDX 2.3 constants.
const (
	spdxVersion     = "SPDX-2.3"
	spdxDataLicense = "CC0-1.0"
	spdxDocID       = "SPDXRef-DOCUMENT"
	spdxNoAssertion = "NOASSERTION"
	spdxNamespace   = "https://trawlsec.github.io/trawl/spdx/"
)

type spdxDocument struct {
	SPDXVersion       string             `json:"spdxVersion"`
	DataLicense       string             `json:"dataLicense"`
	SPDXID            string             `json:"SPDXID"`
	Name              string             `json:"name"`
	DocumentNamespace string             `json:"documentNamespace"`
	CreationInfo      spdxCreationInfo   `json:"creationInfo"`
	Packages          []spdxPackage      `json:"packages,omitempty"`
	Relationships     []spdxRelationship `json:"relationships,omitempty"`
	ExtractedLicenses []spdxExtracted    `json:"hasExtractedLicensingInfos,omitempty"`
}

type spdxCreationInfo struct {
	Creators []string `json:"creators"`
	Created  string   `json:"created"`
}

type spdxPackage struct {
	Name                  string            `json:"name"`
	SPDXID                string            `json:"SPDXID"`
	VersionInfo           string            `json:"versionInfo,omitempty"`
	Supplier              string            `json:"supplier,omitempty"`
	DownloadLocation      string            `json:"downloadLocation"`
	FilesAnalyzed         bool              `json:"filesAnalyzed"`
	Checksums             []spdxChecksum    `json:"checksums,omitempty"`
	SourceInfo            string            `json:"sourceInfo,omitempty"`
	LicenseConcluded      string            `json:"licenseConcluded,omitempty"`
	LicenseDeclared       string            `json:"licenseDeclared,omitempty"`
	CopyrightText         string            `json:"copyrightText,omitempty"`
	ExternalRefs          []spdxExternalRef `json:"externalRefs,omitempty"`
	AttributionTexts      []string          `json:"attributionTexts,omitempty"`
	PrimaryPackagePurpose string            `json:"primaryPackagePurpose,omitempty"`
}

type spdxChecksum struct {
	Algorithm string `json:"algorithm"`
	Value     string `json:"checksumValue"`
}

type spdxExternalRef struct {
	Category string `json:"referenceCategory"`
	Type     string `json:"referenceType"`
	Locator  string `json:"referenceLocator"`
}

type spdxRelationship struct {
	Element string `json:"spdxElementId"`
	Related string `json:"relatedSpdxElement"`
	Type    string `json:"relationshipType"`
}

type spdxExtracted struct {
	LicenseID     string `json:"licenseId"`
	ExtractedText string `json:"extractedText"`
	Name          string `json:"name,omitempty"`
}

// WriteSPDXJSON writes the report as an SPDX 2.3 JSON document.
func WriteSPDXJSON(w io.Writer, r *model.Report, opts Options) error {
	doc := buildSPDX(r, opts)
	return writeIndentedJSON(w, doc, "SPDX JSON")
}

// WriteSPDX writes the report as an SPDX 2.3 tag-value document.
func WriteSPDX(w io.Writer, r *model.Report, opts Options) error {
	doc := buildSPDX(r, opts)
	var sb strings.Builder
	tv := func(tag, value string) {
		if value == "" {
			return
		}
		if strings.Contains(value, "\n") {
			value = "<text>" + value + "</text>"
		}
		sb.WriteString(tag + ": " + value + "\n")
	}
	tv("SPDXVersion", doc.SPDXVersion)
	tv("DataLicense", doc.DataLicense)
	tv("SPDXID", doc.SPDXID)
	tv("DocumentName", doc.Name)
	tv("DocumentNamespace", doc.DocumentNamespace)
	for _, c := range doc.CreationInfo.Creators {
		tv("Creator", c)
	}
	tv("Created", doc.CreationInfo.Created)
	for _, p := range doc.Packages {
		sb.WriteString("\n##### Package: " + p.Name + "\n\n")
		tv("PackageName", p.Name)
		tv("SPDXID", p.SPDXID)
		tv("PackageVersion", p.VersionInfo)
		tv("PackageSupplier", p.Supplier)
		tv("PackageDownloadLocation", p.DownloadLocation)
		tv("FilesAnalyzed", strconv.FormatBool(p.FilesAnalyzed))
		for _, c := range p.Checksums {
			tv("PackageChecksum", c.Algorithm+": "+c.Value)
		}
		tv("PackageSourceInfo", p.SourceInfo)
		tv("PackageLicenseConcluded", p.LicenseConcluded)
		tv("PackageLicenseDeclared", p.LicenseDeclared)
		tv("PackageCopyrightText", p.CopyrightText)
		for _, e := range p.ExternalRefs {
			tv("ExternalRef", e.Category+" "+e.Type+" "+e.Locator)
		}
		for _, a := range p.AttributionTexts {
			sb.WriteString("PackageAttributionText: <text>" + a + "</text>\n")
		}
		tv("PrimaryPackagePurpose", p.PrimaryPackagePurpose)
	}
	if len(doc.ExtractedLicenses) > 0 {
		sb.WriteString("\n##### Other Licenses\n\n")
		for _, e := range doc.ExtractedLicenses {
			tv("LicenseID", e.LicenseID)
			sb.WriteString("ExtractedText: <text>" + e.ExtractedText + "</text>\n")
			tv("LicenseName", e.Name)
		}
	}
	if len(doc.Relationships) > 0 {
		sb.WriteString("\n##### Relationships\n\n")
		for _, rel := range doc.Relationships {
			tv("Relationship", rel.Element+" "+rel.Type+" "+rel.Related)
		}
	}
	if _, err := io.WriteString(w, sb.String()); err != nil {
		return fmt.Errorf("writing SPDX tag-value: %w", err)
	}
	return nil
}

// spdxBuilder assembles a document while keeping SPDXIDs unique.
type spdxBuilder struct {
	ids       map[string]bool
	doc       *spdxDocument
	extracted map[string]string // LicenseRef → original name
}

// id returns a unique SPDXID "SPDXRef-<kind>-<hash>".
func (b *spdxBuilder) id(kind string, parts ...string) string {
	base := "SPDXRef-" + kind + "-" + shortHash(parts...)
	id := base
	for i := 1; b.ids[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	b.ids[id] = true
	return id
}

func (b *spdxBuilder) relate(from, typ, to string) {
	b.doc.Relationships = append(b.doc.Relationships, spdxRelationship{Element: from, Related: to, Type: typ})
}

func buildSPDX(r *model.Report, opts Options) *spdxDocument {
	name := r.ArtifactName
	if name == "" {
		name = "trawl-report"
	}
	doc := &spdxDocument{
		SPDXVersion: spdxVersion,
		DataLicense: spdxDataLicense,
		SPDXID:      spdxDocID,
		Name:        name,
		DocumentNamespace: spdxNamespace + uriSafe(r.ArtifactType) + "/" + uriSafe(name) + "-" +
			stableUUID("spdx", reportHash(r)),
		CreationInfo: spdxCreationInfo{
			Creators: []string{"Organization: " + toolVendor, "Tool: " + toolName + "-" + appVersion(opts)},
		},
	}
	if !r.CreatedAt.IsZero() {
		doc.CreationInfo.Created = r.CreatedAt.UTC().Format(time.RFC3339)
	} else {
		// created is required; the epoch keeps the output deterministic.
		doc.CreationInfo.Created = time.Unix(0, 0).UTC().Format(time.RFC3339)
	}
	b := &spdxBuilder{ids: map[string]bool{spdxDocID: true}, doc: doc, extracted: map[string]string{}}

	root := b.rootPackage(r)
	b.relate(spdxDocID, "DESCRIBES", root)

	osID := ""
	for i := range r.Results {
		res := &r.Results[i]
		if !isPkgResult(res) || len(resultPackages(res)) == 0 {
			continue
		}
		var parent string
		if res.Class == model.ClassOSPkg {
			if osID == "" {
				osID = b.osPackage(r, res)
				b.relate(root, "CONTAINS", osID)
			}
			parent = osID
		} else {
			parent = b.id("Application", res.Type, res.Target)
			doc.Packages = append(doc.Packages, spdxPackage{
				Name:                  res.Target,
				SPDXID:                parent,
				Supplier:              spdxNoAssertion,
				DownloadLocation:      spdxNoAssertion,
				AttributionTexts:      []string{"Class: " + res.Class, "Type: " + res.Type},
				PrimaryPackagePurpose: "APPLICATION",
			})
			b.relate(root, "CONTAINS", parent)
		}
		b.packages(res, parent)
	}

	for _, ref := range sortedKeys(b.extracted) {
		doc.ExtractedLicenses = append(doc.ExtractedLicenses, spdxExtracted{
			LicenseID: ref, ExtractedText: b.extracted[ref], Name: b.extracted[ref],
		})
	}
	sort.SliceStable(doc.Relationships, func(i, j int) bool {
		a, c := doc.Relationships[i], doc.Relationships[j]
		if a.Element != c.Element {
			return a.Element < c.Element
		}
		if a.Type != c.Type {
			return a.Type < c.Type
		}
		return a.Related < c.Related
	})
	doc.Relationships = compactRelationships(doc.Relationships)
	return doc
}

func compactRelationships(rels []spdxRelationship) []spdxRelationship {
	n := 0
	for i, r := range rels {
		if i == 0 || r != rels[n-1] {
			rels[n] = r
			n++
		}
	}
	return rels[:n]
}

func (b *spdxBuilder) rootPackage(r *model.Report) string {
	p := spdxPackage{
		Name:             b.doc.Name,
		Supplier:         spdxNoAssertion,
		DownloadLocation: spdxNoAssertion,
		AttributionTexts: []string{"SchemaVersion: " + strconv.Itoa(model.SchemaVersion)},
	}
	switch r.ArtifactType {
	case model.ArtifactContainerImage:
		p.SPDXID = b.id("ContainerImage", r.ArtifactName)
		p.PrimaryPackagePurpose = "CONTAINER"
		if purl := imagePURL(r); purl != "" {
			p.ExternalRefs = []spdxExternalRef{{Category: "PACKAGE-MANAGER", Type: "purl", Locator: purl}}
		}
		md := r.Metadata
		if md.ImageID != "" {
			p.AttributionTexts = append(p.AttributionTexts, "ImageID: "+md.ImageID)
		}
		for _, d := range md.DiffIDs {
			p.AttributionTexts = append(p.AttributionTexts, "DiffID: "+d)
		}
		for _, d := range md.RepoDigests {
			p.AttributionTexts = append(p.AttributionTexts, "RepoDigest: "+d)
		}
		for _, t := range md.RepoTags {
			p.AttributionTexts = append(p.AttributionTexts, "RepoTag: "+t)
		}
	default:
		p.SPDXID = b.id("Filesystem", r.ArtifactType, r.ArtifactName)
		p.PrimaryPackagePurpose = "SOURCE"
	}
	sort.Strings(p.AttributionTexts)
	b.doc.Packages = append(b.doc.Packages, p)
	return p.SPDXID
}

func (b *spdxBuilder) osPackage(r *model.Report, res *model.Result) string {
	family, version := res.Type, ""
	if r.Metadata.OS.Detected() {
		family, version = r.Metadata.OS.Family, r.Metadata.OS.Name
	}
	id := b.id("OperatingSystem", family, version)
	b.doc.Packages = append(b.doc.Packages, spdxPackage{
		Name:                  family,
		SPDXID:                id,
		VersionInfo:           version,
		Supplier:              spdxNoAssertion,
		DownloadLocation:      spdxNoAssertion,
		AttributionTexts:      []string{"Class: " + res.Class, "Type: " + res.Type},
		PrimaryPackagePurpose: "OPERATING-SYSTEM",
	})
	return id
}

func (b *spdxBuilder) packages(res *model.Result, parent string) {
	ids := map[string]string{}
	pkgs := sortedPackages(resultPackages(res))
	for _, p := range pkgs {
		id := b.id("Package", res.Target, p.ID, p.Name, p.FullVersion(), p.FilePath)
		ids[pkgKey(p)] = id
		if p.ID != "" {
			ids[p.ID] = id
		}
		lic := b.licenseExpression(p.Licenses)
		sp := spdxPackage{
			Name:                  p.Name,
			SPDXID:                id,
			VersionInfo:           pkgVersion(p),
			Supplier:              spdxNoAssertion,
			DownloadLocation:      spdxNoAssertion,
			LicenseConcluded:      lic,
			LicenseDeclared:       lic,
			CopyrightText:         spdxNoAssertion,
			PrimaryPackagePurpose: "LIBRARY",
		}
		if p.SrcName != "" {
			sp.SourceInfo = "built package from: " + p.SrcName + " " + p.FullSrcVersion()
		}
		if alg, val, ok := splitDigest(p.Digest); ok {
			if a, ok := spdxChecksumAlg(alg); ok {
				sp.Checksums = []spdxChecksum{{Algorithm: a, Value: val}}
			}
		}
		if p.Identifier.PURL != "" {
			sp.ExternalRefs = []spdxExternalRef{{Category: "PACKAGE-MANAGER", Type: "purl", Locator: p.Identifier.PURL}}
		}
		attr := []string{"PkgType: " + res.Type}
		for _, kv := range [][2]string{
			{"PkgID", p.ID}, {"LayerDigest", p.Layer.Digest}, {"LayerDiffID", p.Layer.DiffID}, {"FilePath", p.FilePath},
		} {
			if kv[1] != "" {
				attr = append(attr, kv[0]+": "+kv[1])
			}
		}
		sort.Strings(attr)
		sp.AttributionTexts = attr
		b.doc.Packages = append(b.doc.Packages, sp)
		b.relate(parent, "CONTAINS", id)
	}
	for _, p := range pkgs {
		for _, d := range p.DependsOn {
			if to, ok := ids[d]; ok {
				b.relate(ids[pkgKey(p)], "DEPENDS_ON", to)
			}
		}
	}
}

// licenseExpression joins a package's licences, normalised to SPDX, into
// one SPDX expression (AND between them). A licence that is not SPDX becomes
// a LicenseRef- whose text is the licence as written, recorded in
// hasExtractedLicensingInfos, as is every LicenseRef- a normalised
// expression uses (LicenseRef-Public-Domain).
func (b *spdxBuilder) licenseExpression(ls []string) string {
	var e *license.Expr
	seen := map[string]bool{}
	for _, n := range normalizedLicenses(ls) {
		part := n.Expr
		if n.Known {
			for _, l := range part.Licenses() {
				if strings.HasPrefix(l.ID, "LicenseRef-") && b.extracted[l.ID] == "" {
					b.extracted[l.ID] = strings.TrimSpace(n.Raw)
				}
			}
		} else {
			ref := licenseRef(n.SPDX)
			if b.extracted[ref] == "" {
				b.extracted[ref] = n.SPDX
			}
			part = &license.Expr{ID: ref}
		}
		switch s := part.String(); {
		case seen[s]:
		case e == nil:
			e = part
		default:
			e = &license.Expr{Op: "AND", Left: e, Right: part}
		}
		seen[part.String()] = true
	}
	if e == nil {
		return spdxNoAssertion
	}
	return e.String()
}

func spdxChecksumAlg(alg string) (string, bool) {
	switch alg {
	case "md5":
		return "MD5", true
	case "sha1":
		return "SHA1", true
	case "sha256":
		return "SHA256", true
	case "sha384":
		return "SHA384", true
	case "sha512":
		return "SHA512", true
	}
	return "", false
}

// uriSafe keeps the characters a URI path segment may hold unescaped.
func uriSafe(s string) string {
	var sb strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			sb.WriteRune(r)
		default:
			sb.WriteByte('-')
		}
	}
	if sb.Len() == 0 {
		return "unknown"
	}
	return sb.String()
}
