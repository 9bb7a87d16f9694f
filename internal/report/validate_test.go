package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/github/go-spdx/v2/spdxexp"
	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/pkg/model"
)

// reports are the inputs every validation runs over: the full test report,
// a filesystem variant and an empty report.
func reports() map[string]*model.Report {
	fs := testReport()
	fs.ArtifactType = model.ArtifactFilesystem
	fs.ArtifactName = "."
	fs.Metadata = model.Metadata{OS: fs.Metadata.OS}
	// A report saved without packages (JSON without --list-all-pkgs).
	nopkgs := testReport()
	for i := range nopkgs.Results {
		nopkgs.Results[i].Packages = nil
	}
	// An image with misconfigurations (a file's and the image config's,
	// FAIL and PASS) and forensics findings.
	iac := testReport()
	iac.Results = append(iac.Results,
		model.Result{Target: "deploy/k8s.yaml", Class: model.ClassConfig, Type: "kubernetes",
			MisconfSummary: &model.MisconfSummary{Successes: 1, Failures: 1},
			Misconfigurations: []model.Misconfiguration{
				{Type: "Kubernetes Security Check", ID: "KSV-0017", AVDID: "AVD-KSV-0017", Title: "Privileged container",
					Description: "Privileged containers share the host's devices.", Message: "Container 'app' should set 'securityContext.privileged' to false",
					Severity: "HIGH", PrimaryURL: "https://avd.aquasec.com/misconfig/ksv-0017", Status: model.MisconfStatusFail,
					CauseMetadata: model.CauseMetadata{Provider: "Kubernetes", Service: "general", StartLine: 14, EndLine: 22}},
				{Type: "Kubernetes Security Check", ID: "KSV-0009", Title: "Access to host network", Severity: "HIGH", Status: model.MisconfStatusPass},
			}},
		model.Result{Target: "image config (Dockerfile)", Class: model.ClassConfig, Type: "dockerfile",
			MisconfSummary: &model.MisconfSummary{Failures: 1},
			Misconfigurations: []model.Misconfiguration{{Type: "Dockerfile Security Check", ID: "DS-0002", Title: "Image user should not be 'root'",
				Message: "Specify at least 1 USER command", Severity: "HIGH", Status: model.MisconfStatusFail}}},
		model.Result{Target: "registry.example.com/team/app:1.2.3", Class: model.ClassForensics, Findings: []model.ForensicFinding{
			{ID: "FOR-ACCOUNT-UID0", Category: "accounts", Severity: "CRITICAL", Title: "Account with uid 0 other than root",
				Message: "account \"toor\" has uid 0", Path: "etc/passwd", Layer: model.Layer{DiffID: "sha256:cccc", CreatedBy: "RUN useradd"}},
		}},
	)
	// Licences in every form the writers map (listed ids, DEP-5 and rpm
	// expressions, exceptions, LicenseRef-s, text that is not SPDX) and
	// licence findings of packages and files.
	lic := testReport()
	for i, ls := range [][]string{
		{"GPL-2+", "BSD-3-clause", "Expat"},
		{"GPL-1+ or Artistic, and BSD-4-clause"},
		{"GPL-3+ with Bison exception", "LGPL-2.1+"},
		{"public-domain"},
		{"permissive-fsf", "GPL-2+"},
		{"ASL 2.0 and MIT", "Some/Weird Licence!"},
		{"Apache-2.0+"},
	} {
		name := fmt.Sprintf("lic%d", i)
		lic.Results[0].Packages = append(lic.Results[0].Packages, model.Package{ID: name + "@1.0-1", Name: name, Version: "1.0", Release: "1",
			Identifier: model.Identifier{PURL: "pkg:deb/debian/" + name + "@1.0-1?distro=debian-12.5"}, Licenses: ls})
	}
	lic.Results = append(lic.Results,
		model.Result{Target: "OS Packages", Class: model.ClassLicense, Licenses: []model.DetectedLicense{
			{Severity: "HIGH", Category: "restricted", PkgName: "lic0", Name: "GPL-2.0-or-later", Confidence: 1},
			{Severity: "UNKNOWN", Category: "unknown", PkgName: "lic4", Name: "permissive-fsf", Confidence: 1},
		}},
		model.Result{Target: "Loose File License(s)", Class: model.ClassLicenseFile, Licenses: []model.DetectedLicense{
			{Severity: "LOW", Category: "notice", FilePath: "app/LICENSE", Name: "MIT", Confidence: 0.98, Link: "https://spdx.org/licenses/MIT.html"},
		}},
	)
	return map[string]*model.Report{
		"licenses": lic,
		"iac":      iac,
		"image":    testReport(),
		"fs":       fs,
		"nopkgs":   nopkgs,
		"empty":    {SchemaVersion: model.SchemaVersion, ArtifactName: "empty", ArtifactType: model.ArtifactFilesystem},
	}
}

func validateSchema(t *testing.T, v *schemaValidator, schema string, doc []byte) {
	t.Helper()
	errs, err := v.Validate(schema, doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range errs {
		t.Errorf("%s: %s", schema, e)
	}
}

// TestCycloneDXSchema validates CycloneDX JSON against the official 1.6
// schema and checks that the XML form decodes to the same BOM.
func TestCycloneDXSchema(t *testing.T) {
	v := newSchemaValidator(filepath.Join("testdata", "schema"))
	for name, r := range reports() {
		t.Run(name, func(t *testing.T) {
			js := render(t, "cyclonedx", r, testOptions())
			validateSchema(t, v, "bom-1.6.schema.json", js)

			var fromJSON cdx.BOM
			if err := cdx.NewBOMDecoder(bytes.NewReader(js), cdx.BOMFileFormatJSON).Decode(&fromJSON); err != nil {
				t.Fatalf("decoding JSON BOM: %v", err)
			}
			checkBOMRefs(t, &fromJSON)
			if n := countVulns(r); n > 0 && (fromJSON.Vulnerabilities == nil || len(*fromJSON.Vulnerabilities) == 0) {
				t.Errorf("report has %d vulnerabilities, BOM none", n)
			}

			opts := testOptions()
			opts.CycloneDXXML = true
			xmlOut := render(t, "cyclonedx", r, opts)
			if !bytes.Contains(xmlOut, []byte(`xmlns="http://cyclonedx.org/schema/bom/1.6"`)) {
				t.Errorf("XML BOM lacks the 1.6 namespace")
			}
			var fromXML cdx.BOM
			if err := cdx.NewBOMDecoder(bytes.NewReader(xmlOut), cdx.BOMFileFormatXML).Decode(&fromXML); err != nil {
				t.Fatalf("decoding XML BOM: %v", err)
			}
			// The JSON-only fields aside, both encodings carry the same BOM.
			fromJSON.JSONSchema, fromJSON.BOMFormat, fromJSON.SpecVersion = "", "", 0
			fromXML.XMLName, fromXML.XMLNS = fromJSON.XMLName, fromJSON.XMLNS
			fromXML.SpecVersion = 0
			if diff := cmp.Diff(fromJSON, fromXML); diff != "" {
				t.Errorf("XML and JSON BOMs differ (-json +xml):\n%s", diff)
			}
		})
	}
}

func countVulns(r *model.Report) int {
	n := 0
	for _, res := range r.Results {
		n += len(res.Vulnerabilities)
	}
	return n
}

// checkBOMRefs checks what the schema cannot: bom-refs are unique and every
// dependency and affects entry points at a component.
func checkBOMRefs(t *testing.T, bom *cdx.BOM) {
	t.Helper()
	refs := map[string]bool{}
	add := func(ref string) {
		if ref == "" {
			t.Errorf("component without bom-ref")
		}
		if refs[ref] {
			t.Errorf("duplicate bom-ref %q", ref)
		}
		refs[ref] = true
	}
	if bom.Metadata != nil && bom.Metadata.Component != nil {
		add(bom.Metadata.Component.BOMRef)
	}
	if bom.Components != nil {
		for _, c := range *bom.Components {
			add(c.BOMRef)
		}
	}
	if bom.Dependencies != nil {
		for _, d := range *bom.Dependencies {
			if !refs[d.Ref] {
				t.Errorf("dependency of unknown ref %q", d.Ref)
			}
			if d.Dependencies != nil {
				for _, to := range *d.Dependencies {
					if !refs[to] {
						t.Errorf("%q depends on unknown ref %q", d.Ref, to)
					}
				}
			}
		}
	}
	if bom.Vulnerabilities != nil {
		for _, vuln := range *bom.Vulnerabilities {
			if vuln.Affects == nil || len(*vuln.Affects) == 0 {
				t.Errorf("%s affects nothing", vuln.ID)
				continue
			}
			for _, a := range *vuln.Affects {
				if !refs[a.Ref] {
					t.Errorf("%s affects unknown ref %q", vuln.ID, a.Ref)
				}
			}
		}
	}
}

// TestSARIFSchema validates SARIF against the official 2.1.0 schema and
// the extra rules GitHub code scanning applies.
func TestSARIFSchema(t *testing.T) {
	v := newSchemaValidator(filepath.Join("testdata", "schema"))
	for name, r := range reports() {
		t.Run(name, func(t *testing.T) {
			out := render(t, "sarif", r, testOptions())
			validateSchema(t, v, "sarif-2.1.0-rtm.5.json", out)

			var log sarifLog
			if err := json.Unmarshal(out, &log); err != nil {
				t.Fatal(err)
			}
			if len(log.Runs) != 1 {
				t.Fatalf("%d runs, want 1", len(log.Runs))
			}
			run := log.Runs[0]
			if run.Tool.Driver.Name != "trawl" || run.Tool.Driver.Version == "" || run.Tool.Driver.InformationURI == "" {
				t.Errorf("driver = %+v", run.Tool.Driver)
			}
			for i, rule := range run.Tool.Driver.Rules {
				if i > 0 && run.Tool.Driver.Rules[i-1].ID >= rule.ID {
					t.Errorf("rules not sorted/unique at %s", rule.ID)
				}
				if f, err := strconv.ParseFloat(rule.Properties.SecuritySeverity, 64); err != nil || f < 0 || f > 10 {
					t.Errorf("rule %s: security-severity %q", rule.ID, rule.Properties.SecuritySeverity)
				}
				if rule.ShortDescription.Text == "" || rule.FullDescription.Text == "" || rule.Help.Text == "" || rule.Help.Markdown == "" {
					t.Errorf("rule %s lacks descriptions or help", rule.ID)
				}
			}
			if name == "iac" {
				var ids []string
				for _, res := range run.Results {
					ids = append(ids, res.RuleID+"@"+res.Locations[0].PhysicalLocation.ArtifactLocation.URI+":"+strconv.Itoa(res.Locations[0].PhysicalLocation.Region.StartLine))
				}
				// FAIL misconfigurations (a file's at its lines, the image
				// config's at the image) and forensics findings; not PASS.
				for _, want := range []string{"KSV-0017@deploy/k8s.yaml:14", "DS-0002@team/app:1", "FOR-ACCOUNT-UID0@etc/passwd:1"} {
					if !slices.Contains(ids, want) {
						t.Errorf("no result %s in %v", want, ids)
					}
				}
				for _, id := range ids {
					if strings.HasPrefix(id, "KSV-0009") {
						t.Errorf("a PASS entry became a result: %s", id)
					}
				}
			}
			for _, res := range run.Results {
				if res.RuleIndex >= len(run.Tool.Driver.Rules) || run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
					t.Errorf("result %s: ruleIndex %d does not point at its rule", res.RuleID, res.RuleIndex)
				}
				if len(res.Locations) == 0 {
					t.Errorf("result %s has no location", res.RuleID)
				}
				for _, l := range res.Locations {
					uri := l.PhysicalLocation.ArtifactLocation.URI
					if uri == "" || strings.HasPrefix(uri, "/") || strings.Contains(uri, "://") || strings.Contains(uri, " ") {
						t.Errorf("result %s: uri %q is not repository-relative", res.RuleID, uri)
					}
					if reg := l.PhysicalLocation.Region; reg.StartLine < 1 || reg.EndLine < reg.StartLine {
						t.Errorf("result %s: region %+v", res.RuleID, reg)
					}
				}
			}
		})
	}
}

// SPDX 2.3 has no JSON schema in any package the registries serve (only
// SPDX 3), so validateSPDX is a focused validator of the 2.3 spec's required
// fields and enumerations.
const (
	spdxRelationships = "DESCRIBES DESCRIBED_BY CONTAINS CONTAINED_BY DEPENDS_ON DEPENDENCY_OF DEPENDENCY_MANIFEST_OF BUILD_DEPENDENCY_OF DEV_DEPENDENCY_OF OPTIONAL_DEPENDENCY_OF PROVIDED_DEPENDENCY_OF TEST_DEPENDENCY_OF RUNTIME_DEPENDENCY_OF EXAMPLE_OF GENERATES GENERATED_FROM ANCESTOR_OF DESCENDANT_OF VARIANT_OF DISTRIBUTION_ARTIFACT PATCH_FOR PATCH_APPLIED COPY_OF FILE_ADDED FILE_DELETED FILE_MODIFIED EXPANDED_FROM_ARCHIVE DYNAMIC_LINK STATIC_LINK DATA_FILE_OF TEST_CASE_OF BUILD_TOOL_OF DEV_TOOL_OF TEST_OF TEST_TOOL_OF DOCUMENTATION_OF OPTIONAL_COMPONENT_OF METAFILE_OF PACKAGE_OF AMENDS PREREQUISITE_FOR HAS_PREREQUISITE REQUIREMENT_DESCRIPTION_FOR SPECIFICATION_FOR OTHER"
	spdxPurposes      = "APPLICATION FRAMEWORK LIBRARY CONTAINER OPERATING-SYSTEM DEVICE FIRMWARE SOURCE ARCHIVE FILE INSTALL OTHER"
	spdxChecksumAlgs  = "SHA1 SHA224 SHA256 SHA384 SHA512 SHA3-256 SHA3-384 SHA3-512 BLAKE2b-256 BLAKE2b-384 BLAKE2b-512 BLAKE3 MD2 MD4 MD5 MD6 ADLER32"
	spdxRefCategories = "SECURITY PACKAGE-MANAGER PERSISTENT-ID OTHER"
)

func inList(list, v string) bool {
	for _, x := range strings.Fields(list) {
		if x == v {
			return true
		}
	}
	return false
}

func validateSPDX(t *testing.T, doc *spdxDocument) {
	t.Helper()
	spdxIDPattern := regexp.MustCompile(`^SPDXRef-[A-Za-z0-9.\-]+$`)
	spdxLicenseRef := regexp.MustCompile(`LicenseRef-[A-Za-z0-9.\-]+`)
	spdxCreatedPattern := regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$`)
	if doc.SPDXVersion != "SPDX-2.3" || doc.DataLicense != "CC0-1.0" || doc.SPDXID != "SPDXRef-DOCUMENT" || doc.Name == "" {
		t.Errorf("document header: %q %q %q %q", doc.SPDXVersion, doc.DataLicense, doc.SPDXID, doc.Name)
	}
	if !strings.Contains(doc.DocumentNamespace, "://") || strings.Contains(doc.DocumentNamespace, "#") {
		t.Errorf("documentNamespace %q is not an absolute URI without fragment", doc.DocumentNamespace)
	}
	if len(doc.CreationInfo.Creators) == 0 || !spdxCreatedPattern.MatchString(doc.CreationInfo.Created) {
		t.Errorf("creationInfo %+v", doc.CreationInfo)
	}
	for _, c := range doc.CreationInfo.Creators {
		if !strings.HasPrefix(c, "Tool: ") && !strings.HasPrefix(c, "Organization: ") && !strings.HasPrefix(c, "Person: ") {
			t.Errorf("creator %q", c)
		}
	}
	ids := map[string]bool{doc.SPDXID: true}
	extracted := map[string]bool{}
	for _, e := range doc.ExtractedLicenses {
		if !spdxLicenseRef.MatchString(e.LicenseID) || e.ExtractedText == "" {
			t.Errorf("extracted licence %+v", e)
		}
		extracted[e.LicenseID] = true
	}
	for _, p := range doc.Packages {
		if !spdxIDPattern.MatchString(p.SPDXID) || ids[p.SPDXID] {
			t.Errorf("package SPDXID %q invalid or duplicate", p.SPDXID)
		}
		ids[p.SPDXID] = true
		if p.Name == "" || p.DownloadLocation == "" {
			t.Errorf("package %s lacks name or downloadLocation", p.SPDXID)
		}
		if p.FilesAnalyzed {
			t.Errorf("package %s: filesAnalyzed without files", p.SPDXID)
		}
		if p.PrimaryPackagePurpose != "" && !inList(spdxPurposes, p.PrimaryPackagePurpose) {
			t.Errorf("package %s: purpose %q", p.SPDXID, p.PrimaryPackagePurpose)
		}
		for _, c := range p.Checksums {
			if !inList(spdxChecksumAlgs, c.Algorithm) || c.Value == "" {
				t.Errorf("package %s: checksum %+v", p.SPDXID, c)
			}
		}
		for _, e := range p.ExternalRefs {
			if !inList(spdxRefCategories, e.Category) || e.Type == "" || e.Locator == "" {
				t.Errorf("package %s: externalRef %+v", p.SPDXID, e)
			}
			if e.Type == "purl" && !strings.HasPrefix(e.Locator, "pkg:") {
				t.Errorf("package %s: purl %q", p.SPDXID, e.Locator)
			}
		}
		for _, lic := range []string{p.LicenseConcluded, p.LicenseDeclared} {
			if lic == "" || lic == "NOASSERTION" || lic == "NONE" {
				continue
			}
			for _, ref := range spdxLicenseRef.FindAllString(lic, -1) {
				if !extracted[ref] {
					t.Errorf("package %s: %s not in hasExtractedLicensingInfos", p.SPDXID, ref)
				}
			}
			if ok, bad := spdxexp.ValidateLicenses([]string{lic}); !ok {
				t.Errorf("package %s: licence %q is not a valid SPDX expression (%q)", p.SPDXID, lic, bad)
			}
		}
	}
	describes := 0
	for _, rel := range doc.Relationships {
		if !inList(spdxRelationships, rel.Type) {
			t.Errorf("relationship type %q", rel.Type)
		}
		if !ids[rel.Element] || !ids[rel.Related] {
			t.Errorf("relationship %+v names an unknown element", rel)
		}
		if rel.Element == doc.SPDXID && rel.Type == "DESCRIBES" {
			describes++
		}
	}
	if describes == 0 {
		t.Errorf("no DESCRIBES relationship from the document")
	}
}

// parseTagValue reads an SPDX tag-value document back into a document.
func parseTagValue(t *testing.T, b []byte) *spdxDocument {
	t.Helper()
	doc := &spdxDocument{}
	var pkg *spdxPackage
	var ext *spdxExtracted
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		tag, val, ok := strings.Cut(line, ": ")
		if !ok {
			t.Errorf("malformed tag-value line %q", line)
			continue
		}
		if strings.HasPrefix(val, "<text>") {
			for !strings.HasSuffix(val, "</text>") && sc.Scan() {
				val += "\n" + sc.Text()
			}
			val = strings.TrimSuffix(strings.TrimPrefix(val, "<text>"), "</text>")
		}
		switch tag {
		case "SPDXVersion":
			doc.SPDXVersion = val
		case "DataLicense":
			doc.DataLicense = val
		case "SPDXID":
			if pkg != nil {
				pkg.SPDXID = val
			} else {
				doc.SPDXID = val
			}
		case "DocumentName":
			doc.Name = val
		case "DocumentNamespace":
			doc.DocumentNamespace = val
		case "Creator":
			doc.CreationInfo.Creators = append(doc.CreationInfo.Creators, val)
		case "Created":
			doc.CreationInfo.Created = val
		case "PackageName":
			doc.Packages = append(doc.Packages, spdxPackage{Name: val})
			pkg = &doc.Packages[len(doc.Packages)-1]
		case "PackageVersion":
			pkg.VersionInfo = val
		case "PackageSupplier":
			pkg.Supplier = val
		case "PackageDownloadLocation":
			pkg.DownloadLocation = val
		case "FilesAnalyzed":
			pkg.FilesAnalyzed = val == "true"
		case "PackageChecksum":
			alg, v, _ := strings.Cut(val, ": ")
			pkg.Checksums = append(pkg.Checksums, spdxChecksum{Algorithm: alg, Value: v})
		case "PackageSourceInfo":
			pkg.SourceInfo = val
		case "PackageLicenseConcluded":
			pkg.LicenseConcluded = val
		case "PackageLicenseDeclared":
			pkg.LicenseDeclared = val
		case "PackageCopyrightText":
			pkg.CopyrightText = val
		case "ExternalRef":
			f := strings.SplitN(val, " ", 3)
			if len(f) != 3 {
				t.Errorf("ExternalRef %q", val)
				continue
			}
			pkg.ExternalRefs = append(pkg.ExternalRefs, spdxExternalRef{Category: f[0], Type: f[1], Locator: f[2]})
		case "PackageAttributionText":
			pkg.AttributionTexts = append(pkg.AttributionTexts, val)
		case "PrimaryPackagePurpose":
			pkg.PrimaryPackagePurpose = val
		case "LicenseID":
			pkg = nil
			doc.ExtractedLicenses = append(doc.ExtractedLicenses, spdxExtracted{LicenseID: val})
			ext = &doc.ExtractedLicenses[len(doc.ExtractedLicenses)-1]
		case "ExtractedText":
			ext.ExtractedText = val
		case "LicenseName":
			ext.Name = val
		case "Relationship":
			f := strings.Fields(val)
			if len(f) != 3 {
				t.Errorf("Relationship %q", val)
				continue
			}
			doc.Relationships = append(doc.Relationships, spdxRelationship{Element: f[0], Type: f[1], Related: f[2]})
		default:
			t.Errorf("unknown tag %q", tag)
		}
	}
	return doc
}

// TestSPDX validates both SPDX encodings and checks that the tag-value
// document says exactly what the JSON one does.
func TestSPDX(t *testing.T) {
	for name, r := range reports() {
		t.Run(name, func(t *testing.T) {
			var fromJSON spdxDocument
			if err := json.Unmarshal(render(t, "spdx-json", r, testOptions()), &fromJSON); err != nil {
				t.Fatal(err)
			}
			validateSPDX(t, &fromJSON)
			fromTV := parseTagValue(t, render(t, "spdx", r, testOptions()))
			validateSPDX(t, fromTV)
			if diff := cmp.Diff(&fromJSON, fromTV); diff != "" {
				t.Errorf("tag-value and JSON documents differ (-json +tv):\n%s", diff)
			}
		})
	}
}
