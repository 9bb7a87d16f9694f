package report

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/trawlsec/trawl/internal/license"
	"github.com/trawlsec/trawl/pkg/model"
)

// propPrefix namespaces trawl's CycloneDX properties.
const propPrefix = "trawl:"

// trivyPropPrefix is Trivy's namespace ("aquasecurity" in the CycloneDX
// property taxonomy). The properties Trivy reads back from a BOM (file
// paths, package types, layers, source packages) are written under it
// too, with the same values, so that Trivy and tools built for its BOMs
// find the targets and package types of trawl's components.
const trivyPropPrefix = "aquasecurity:trivy:"

// trivyProps are the properties also written under trivyPropPrefix: those
// of Trivy's CycloneDX encoder (pkg/sbom/cyclonedx) with the same meaning.
var trivyProps = map[string]bool{
	"SchemaVersion": true, "Class": true, "Type": true, "PkgID": true, "PkgType": true,
	"SrcName": true, "SrcVersion": true, "SrcRelease": true, "SrcEpoch": true,
	"LayerDigest": true, "LayerDiffID": true, "FilePath": true,
}

// WriteCycloneDX writes the report as a CycloneDX 1.6 BOM: JSON, or XML
// when opts.CycloneDXXML is set.
func WriteCycloneDX(w io.Writer, r *model.Report, opts Options) error {
	bom := buildCycloneDX(r, opts)
	format := cdx.BOMFileFormatJSON
	if opts.CycloneDXXML {
		format = cdx.BOMFileFormatXML
	}
	enc := cdx.NewBOMEncoder(w, format).SetPretty(true).SetEscapeHTML(false)
	// The BOM is built for 1.6 as is; Encode (unlike EncodeVersion) does
	// not rewrite ratings without a scoring method to method "other".
	if err := enc.Encode(bom); err != nil {
		return fmt.Errorf("encoding CycloneDX BOM: %w", err)
	}
	if opts.CycloneDXXML {
		// The XML encoder ends without a newline; JSON's ends with one.
		if _, err := io.WriteString(w, "\n"); err != nil {
			return fmt.Errorf("writing CycloneDX BOM: %w", err)
		}
	}
	return nil
}

// cdxBuilder assembles a BOM while keeping bom-refs unique.
type cdxBuilder struct {
	refs       map[string]bool
	components []cdx.Component
	deps       map[string][]string
	// pkgRefs maps result index and package ID to the package's bom-ref.
	pkgRefs map[int]map[string]string
}

func (b *cdxBuilder) uniqueRef(ref string, salt ...string) string {
	if !b.refs[ref] {
		b.refs[ref] = true
		return ref
	}
	for i := 1; ; i++ {
		alt := stableUUID(append([]string{ref, strconv.Itoa(i)}, salt...)...)
		if !b.refs[alt] {
			b.refs[alt] = true
			return alt
		}
	}
}

func (b *cdxBuilder) add(c cdx.Component) {
	b.components = append(b.components, c)
	if _, ok := b.deps[c.BOMRef]; !ok {
		b.deps[c.BOMRef] = nil
	}
}

func (b *cdxBuilder) dependsOn(from string, to ...string) {
	b.deps[from] = append(b.deps[from], to...)
}

func buildCycloneDX(r *model.Report, opts Options) *cdx.BOM {
	b := &cdxBuilder{refs: map[string]bool{}, deps: map[string][]string{}, pkgRefs: map[int]map[string]string{}}

	bom := cdx.NewBOM()
	bom.SpecVersion = cdx.SpecVersion1_6
	bom.JSONSchema = "http://cyclonedx.org/schema/bom-1.6.schema.json"
	bom.XMLNS = "http://cyclonedx.org/schema/bom/1.6"
	bom.SerialNumber = "urn:uuid:" + stableUUID("cyclonedx", reportHash(r))
	meta := &cdx.Metadata{
		Tools: &cdx.ToolsChoice{Components: &[]cdx.Component{{
			Type:    cdx.ComponentTypeApplication,
			Group:   toolVendor,
			Name:    toolName,
			Version: appVersion(opts),
		}}},
	}
	if !r.CreatedAt.IsZero() {
		meta.Timestamp = r.CreatedAt.UTC().Format(time.RFC3339)
	}
	root := rootComponent(r)
	root.BOMRef = b.uniqueRef(root.BOMRef)
	b.deps[root.BOMRef] = nil
	meta.Component = &root
	bom.Metadata = meta

	for i := range r.Results {
		res := &r.Results[i]
		if !isPkgResult(res) || len(resultPackages(res)) == 0 {
			continue
		}
		parent := b.resultComponent(r, res)
		b.dependsOn(root.BOMRef, parent)
		b.packages(i, res, parent)
	}

	if len(b.components) > 0 {
		comps := b.components
		bom.Components = &comps
	}
	bom.Dependencies = b.dependencies()
	if vulns := b.vulnerabilities(r); len(vulns) > 0 {
		bom.Vulnerabilities = &vulns
	}
	return bom
}

// rootComponent describes the scanned artifact.
func rootComponent(r *model.Report) cdx.Component {
	c := cdx.Component{Type: cdx.ComponentTypeApplication, Name: r.ArtifactName}
	props := []cdx.Property{{Name: propPrefix + "SchemaVersion", Value: strconv.Itoa(model.SchemaVersion)}}
	if r.ArtifactType == model.ArtifactContainerImage {
		c.Type = cdx.ComponentTypeContainer
		c.PackageURL = imagePURL(r)
		md := r.Metadata
		if md.ImageID != "" {
			props = append(props, cdx.Property{Name: propPrefix + "ImageID", Value: md.ImageID})
		}
		for _, d := range md.DiffIDs {
			props = append(props, cdx.Property{Name: propPrefix + "DiffID", Value: d})
		}
		for _, d := range md.RepoDigests {
			props = append(props, cdx.Property{Name: propPrefix + "RepoDigest", Value: d})
		}
		for _, t := range md.RepoTags {
			props = append(props, cdx.Property{Name: propPrefix + "RepoTag", Value: t})
		}
		if md.Size > 0 {
			props = append(props, cdx.Property{Name: propPrefix + "Size", Value: strconv.FormatInt(md.Size, 10)})
		}
	}
	c.BOMRef = c.PackageURL
	if c.BOMRef == "" {
		c.BOMRef = stableUUID("root", r.ArtifactType, r.ArtifactName)
	}
	c.Properties = sortProps(props)
	return c
}

// resultComponent adds the operating-system or application component of a
// result and returns its bom-ref.
func (b *cdxBuilder) resultComponent(r *model.Report, res *model.Result) string {
	props := []cdx.Property{
		{Name: propPrefix + "Class", Value: res.Class},
		{Name: propPrefix + "Type", Value: res.Type},
	}
	if res.Class == model.ClassOSPkg {
		family, version := res.Type, ""
		if r.Metadata.OS.Detected() {
			family, version = r.Metadata.OS.Family, r.Metadata.OS.Name
		}
		ref := stableUUID("os", family, version)
		if b.refs[ref] {
			return ref
		}
		b.refs[ref] = true
		b.add(cdx.Component{BOMRef: ref, Type: cdx.ComponentTypeOS, Name: family, Version: version, Properties: sortProps(props)})
		return ref
	}
	ref := b.uniqueRef(stableUUID("app", res.Type, res.Target), res.Target)
	b.add(cdx.Component{BOMRef: ref, Type: cdx.ComponentTypeApplication, Name: res.Target, Properties: sortProps(props)})
	return ref
}

// packages adds the components of res's packages and their dependencies.
func (b *cdxBuilder) packages(idx int, res *model.Result, parent string) {
	ids := map[string]string{}
	b.pkgRefs[idx] = ids
	pkgs := sortedPackages(resultPackages(res))
	for _, p := range pkgs {
		ref := p.Identifier.BOMRef
		if ref == "" {
			ref = p.Identifier.PURL
		}
		if ref == "" {
			ref = p.Identifier.UID
		}
		if ref == "" {
			ref = stableUUID("pkg", res.Target, p.ID, p.Name, p.FullVersion())
		}
		ref = b.uniqueRef(ref, res.Target, p.ID)
		ids[pkgKey(p)] = ref
		if p.ID != "" {
			ids[p.ID] = ref
		}
		// Keys vulnRef falls back to when a vulnerability has no PkgID.
		for _, ver := range []string{p.FullVersion(), p.Version} {
			if k := "\x01" + p.Name + "@" + ver; ids[k] == "" {
				ids[k] = ref
			}
			if k := "\x02" + p.Name + "@" + ver + "|" + p.FilePath; ids[k] == "" {
				ids[k] = ref
			}
		}
		b.add(packageComponent(res, p, ref))
	}
	// The parent depends on the root packages when the result names them,
	// else on the direct ones, else on all.
	var top []string
	for _, rel := range []string{model.RelationshipRoot, model.RelationshipDirect} {
		for _, p := range pkgs {
			if p.Relationship == rel {
				top = append(top, ids[pkgKey(p)])
			}
		}
		if len(top) > 0 {
			break
		}
	}
	if len(top) == 0 || res.Class == model.ClassOSPkg {
		top = top[:0]
		for _, p := range pkgs {
			top = append(top, ids[pkgKey(p)])
		}
	}
	b.dependsOn(parent, top...)
	for _, p := range pkgs {
		for _, d := range p.DependsOn {
			if to, ok := ids[d]; ok {
				b.dependsOn(ids[pkgKey(p)], to)
			}
		}
	}
}

// pkgKey identifies a package within a result even when it has no ID.
func pkgKey(p *model.Package) string {
	return "\x00" + p.Name + "@" + p.FullVersion() + "|" + p.FilePath
}

// sortedPackages returns pointers to pkgs ordered by name, version, path.
func sortedPackages(pkgs []model.Package) []*model.Package {
	out := make([]*model.Package, len(pkgs))
	for i := range pkgs {
		out[i] = &pkgs[i]
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		if av, bv := a.FullVersion(), b.FullVersion(); av != bv {
			return av < bv
		}
		if a.FilePath != b.FilePath {
			return a.FilePath < b.FilePath
		}
		return a.ID < b.ID
	})
	return out
}

func packageComponent(res *model.Result, p *model.Package, ref string) cdx.Component {
	c := cdx.Component{
		BOMRef:     ref,
		Type:       cdx.ComponentTypeLibrary,
		Name:       p.Name,
		Version:    pkgVersion(p),
		PackageURL: p.Identifier.PURL,
		Licenses:   cdxLicenses(p.Licenses),
	}
	if alg, val, ok := splitDigest(p.Digest); ok {
		if h, ok := cdxHashAlg(alg); ok {
			c.Hashes = &[]cdx.Hash{{Algorithm: h, Value: val}}
		}
	}
	props := []cdx.Property{{Name: propPrefix + "PkgType", Value: res.Type}}
	add := func(name, value string) {
		if value != "" {
			props = append(props, cdx.Property{Name: propPrefix + name, Value: value})
		}
	}
	add("PkgID", p.ID)
	add("SrcName", p.SrcName)
	add("SrcVersion", p.SrcVersion)
	add("SrcRelease", p.SrcRelease)
	if p.SrcEpoch > 0 {
		add("SrcEpoch", strconv.Itoa(p.SrcEpoch))
	}
	add("LayerDigest", p.Layer.Digest)
	add("LayerDiffID", p.Layer.DiffID)
	add("FilePath", p.FilePath)
	if p.Dev {
		add("Dev", "true")
	}
	c.Properties = sortProps(props)
	return c
}

func cdxHashAlg(alg string) (cdx.HashAlgorithm, bool) {
	switch alg {
	case "md5":
		return cdx.HashAlgoMD5, true
	case "sha1":
		return cdx.HashAlgoSHA1, true
	case "sha256":
		return cdx.HashAlgoSHA256, true
	case "sha384":
		return cdx.HashAlgoSHA384, true
	case "sha512":
		return cdx.HashAlgoSHA512, true
	}
	return "", false
}

// cdxLicenses writes a package's licences normalised to SPDX: one
// licence of the SPDX list as license.id; when every licence is SPDX and one
// of them is an expression (an operator, an exception, a "+" or a
// LicenseRef-), all of them as one expression joined by AND; otherwise one
// entry per licence, license.id for a listed licence and license.name for
// anything else: the SPDX expression, or the licence as written when it is
// not SPDX or a LicenseRef- (CycloneDX forbids mixing expressions and
// licences).
func cdxLicenses(ls []string) *cdx.Licenses {
	ns := normalizedLicenses(ls)
	if len(ns) == 0 {
		return nil
	}
	allKnown, allIDs := true, true
	for _, n := range ns {
		_, listed := n.ListedID()
		allKnown = allKnown && n.Known
		allIDs = allIDs && listed
	}
	if allKnown && !allIDs {
		e := ns[0].Expr
		for _, n := range ns[1:] {
			e = &license.Expr{Op: "AND", Left: e, Right: n.Expr}
		}
		return &cdx.Licenses{{Expression: e.String()}}
	}
	out := make(cdx.Licenses, 0, len(ns))
	for _, n := range ns {
		id, listed := n.ListedID()
		switch {
		case listed:
			out = append(out, cdx.LicenseChoice{License: &cdx.License{ID: id}})
		case n.Known && n.Expr.Op == "" && n.Expr.Exception == "" && strings.HasPrefix(n.Expr.ID, "LicenseRef-"):
			// A LicenseRef- alone is named as written ("public-domain").
			out = append(out, cdx.LicenseChoice{License: &cdx.License{Name: strings.TrimSpace(n.Raw)}})
		default:
			out = append(out, cdx.LicenseChoice{License: &cdx.License{Name: n.SPDX}})
		}
	}
	return &out
}

func sortProps(props []cdx.Property) *[]cdx.Property {
	if len(props) == 0 {
		return nil
	}
	for _, p := range props {
		if name, ok := strings.CutPrefix(p.Name, propPrefix); ok && trivyProps[name] {
			props = append(props, cdx.Property{Name: trivyPropPrefix + name, Value: p.Value})
		}
	}
	sort.SliceStable(props, func(i, j int) bool {
		if props[i].Name != props[j].Name {
			return props[i].Name < props[j].Name
		}
		return props[i].Value < props[j].Value
	})
	return &props
}

// dependencies returns one entry per component, with sorted, unique
// dependsOn lists.
func (b *cdxBuilder) dependencies() *[]cdx.Dependency {
	out := make([]cdx.Dependency, 0, len(b.deps))
	for _, ref := range sortedKeys(b.deps) {
		d := cdx.Dependency{Ref: ref}
		if to := uniqueSorted(b.deps[ref]); len(to) > 0 {
			d.Dependencies = &to
		}
		out = append(out, d)
	}
	return &out
}

func uniqueSorted(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	out := append([]string(nil), s...)
	sort.Strings(out)
	n := 0
	for i, v := range out {
		if i == 0 || v != out[n-1] {
			out[n] = v
			n++
		}
	}
	return out[:n]
}

// vulnerabilities merges the findings of every result by ID; each affects
// the bom-refs of its packages.
func (b *cdxBuilder) vulnerabilities(r *model.Report) []cdx.Vulnerability {
	byID := map[string]*cdx.Vulnerability{}
	affects := map[string]map[string]string{} // id → ref → installed version
	for i := range r.Results {
		res := &r.Results[i]
		for j := range res.Vulnerabilities {
			v := &res.Vulnerabilities[j]
			ref := b.vulnRef(i, v)
			if ref == "" {
				continue
			}
			if _, ok := byID[v.VulnerabilityID]; !ok {
				cv := cdxVulnerability(v)
				byID[v.VulnerabilityID] = &cv
				affects[v.VulnerabilityID] = map[string]string{}
			}
			affects[v.VulnerabilityID][ref] = v.InstalledVersion
		}
	}
	out := make([]cdx.Vulnerability, 0, len(byID))
	for _, id := range sortedKeys(byID) {
		cv := byID[id]
		var aff []cdx.Affects
		for _, ref := range sortedKeys(affects[id]) {
			a := cdx.Affects{Ref: ref}
			if ver := affects[id][ref]; ver != "" {
				a.Range = &[]cdx.AffectedVersions{{Version: ver, Status: cdx.VulnerabilityStatusAffected}}
			}
			aff = append(aff, a)
		}
		cv.Affects = &aff
		out = append(out, *cv)
	}
	return out
}

// vulnRef finds the bom-ref of the package a vulnerability was found in.
func (b *cdxBuilder) vulnRef(idx int, v *model.Vulnerability) string {
	ids := b.pkgRefs[idx]
	if ids == nil {
		return ""
	}
	if ref, ok := ids[v.PkgID]; ok && v.PkgID != "" {
		return ref
	}
	if v.PkgPath != "" {
		if ref, ok := ids["\x02"+v.PkgName+"@"+v.InstalledVersion+"|"+v.PkgPath]; ok {
			return ref
		}
	}
	return ids["\x01"+v.PkgName+"@"+v.InstalledVersion]
}

func cdxVulnerability(v *model.Vulnerability) cdx.Vulnerability {
	cv := cdx.Vulnerability{
		ID:          v.VulnerabilityID,
		Description: v.Description,
	}
	if ds := v.DataSource; ds != nil {
		name := ds.Name
		if name == "" {
			name = ds.ID
		}
		cv.Source = &cdx.Source{Name: name, URL: ds.URL}
	} else if v.PrimaryURL != "" {
		cv.Source = &cdx.Source{URL: v.PrimaryURL}
	}
	if ratings := cdxRatings(v); len(ratings) > 0 {
		cv.Ratings = &ratings
	}
	var cwes []int
	for _, c := range v.CweIDs {
		if n, err := strconv.Atoi(strings.TrimPrefix(strings.ToUpper(c), "CWE-")); err == nil {
			cwes = append(cwes, n)
		}
	}
	if len(cwes) > 0 {
		sort.Ints(cwes)
		cwes = compactInts(cwes)
		cv.CWEs = &cwes
	}
	urls := append([]string(nil), v.References...)
	if v.PrimaryURL != "" {
		urls = append(urls, v.PrimaryURL)
	}
	if refs := uniqueSorted(urls); len(refs) > 0 {
		adv := make([]cdx.Advisory, len(refs))
		for i, u := range refs {
			adv[i] = cdx.Advisory{URL: u}
		}
		cv.Advisories = &adv
	}
	if v.FixedVersion != "" {
		cv.Recommendation = fmt.Sprintf("Upgrade %s to version %s", v.PkgName, v.FixedVersion)
	}
	if v.PublishedDate != nil {
		cv.Published = v.PublishedDate.UTC().Format(time.RFC3339)
	}
	if v.LastModifiedDate != nil {
		cv.Updated = v.LastModifiedDate.UTC().Format(time.RFC3339)
	}
	return cv
}

func compactInts(s []int) []int {
	n := 0
	for i, v := range s {
		if i == 0 || v != s[n-1] {
			s[n] = v
			n++
		}
	}
	return s[:n]
}

// cdxRatings gives one rating per source and CVSS version, plus a
// severity-only rating for sources without scores.
func cdxRatings(v *model.Vulnerability) []cdx.VulnerabilityRating {
	sources := map[string]bool{}
	for s := range v.CVSS {
		sources[s] = true
	}
	for s := range v.VendorSeverity {
		sources[s] = true
	}
	var out []cdx.VulnerabilityRating
	for _, src := range sortedKeys(sources) {
		sev := cdxSeverity(v.Severity)
		if n, ok := v.VendorSeverity[src]; ok {
			sev = cdxSeverity(vendorSeverityName(n))
		}
		source := &cdx.Source{Name: src}
		c, hasCVSS := v.CVSS[src]
		scored := false
		add := func(score float64, vector string, method cdx.ScoringMethod) {
			if score <= 0 && vector == "" {
				return
			}
			rating := cdx.VulnerabilityRating{Source: source, Severity: sev, Method: method, Vector: vector}
			if score > 0 {
				s := score
				rating.Score = &s
			}
			out = append(out, rating)
			scored = true
		}
		if hasCVSS {
			add(c.V2Score, c.V2Vector, cdx.ScoringMethodCVSSv2)
			m := cdx.ScoringMethodCVSSv3
			if strings.HasPrefix(c.V3Vector, "CVSS:3.1/") {
				m = cdx.ScoringMethodCVSSv31
			}
			add(c.V3Score, c.V3Vector, m)
			add(c.V40Score, c.V40Vector, cdx.ScoringMethodCVSSv4)
		}
		if !scored {
			out = append(out, cdx.VulnerabilityRating{Source: source, Severity: sev})
		}
	}
	if len(out) == 0 && v.Severity != "" {
		out = append(out, cdx.VulnerabilityRating{Severity: cdxSeverity(v.Severity)})
	}
	return out
}

func cdxSeverity(s string) cdx.Severity {
	switch strings.ToUpper(s) {
	case "CRITICAL":
		return cdx.SeverityCritical
	case "HIGH":
		return cdx.SeverityHigh
	case "MEDIUM":
		return cdx.SeverityMedium
	case "LOW":
		return cdx.SeverityLow
	}
	return cdx.SeverityUnknown
}
