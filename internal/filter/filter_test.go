package filter

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/pkg/model"
)

var testNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func vuln(id, purl, severity, status, fixed string) model.Vulnerability {
	name, version := "", ""
	if p := parsePackagePURL(purl); p != nil {
		name, version = p.Name, p.Version
	}
	return model.Vulnerability{
		VulnerabilityID: id, PkgID: name + "@" + version, PkgName: name, InstalledVersion: version,
		PkgIdentifier: model.Identifier{PURL: purl}, Severity: severity, Status: status, FixedVersion: fixed,
	}
}

func npmReport() *model.Report {
	return &model.Report{
		ArtifactName: "ghcr.io/example/app:1.0",
		ArtifactType: model.ArtifactContainerImage,
		Metadata: model.Metadata{
			RepoTags:    []string{"ghcr.io/example/app:1.0"},
			RepoDigests: []string{"ghcr.io/example/app@sha256:1111111111111111111111111111111111111111111111111111111111111111"},
		},
		Results: []model.Result{
			{
				Target: "img (debian 12.4)", Class: model.ClassOSPkg, Type: model.FamilyDebian,
				Vulnerabilities: []model.Vulnerability{
					vuln("CVE-2023-3000", "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12.4", "HIGH", "fixed", "3.0.13-1"),
					vuln("CVE-2023-3001", "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12.4", "LOW", "will_not_fix", ""),
					vuln("CVE-2023-3002", "pkg:deb/debian/zlib1g@1.2.13?arch=amd64", "", "affected", ""),
				},
			},
			{
				Target: "app/package-lock.json", Class: model.ClassLangPkg, Type: model.TypeNpm,
				Packages: []model.Package{
					{ID: "app@1.0.0", Name: "app", Version: "1.0.0", Identifier: model.Identifier{PURL: "pkg:npm/app@1.0.0"},
						DependsOn: []string{"express@4.17.1"}},
					{ID: "express@4.17.1", Name: "express", Version: "4.17.1", Identifier: model.Identifier{PURL: "pkg:npm/express@4.17.1"},
						DependsOn: []string{"minimist@1.2.5", "lodash@4.17.20"}},
					{ID: "minimist@1.2.5", Name: "minimist", Version: "1.2.5", Identifier: model.Identifier{PURL: "pkg:npm/minimist@1.2.5"}},
					{ID: "lodash@4.17.20", Name: "lodash", Version: "4.17.20", Identifier: model.Identifier{PURL: "pkg:npm/lodash@4.17.20"}},
				},
				Vulnerabilities: []model.Vulnerability{
					vuln("CVE-2023-2000", "pkg:npm/lodash@4.17.20", "HIGH", "fixed", "4.17.21"),
					vuln("CVE-2023-5000", "pkg:npm/minimist@1.2.5", "CRITICAL", "fixed", "1.2.6"),
					vuln("CVE-2021-0001", "pkg:npm/express@4.17.1", "MEDIUM", "fixed", "4.18.0"),
					vuln("CVE-2021-0002", "pkg:npm/express@4.17.1", "MEDIUM", "", ""),
					vuln("CVE-2023-2000", "pkg:npm/lodash@4.17.20", "HIGH", "fixed", "4.17.19"), // duplicate
				},
			},
			{
				Target: "app/.env", Class: model.ClassSecret,
				Secrets: []model.Secret{
					{RuleID: "aws-access-key-id", Severity: "CRITICAL", Title: "AWS Access Key ID"},
					{RuleID: "generic-token", Severity: "LOW", Title: "token"},
				},
			},
		},
	}
}

type outcome struct {
	Kept     map[string][]string // target → kept vulnerability IDs / secret rule IDs
	Modified []string            // "target type status id statement source"
	Warnings []string
}

func collect(r *model.Report, warnings []Warning) outcome {
	o := outcome{Kept: map[string][]string{}}
	for _, res := range r.Results {
		for _, v := range res.Vulnerabilities {
			o.Kept[res.Target] = append(o.Kept[res.Target], v.VulnerabilityID+"/"+v.Severity)
		}
		for _, s := range res.Secrets {
			o.Kept[res.Target] = append(o.Kept[res.Target], s.RuleID)
		}
		for _, m := range res.ModifiedFindings {
			id := ""
			switch f := m.Finding.(type) {
			case model.Vulnerability:
				id = f.VulnerabilityID
			case model.Secret:
				id = f.RuleID
			}
			o.Modified = append(o.Modified, strings.Join([]string{res.Target, m.Type, m.Status, id, m.Statement, m.Source}, " | "))
		}
	}
	for _, w := range warnings {
		o.Warnings = append(o.Warnings, w.String())
	}
	return o
}

func TestApply(t *testing.T) {
	const (
		os_ = "img (debian 12.4)"
		npm = "app/package-lock.json"
		env = "app/.env"
	)
	tests := []struct {
		name       string
		opts       Options
		ignoreFile string // contents; written as IgnoreFile's base name in a temp dir
		ignoreName string
		want       outcome
	}{
		{
			name: "no filters",
			want: outcome{Kept: map[string][]string{
				os_: {"CVE-2023-3000/HIGH", "CVE-2023-3001/LOW", "CVE-2023-3002/UNKNOWN"},
				npm: {"CVE-2023-2000/HIGH", "CVE-2023-5000/CRITICAL", "CVE-2021-0001/MEDIUM", "CVE-2021-0002/MEDIUM"},
				env: {"aws-access-key-id", "generic-token"},
			}},
		},
		{
			name: "severity",
			opts: Options{Severities: []string{"high", "Critical"}},
			want: outcome{Kept: map[string][]string{
				os_: {"CVE-2023-3000/HIGH"},
				npm: {"CVE-2023-2000/HIGH", "CVE-2023-5000/CRITICAL"},
				env: {"aws-access-key-id"},
			}},
		},
		{
			name: "ignore unfixed; empty status derived from FixedVersion",
			opts: Options{IgnoreUnfixed: true},
			want: outcome{Kept: map[string][]string{
				os_: {"CVE-2023-3000/HIGH"},
				npm: {"CVE-2023-2000/HIGH", "CVE-2023-5000/CRITICAL", "CVE-2021-0001/MEDIUM"},
				env: {"aws-access-key-id", "generic-token"},
			}},
		},
		{
			name: "ignore status wins over ignore unfixed",
			opts: Options{IgnoreUnfixed: true, IgnoreStatuses: []string{"will_not_fix"}},
			want: outcome{Kept: map[string][]string{
				os_: {"CVE-2023-3000/HIGH", "CVE-2023-3002/UNKNOWN"},
				npm: {"CVE-2023-2000/HIGH", "CVE-2023-5000/CRITICAL", "CVE-2021-0001/MEDIUM", "CVE-2021-0002/MEDIUM"},
				env: {"aws-access-key-id", "generic-token"},
			}},
		},
		{
			name:       "plain ignore file, shown",
			opts:       Options{ShowSuppressed: true},
			ignoreName: ".trivyignore",
			ignoreFile: "CVE-2023-3001\nCVE-2021-0002 exp:2025-06-02 # until the release\nCVE-2023-3002 exp:2025-06-01\naws-access-key-id\n",
			want: outcome{
				Kept: map[string][]string{
					os_: {"CVE-2023-3000/HIGH", "CVE-2023-3002/UNKNOWN"},
					npm: {"CVE-2023-2000/HIGH", "CVE-2023-5000/CRITICAL", "CVE-2021-0001/MEDIUM"},
					env: {"generic-token"},
				},
				Modified: []string{
					os_ + " | vulnerability | ignored | CVE-2023-3001 |  | .trivyignore",
					npm + " | vulnerability | ignored | CVE-2021-0002 |  | .trivyignore",
					env + " | secret | ignored | aws-access-key-id |  | .trivyignore",
				},
				Warnings: []string{".trivyignore:3: entry for CVE-2023-3002 expired on 2025-06-01 and no longer ignores anything"},
			},
		},
		{
			name:       "plain ignore file, not shown",
			ignoreName: ".trivyignore",
			ignoreFile: "CVE-2023-3001\n",
			want: outcome{Kept: map[string][]string{
				os_: {"CVE-2023-3000/HIGH", "CVE-2023-3002/UNKNOWN"},
				npm: {"CVE-2023-2000/HIGH", "CVE-2023-5000/CRITICAL", "CVE-2021-0001/MEDIUM", "CVE-2021-0002/MEDIUM"},
				env: {"aws-access-key-id", "generic-token"},
			}},
		},
		{
			name:       "yaml ignore file with paths and purls",
			opts:       Options{ShowSuppressed: true},
			ignoreName: "ignore.yml",
			ignoreFile: `
vulnerabilities:
  - id: CVE-2023-2000
    paths: ["app/**"]
    statement: lodash is only used in tests
  - id: CVE-2023-3001
    purls: ["pkg:deb/debian/openssl?arch=amd64"]
  - id: CVE-2023-3002
    purls: ["pkg:deb/debian/openssl"]
  - id: CVE-2023-5000
    paths: ["other/**"]
secrets:
  - id: generic-token
    paths: ["**/.env"]
    statement: test token
  - id: aws-access-key-id
    paths: ["prod/**"]
`,
			want: outcome{
				Kept: map[string][]string{
					os_: {"CVE-2023-3000/HIGH", "CVE-2023-3002/UNKNOWN"},
					npm: {"CVE-2023-5000/CRITICAL", "CVE-2021-0001/MEDIUM", "CVE-2021-0002/MEDIUM"},
					env: {"aws-access-key-id"},
				},
				Modified: []string{
					os_ + " | vulnerability | ignored | CVE-2023-3001 |  | ignore.yml",
					npm + " | vulnerability | ignored | CVE-2023-2000 | lodash is only used in tests | ignore.yml",
					npm + " | vulnerability | ignored | CVE-2023-2000 | lodash is only used in tests | ignore.yml",
					env + " | secret | ignored | generic-token | test token | ignore.yml",
				},
			},
		},
		{
			name: "openvex: direct product, subcomponent of an ancestor, subcomponent of the image, latest statement wins",
			opts: Options{ShowSuppressed: true, VEXFiles: []string{"testdata/vex/openvex.json"}},
			want: outcome{
				Kept: map[string][]string{
					os_: {"CVE-2023-3001/LOW", "CVE-2023-3002/UNKNOWN"},
					npm: {"CVE-2023-2000/HIGH", "CVE-2021-0001/MEDIUM", "CVE-2021-0002/MEDIUM"},
					env: {"aws-access-key-id", "generic-token"},
				},
				Modified: []string{
					os_ + " | vulnerability | fixed | CVE-2023-3000 | patched in our build | testdata/vex/openvex.json",
					npm + " | vulnerability | not_affected | CVE-2023-5000 | vulnerable_code_cannot_be_controlled_by_adversary | testdata/vex/openvex.json",
				},
			},
		},
		{
			name: "cyclonedx then csaf; VEX runs before the severity filter, as in Trivy",
			opts: Options{ShowSuppressed: true, Severities: []string{"CRITICAL"},
				VEXFiles: []string{"testdata/vex/cyclonedx.json", "testdata/vex/csaf.json"}},
			want: outcome{
				Kept: map[string][]string{
					npm: {"CVE-2023-5000/CRITICAL"},
					env: {"aws-access-key-id"},
				},
				Modified: []string{
					npm + " | vulnerability | fixed | CVE-2021-0001 | backported | testdata/vex/cyclonedx.json",
				},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			opts.Now = testNow
			if tt.ignoreFile != "" {
				dir := t.TempDir()
				path := filepath.Join(dir, tt.ignoreName)
				if err := os.WriteFile(path, []byte(tt.ignoreFile), 0o644); err != nil {
					t.Fatal(err)
				}
				opts.IgnoreFile, opts.IgnoreFileExplicit = path, true
			} else {
				opts.IgnoreFile = filepath.Join(t.TempDir(), ".trivyignore") // missing default
			}
			f, err := Load(opts)
			if err != nil {
				t.Fatal(err)
			}
			r := npmReport()
			w := f.Apply(r)
			got := collect(r, w)
			// Sources name the file as given; strip the temp dir.
			for i, m := range got.Modified {
				got.Modified[i] = strings.ReplaceAll(m, filepath.ToSlash(filepath.Dir(opts.IgnoreFile))+"/", "")
			}
			for i, m := range got.Warnings {
				got.Warnings[i] = strings.ReplaceAll(m, filepath.ToSlash(filepath.Dir(opts.IgnoreFile))+"/", "")
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestApplyCSAF(t *testing.T) {
	r := &model.Report{Results: []model.Result{{
		Target: "go.mod",
		Packages: []model.Package{
			{ID: "app@2.0.0", Identifier: model.Identifier{PURL: "pkg:npm/app@2.0.0"}, DependsOn: []string{"zlib@1.0.0"}},
			{ID: "zlib@1.0.0", Identifier: model.Identifier{PURL: "pkg:npm/zlib@1.0.0"}},
		},
		Vulnerabilities: []model.Vulnerability{
			vuln("CVE-2024-1111", "pkg:golang/example.com/libfoo@v1.0.0", "HIGH", "affected", ""),
			vuln("CVE-2024-1111", "pkg:golang/example.com/libfoo@v1.0.1", "HIGH", "affected", ""),
			vuln("CVE-2024-2222", "pkg:npm/zlib@1.0.0", "HIGH", "affected", ""),
			vuln("GHSA-xxxx-yyyy-zzzz", "pkg:pypi/bar@2.0", "HIGH", "affected", ""),
		},
	}}}
	f, err := Load(Options{VEXFiles: []string{"testdata/vex/csaf.json"}, ShowSuppressed: true, IgnoreFile: "testdata/none"})
	if err != nil {
		t.Fatal(err)
	}
	got := collect(r, f.Apply(r))
	want := outcome{
		Kept: map[string][]string{"go.mod": {"CVE-2024-1111/HIGH"}},
		Modified: []string{
			"go.mod | vulnerability | not_affected | CVE-2024-1111 | libfoo does not call the vulnerable function | testdata/vex/csaf.json",
			"go.mod | vulnerability | not_affected | CVE-2024-2222 | vulnerable_code_not_present | testdata/vex/csaf.json",
			"go.mod | vulnerability | fixed | GHSA-xxxx-yyyy-zzzz |  | testdata/vex/csaf.json",
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestApplyCycloneDXBOMRef(t *testing.T) {
	v := vuln("CVE-2021-0004", "pkg:npm/x@1", "HIGH", "", "")
	v.PkgIdentifier.BOMRef = "my-bom-ref-7"
	r := &model.Report{Results: []model.Result{{Target: "sbom.json", Vulnerabilities: []model.Vulnerability{v}}}}
	f, err := Load(Options{VEXFiles: []string{"testdata/vex/cyclonedx.json"}, IgnoreFile: "testdata/none"})
	if err != nil {
		t.Fatal(err)
	}
	f.Apply(r)
	if len(r.Results[0].Vulnerabilities) != 0 || len(r.Results[0].ModifiedFindings) != 0 {
		t.Errorf("not suppressed or recorded without ShowSuppressed: %+v", r.Results[0])
	}
}

func TestModifiedFindingJSON(t *testing.T) {
	r := npmReport()
	f, err := Load(Options{VEXFiles: []string{"testdata/vex/openvex.json"}, ShowSuppressed: true, IgnoreFile: "testdata/none"})
	if err != nil {
		t.Fatal(err)
	}
	f.Apply(r)
	b, err := json.Marshal(r.Results[1])
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"ExperimentalModifiedFindings":[{"Type":"vulnerability","Status":"not_affected"`,
		`"Source":"testdata/vex/openvex.json","Finding":{"VulnerabilityID":"CVE-2023-5000"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON lacks %s:\n%s", want, b)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("secrets: 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	hugeVEX := filepath.Join(dir, "huge.json")
	hugeIgnore := filepath.Join(dir, "huge.trivyignore")
	for _, p := range []string{hugeVEX, hugeIgnore} {
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(p, 1<<40); err != nil { // sparse: nothing is written
			t.Fatal(err)
		}
	}
	tests := []struct {
		name    string
		opts    Options
		wantErr string
	}{
		{"ignore file is a device", Options{IgnoreFile: "/dev/zero", IgnoreFileExplicit: true}, "ignore file /dev/zero: not a regular file"},
		{"ignore file is a FIFO", Options{IgnoreFile: fifo}, "ignore file " + fifo + ": not a regular file"},
		{"ignore file is a directory", Options{IgnoreFile: dir}, "ignore file " + dir + ": not a regular file"},
		{"ignore file too large", Options{IgnoreFile: hugeIgnore}, "ignore file " + hugeIgnore + ": 1099511627776 bytes, larger than the 16777216-byte limit for ignore files"},
		{"VEX is a device", Options{IgnoreFile: bad + "x", VEXFiles: []string{"/dev/zero"}}, "VEX document /dev/zero: not a regular file"},
		{"VEX is a FIFO", Options{IgnoreFile: bad + "x", VEXFiles: []string{fifo}}, "VEX document " + fifo + ": not a regular file"},
		{"VEX too large", Options{IgnoreFile: bad + "x", VEXFiles: []string{hugeVEX}}, "larger than the 67108864-byte limit for VEX documents"},
		{"missing default ignore file is fine", Options{IgnoreFile: filepath.Join(dir, ".trivyignore")}, ""},
		{"missing explicit ignore file", Options{IgnoreFile: filepath.Join(dir, "nope"), IgnoreFileExplicit: true}, "ignore file " + filepath.Join(dir, "nope")},
		{"malformed ignore file", Options{IgnoreFile: bad}, "bad.yaml:1: secrets must be a list"},
		{"missing VEX", Options{IgnoreFile: bad + "x", VEXFiles: []string{filepath.Join(dir, "v.json")}}, "VEX document " + filepath.Join(dir, "v.json")},
		{"malformed VEX", Options{IgnoreFile: bad + "x", VEXFiles: []string{"testdata/vex/openvex.json", "testdata/vex/unknown.json"}}, "testdata/vex/unknown.json: not an"},
		{"unknown severity", Options{Severities: []string{"SEVERE"}}, `unknown severity "SEVERE"`},
		{"unknown status", Options{IgnoreStatuses: []string{"wontfix"}}, `unknown status "wontfix"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.opts)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

// TestSeverityFiltersForensicFindings: --severity keeps only forensics
// findings of the listed severities; a result left empty has none.
func TestSeverityFiltersForensicFindings(t *testing.T) {
	f, err := Load(Options{Severities: []string{"HIGH", "critical"}})
	if err != nil {
		t.Fatal(err)
	}
	r := &model.Report{Results: []model.Result{
		{Target: "img", Class: model.ClassForensics, Findings: []model.ForensicFinding{
			{ID: "FOR-PERM-SETUID", Severity: "LOW"}, {ID: "FOR-ACCOUNT-UID0", Severity: "CRITICAL"}, {ID: "FOR-PERM-SETUID", Severity: "HIGH"},
		}},
		{Target: "img2", Class: model.ClassForensics, Findings: []model.ForensicFinding{{ID: "FOR-PERSIST-PROFILE", Severity: "LOW"}}},
	}}
	f.Apply(r)
	var got []string
	for _, ff := range r.Results[0].Findings {
		got = append(got, ff.ID+"/"+ff.Severity)
	}
	if diff := cmp.Diff([]string{"FOR-ACCOUNT-UID0/CRITICAL", "FOR-PERM-SETUID/HIGH"}, got); diff != "" {
		t.Errorf("kept (-want +got):\n%s", diff)
	}
	if r.Results[1].Findings != nil {
		t.Errorf("low finding kept: %+v", r.Results[1].Findings)
	}
}

// TestIgnoreFileForensics: a .trivyignore ID, or a YAML forensics entry
// with paths, ignores forensics findings (suppressed, shown with
// --show-suppressed); other paths are kept.
func TestIgnoreFileForensics(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, ".trivyignore")
	os.WriteFile(plain, []byte("FOR-EXEC-UNOWNED\n"), 0o644)
	yml := filepath.Join(dir, ".trivyignore.yaml")
	os.WriteFile(yml, []byte("forensics:\n  - id: FOR-PERM-SETUID\n    paths: [\"usr/bin/sudo\"]\n    statement: reviewed\n"), 0o644)
	findings := func() *model.Report {
		return &model.Report{Results: []model.Result{{Target: "img", Class: model.ClassForensics, Findings: []model.ForensicFinding{
			{ID: "FOR-EXEC-UNOWNED", Path: "app/bin/x", Severity: "MEDIUM"},
			{ID: "FOR-PERM-SETUID", Path: "usr/bin/sudo", Severity: "LOW"},
			{ID: "FOR-PERM-SETUID", Path: "usr/local/bin/x", Severity: "HIGH"},
		}}}}
	}
	for file, want := range map[string][]string{
		plain: {"FOR-PERM-SETUID usr/bin/sudo", "FOR-PERM-SETUID usr/local/bin/x"},
		yml:   {"FOR-EXEC-UNOWNED app/bin/x", "FOR-PERM-SETUID usr/local/bin/x"},
	} {
		f, err := Load(Options{IgnoreFile: file, IgnoreFileExplicit: true, ShowSuppressed: true})
		if err != nil {
			t.Fatal(err)
		}
		r := findings()
		f.Apply(r)
		var got []string
		for _, ff := range r.Results[0].Findings {
			got = append(got, ff.ID+" "+ff.Path)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: kept (-want +got):\n%s", filepath.Base(file), diff)
		}
		if len(r.Results[0].ModifiedFindings) != 1 || r.Results[0].ModifiedFindings[0].Type != TypeForensics {
			t.Errorf("%s: suppressed %+v", filepath.Base(file), r.Results[0].ModifiedFindings)
		}
	}
}
