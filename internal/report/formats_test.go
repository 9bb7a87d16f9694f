package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/pkg/model"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// testReport builds a small image report: Debian packages, an npm lockfile
// with a dependency graph, vulnerabilities with CVSS in both, and a secret.
func testReport() *model.Report {
	created := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	published := time.Date(2023, 3, 1, 12, 0, 0, 0, time.UTC)
	modified := time.Date(2024, 6, 30, 8, 15, 0, 0, time.UTC)
	layer := model.Layer{Digest: "sha256:aaaa", DiffID: "sha256:bbbb"}
	return &model.Report{
		SchemaVersion: model.SchemaVersion,
		CreatedAt:     created,
		ArtifactName:  "registry.example.com/team/app:1.2.3",
		ArtifactType:  model.ArtifactContainerImage,
		Metadata: model.Metadata{
			Size:        123456,
			OS:          &model.OS{Family: model.FamilyDebian, Name: "12.5"},
			ImageID:     "sha256:1111111111111111111111111111111111111111111111111111111111111111",
			DiffIDs:     []string{"sha256:bbbb", "sha256:cccc"},
			RepoTags:    []string{"registry.example.com/team/app:1.2.3"},
			RepoDigests: []string{"registry.example.com/team/app@sha256:2222222222222222222222222222222222222222222222222222222222222222"},
		},
		Results: []model.Result{
			{
				Target: "registry.example.com/team/app:1.2.3 (debian 12.5)",
				Class:  model.ClassOSPkg,
				Type:   model.FamilyDebian,
				Packages: []model.Package{
					{
						ID: "openssl@3.0.11-1~deb12u2", Name: "openssl", Version: "3.0.11", Release: "1~deb12u2", Arch: "amd64",
						SrcName: "openssl", SrcVersion: "3.0.11", SrcRelease: "1~deb12u2",
						Identifier: model.Identifier{PURL: "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12.5"},
						Licenses:   []string{"Apache-2.0"}, Layer: layer,
						DependsOn: []string{"libc6@2.36-9+deb12u4"},
					},
					{
						ID: "libc6@2.36-9+deb12u4", Name: "libc6", Version: "2.36", Release: "9+deb12u4", Arch: "amd64",
						SrcName: "glibc", SrcVersion: "2.36", SrcRelease: "9+deb12u4",
						Identifier: model.Identifier{PURL: "pkg:deb/debian/libc6@2.36-9+deb12u4?arch=amd64&distro=debian-12.5"},
						Licenses:   []string{"LGPL-2.1+", "GPL-2", "public-domain"}, Layer: layer,
					},
					{
						ID: "tzdata@2024a-0+deb12u1", Name: "tzdata", Version: "2024a", Release: "0+deb12u1", Epoch: 1, Arch: "all",
						Identifier: model.Identifier{PURL: "pkg:deb/debian/tzdata@2024a-0%2Bdeb12u1?arch=all&distro=debian-12.5&epoch=1"},
						Layer:      layer,
					},
				},
				Vulnerabilities: []model.Vulnerability{
					{
						VulnerabilityID: "CVE-2024-0727", PkgID: "openssl@3.0.11-1~deb12u2", PkgName: "openssl",
						PkgIdentifier:    model.Identifier{PURL: "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12.5"},
						InstalledVersion: "3.0.11-1~deb12u2", FixedVersion: "3.0.13-1~deb12u1", Status: "fixed",
						Layer: layer, SeveritySource: "debian", PrimaryURL: "https://avd.aquasec.com/nvd/cve-2024-0727",
						DataSource:  &model.DataSource{ID: "debian", Name: "Debian Security Tracker", URL: "https://salsa.debian.org/security-tracker-team/security-tracker"},
						Title:       "openssl: denial of service via null dereference",
						Description: "Processing a maliciously formatted PKCS12 file may lead OpenSSL to crash.",
						Severity:    "MEDIUM", CweIDs: []string{"CWE-476"},
						VendorSeverity: map[string]int{"debian": 2, "nvd": 2, "redhat": 1},
						CVSS: map[string]model.CVSS{
							"nvd":    {V3Vector: "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H", V3Score: 5.5},
							"redhat": {V3Vector: "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H", V3Score: 5.5},
						},
						References:    []string{"https://www.openssl.org/news/secadv/20240125.txt", "https://github.com/openssl/openssl/commit/09df4395"},
						PublishedDate: &published, LastModifiedDate: &modified,
					},
					{
						VulnerabilityID: "CVE-2023-4911", PkgID: "libc6@2.36-9+deb12u4", PkgName: "libc6",
						InstalledVersion: "2.36-9+deb12u4", Status: "affected",
						SeveritySource: "nvd", PrimaryURL: "https://avd.aquasec.com/nvd/cve-2023-4911",
						Title:    "glibc: buffer overflow in ld.so leading to privilege escalation",
						Severity: "HIGH", CweIDs: []string{"CWE-787", "CWE-122"},
						VendorSeverity: map[string]int{"nvd": 3},
						CVSS:           map[string]model.CVSS{"nvd": {V3Vector: "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", V3Score: 7.8}},
					},
				},
			},
			{
				Target: "app/package-lock.json",
				Class:  model.ClassLangPkg,
				Type:   model.TypeNpm,
				Packages: []model.Package{
					{
						ID: "app@1.0.0", Name: "app", Version: "1.0.0", Relationship: model.RelationshipRoot,
						Identifier: model.Identifier{PURL: "pkg:npm/app@1.0.0"},
						DependsOn:  []string{"express@4.17.1"}, FilePath: "app/package-lock.json",
					},
					{
						ID: "express@4.17.1", Name: "express", Version: "4.17.1", Relationship: model.RelationshipDirect,
						Identifier: model.Identifier{PURL: "pkg:npm/express@4.17.1"}, Licenses: []string{"MIT"},
						DependsOn: []string{"qs@6.7.0"}, FilePath: "app/package-lock.json",
						Locations: []model.Location{{StartLine: 12, EndLine: 30}},
						Digest:    "sha1:36a8c5dc5c40e5e6d4e0ffd0a9f1b5c7f05d2a1e",
					},
					{
						ID: "qs@6.7.0", Name: "qs", Version: "6.7.0", Relationship: model.RelationshipIndirect,
						Identifier: model.Identifier{PURL: "pkg:npm/qs@6.7.0"}, Licenses: []string{"BSD-3-Clause"},
						FilePath: "app/package-lock.json", Locations: []model.Location{{StartLine: 40, EndLine: 52}},
					},
					{
						ID: "@scope/dual@2.0.0", Name: "@scope/dual", Version: "2.0.0", Relationship: model.RelationshipIndirect,
						Dev: true, Identifier: model.Identifier{PURL: "pkg:npm/%40scope/dual@2.0.0"},
						Licenses: []string{"(MIT OR Apache-2.0)", "Custom License"}, FilePath: "app/package-lock.json",
					},
				},
				Vulnerabilities: []model.Vulnerability{
					{
						VulnerabilityID: "GHSA-hrpp-h998-j3pp", VendorIDs: []string{"CVE-2022-24999"}, PkgID: "qs@6.7.0", PkgName: "qs",
						PkgIdentifier:    model.Identifier{PURL: "pkg:npm/qs@6.7.0"},
						InstalledVersion: "6.7.0", FixedVersion: "6.7.3, 6.10.3", Status: "fixed",
						SeveritySource: "ghsa", PrimaryURL: "https://github.com/advisories/GHSA-hrpp-h998-j3pp",
						DataSource:  &model.DataSource{ID: "ghsa", Name: "GitHub Security Advisory npm", URL: "https://github.com/advisories?query=type%3Areviewed+ecosystem%3Anpm"},
						Title:       "qs vulnerable to Prototype Pollution",
						Description: "qs before 6.10.3 allows attackers to cause a Node process hang <via> __proto__ & friends.",
						Severity:    "HIGH", CweIDs: []string{"CWE-1321"},
						VendorSeverity: map[string]int{"ghsa": 3, "nvd": 3},
						CVSS: map[string]model.CVSS{
							"ghsa": {V3Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", V3Score: 7.5},
							"nvd":  {V2Vector: "AV:N/AC:L/Au:N/C:N/I:N/A:P", V2Score: 5, V3Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", V3Score: 7.5},
						},
						References:    []string{"https://nvd.nist.gov/vuln/detail/CVE-2022-24999"},
						PublishedDate: &published,
					},
					{
						VulnerabilityID: "CVE-2024-0727", PkgID: "express@4.17.1", PkgName: "express",
						InstalledVersion: "4.17.1", Severity: "LOW",
					},
				},
			},
			{
				Target: "app/config/.env",
				Class:  model.ClassSecret,
				Secrets: []model.Secret{
					{
						RuleID: "aws-access-key-id", Category: "AWS", Severity: "CRITICAL", Title: "AWS Access Key ID",
						StartLine: 3, EndLine: 3, Match: "AWS_ACCESS_KEY_ID=********************", Layer: layer,
					},
					{
						RuleID: "github-pat", Category: "GitHub", Severity: "CRITICAL", Title: "GitHub Personal Access Token",
						StartLine: 7, EndLine: 8, Match: "GITHUB_TOKEN=****", Layer: layer,
					},
				},
			},
			{Target: "Python", Class: model.ClassLangPkg, Type: model.TypePythonPkg},
		},
	}
}

// testOptions are the options every golden uses.
func testOptions() Options {
	return Options{
		AppVersion: "0.9.0",
		GitHub: GitHubEnv{
			Ref: "refs/heads/main", SHA: "0123456789abcdef0123456789abcdef01234567",
			Job: "scan", RunID: "4242", Workflow: "security",
		},
	}
}

// render writes r in format and returns the bytes.
func render(t *testing.T, format string, r *model.Report, opts Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, format, r, opts); err != nil {
		t.Fatalf("Write(%s): %v", format, err)
	}
	return buf.Bytes()
}

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file (run go test -update): %v", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}

func TestGolden(t *testing.T) {
	xmlOpts := testOptions()
	xmlOpts.CycloneDXXML = true
	tplOpts := testOptions()
	tplOpts.Template = `{{- range . }}{{ .Target | escapeXML }} [{{ .Class }}]
{{- range .Vulnerabilities }}
  {{ .VulnerabilityID }} {{ .PkgName }}@{{ .InstalledVersion }} {{ .Severity | toLower }}: {{ .Title | endWithPeriod | escapeXML }}
{{- end }}
{{- range .Secrets }}
  secret {{ .RuleID }} lines {{ .StartLine }}-{{ .EndLine }}
{{- end }}
{{ end }}trawl {{ appVersion }} at {{ now.Format "2006-01-02" }}
`
	tests := []struct {
		name, format, file string
		opts               Options
	}{
		{"sarif", "sarif", "report.sarif.json", testOptions()},
		{"cyclonedx", "cyclonedx", "report.cdx.json", testOptions()},
		{"cyclonedx-xml", "cyclonedx", "report.cdx.xml", xmlOpts},
		{"spdx-json", "spdx-json", "report.spdx.json", testOptions()},
		{"spdx", "spdx", "report.spdx", testOptions()},
		{"github", "github", "report.github.json", testOptions()},
		{"template", "template", "report.template.txt", tplOpts},
		{"cosign-vuln", "cosign-vuln", "report.cosign-vuln.json", testOptions()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := render(t, tc.format, testReport(), tc.opts)
			golden(t, tc.file, got)
			// Determinism: a second run gives the same bytes.
			if again := render(t, tc.format, testReport(), tc.opts); !bytes.Equal(got, again) {
				t.Errorf("%s output differs between two runs", tc.format)
			}
		})
	}
}

// TestWriteJSONStreamed: the JSON writer, which encodes one result at a
// time, gives exactly json.MarshalIndent's bytes, with and without
// packages, for every test report and for a report without header fields.
func TestWriteJSONStreamed(t *testing.T) {
	cases := reports()
	cases["results only"] = &model.Report{Results: []model.Result{{Target: "a <b> & c"}, {Target: "d"}}}
	for name, r := range cases {
		for _, all := range []bool{true, false} {
			want := *r
			if !all {
				want.Results = make([]model.Result, len(r.Results))
				for i, res := range r.Results {
					res.Packages = nil
					want.Results[i] = res
				}
			}
			wb, err := json.MarshalIndent(&want, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got := render(t, "json", r, Options{ListAllPkgs: all})
			if diff := cmp.Diff(string(wb)+"\n", string(got)); diff != "" {
				t.Errorf("%s (packages %v): (-MarshalIndent +WriteJSON)\n%s", name, all, diff)
			}
		}
	}
}
