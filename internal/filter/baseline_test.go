package filter

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/pkg/model"
)

// baselineScan is the "current" report the baseline tests filter: each kind
// of finding, some of them also in the baselines below and some new.
func baselineScan() *model.Report {
	cause := func(n int, lines ...string) model.CauseMetadata {
		cm := model.CauseMetadata{Resource: "web", StartLine: n, EndLine: n + len(lines) - 1}
		for i, l := range lines {
			cm.Code.Lines = append(cm.Code.Lines, model.Line{Number: n + i, Content: l, IsCause: true})
		}
		return cm
	}
	return &model.Report{
		SchemaVersion: model.SchemaVersion,
		ArtifactName:  "app:2.0",
		Results: []model.Result{
			{
				Target: "app:2.0 (debian 12.5)", Class: model.ClassOSPkg, Type: model.FamilyDebian,
				Vulnerabilities: []model.Vulnerability{
					// openssl upgraded since the baseline, still vulnerable: not new.
					{VulnerabilityID: "CVE-2023-3000", PkgName: "openssl", InstalledVersion: "3.0.13-1", Severity: "HIGH"},
					{VulnerabilityID: "CVE-2024-0001", PkgName: "openssl", InstalledVersion: "3.0.13-1", Severity: "HIGH"},
				},
			},
			{
				Target: "app/package-lock.json", Class: model.ClassLangPkg, Type: model.TypeNpm,
				Vulnerabilities: []model.Vulnerability{
					// Same ID and name as the Debian one, another type: new.
					{VulnerabilityID: "CVE-2023-3000", PkgName: "openssl", InstalledVersion: "1.0.0", Severity: "LOW"},
				},
			},
			{
				Target: "app/.env", Class: model.ClassSecret,
				Secrets: []model.Secret{
					{RuleID: "aws-access-key-id", Severity: "CRITICAL", StartLine: 7, Match: "AWS_KEY=****************"},
					{RuleID: "aws-access-key-id", Severity: "CRITICAL", StartLine: 9, Match: "AWS_KEY2=****************"},
				},
			},
			{
				Target: "Dockerfile", Class: model.ClassConfig, Type: "dockerfile",
				MisconfSummary: &model.MisconfSummary{Successes: 5, Failures: 3},
				Misconfigurations: []model.Misconfiguration{
					// Moved down by two lines since the baseline.
					{ID: "DS-0002", AVDID: "AVD-DS-0002", Severity: "HIGH", Status: model.MisconfStatusFail, CauseMetadata: cause(12, "USER root")},
					// Same check, other content: new.
					{ID: "DS-0026", AVDID: "AVD-DS-0026", Severity: "LOW", Status: model.MisconfStatusFail, CauseMetadata: cause(20, "RUN apt-get install -y curl")},
					{ID: "DS-0001", AVDID: "AVD-DS-0001", Severity: "MEDIUM", Status: model.MisconfStatusFail, CauseMetadata: cause(1, "FROM debian:latest")},
				},
			},
			{
				Target: "app:2.0", Class: model.ClassForensics,
				Findings: []model.ForensicFinding{
					{ID: "FOR-PERM-SETUID", Severity: "LOW", Path: "usr/bin/su", Layer: model.Layer{DiffID: "sha256:bb"}},
					{ID: "FOR-PERM-SETUID", Severity: "HIGH", Path: "usr/local/bin/x"},
				},
			},
		},
	}
}

// trivyBaseline is a Trivy-shaped report written by hand: Trivy's field
// names, its older short check IDs, fields trawl does not read.
const trivyBaseline = `{
  "SchemaVersion": 2,
  "CreatedAt": "2024-05-01T10:00:00.123456789Z",
  "ArtifactName": "app:1.0",
  "ArtifactType": "container_image",
  "Metadata": {"OS": {"Family": "debian", "Name": "12.4"}, "ImageConfig": {"architecture": "amd64"}},
  "Results": [
    {"Target": "app:1.0 (debian 12.4)", "Class": "os-pkgs", "Type": "debian",
     "Vulnerabilities": [{"VulnerabilityID": "CVE-2023-3000", "PkgID": "openssl@3.0.11-1", "PkgName": "openssl",
       "InstalledVersion": "3.0.11-1", "FixedVersion": "3.0.13-1", "Status": "fixed", "Severity": "HIGH",
       "DataSource": {"ID": "debian", "Name": "Debian Security Tracker"}, "VendorSeverity": {"nvd": 3}}]},
    {"Target": "app/.env", "Class": "secret",
     "Secrets": [{"RuleID": "aws-access-key-id", "Category": "AWS", "Severity": "CRITICAL", "Title": "AWS Access Key ID",
       "StartLine": 3, "EndLine": 3, "Code": {"Lines": []}, "Match": "AWS_KEY=****************"}]},
    {"Target": "Dockerfile", "Class": "config", "Type": "dockerfile",
     "MisconfSummary": {"Successes": 5, "Failures": 2},
     "Misconfigurations": [
       {"Type": "Dockerfile Security Check", "ID": "DS002", "AVDID": "AVD-DS-0002", "Severity": "HIGH", "Status": "FAIL",
        "CauseMetadata": {"Resource": "web", "Provider": "Dockerfile", "Service": "general", "StartLine": 10, "EndLine": 10,
          "Code": {"Lines": [{"Number": 10, "Content": "USER root", "IsCause": true, "Annotation": "", "Truncated": false,
            "Highlighted": "\u001b[38;5;64mUSER\u001b[0m root", "FirstCause": true, "LastCause": true}]}}},
       {"Type": "Dockerfile Security Check", "ID": "DS026", "AVDID": "AVD-DS-0026", "Severity": "LOW", "Status": "FAIL",
        "CauseMetadata": {"Resource": "web", "StartLine": 18, "EndLine": 18,
          "Code": {"Lines": [{"Number": 18, "Content": "RUN apt-get install -y wget", "IsCause": true}]}}}]}
  ]
}`

func TestBaseline(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	same, err := json.Marshal(baselineScan())
	if err != nil {
		t.Fatal(err)
	}
	forensicBase := `{"SchemaVersion": 2, "ArtifactName": "app:2.0", "Results": [{"Target": "app:2.0", "Class": "forensics",
	  "Findings": [{"ID": "FOR-PERM-SETUID", "Path": "usr/bin/su", "Layer": {"DiffID": "sha256:aa"}}]}]}`

	type want struct {
		kept     []string // kind/target/ID of what remains
		modified []string // type/id/status/source
		summary  model.MisconfSummary
		warnings []string
	}
	for _, tt := range []struct {
		name, file, content string
		want                want
	}{
		{
			name: "the same report: nothing new", file: "same.json", content: string(same),
			want: want{
				summary: model.MisconfSummary{Successes: 5, Failures: 0},
				modified: []string{
					"vulnerability/CVE-2023-3000/ignored/baseline:DIR/same.json",
					"vulnerability/CVE-2024-0001/ignored/baseline:DIR/same.json",
					"vulnerability/CVE-2023-3000/ignored/baseline:DIR/same.json",
					"secret/aws-access-key-id/ignored/baseline:DIR/same.json",
					"secret/aws-access-key-id/ignored/baseline:DIR/same.json",
					"misconfiguration/DS-0002/ignored/baseline:DIR/same.json",
					"misconfiguration/DS-0026/ignored/baseline:DIR/same.json",
					"misconfiguration/DS-0001/ignored/baseline:DIR/same.json",
					"forensics/FOR-PERM-SETUID/ignored/baseline:DIR/same.json",
					"forensics/FOR-PERM-SETUID/ignored/baseline:DIR/same.json",
				},
			},
		},
		{
			name: "a Trivy report of the previous version", file: "trivy.json", content: trivyBaseline,
			want: want{
				kept: []string{
					"vuln/app:2.0 (debian 12.5)/CVE-2024-0001",
					"vuln/app/package-lock.json/CVE-2023-3000",
					"secret/app/.env/aws-access-key-id",
					"misconf/Dockerfile/DS-0026",
					"misconf/Dockerfile/DS-0001",
					"forensics/app:2.0/FOR-PERM-SETUID",
					"forensics/app:2.0/FOR-PERM-SETUID",
				},
				modified: []string{
					"vulnerability/CVE-2023-3000/ignored/baseline:DIR/trivy.json",
					"secret/aws-access-key-id/ignored/baseline:DIR/trivy.json",
					"misconfiguration/DS-0002/ignored/baseline:DIR/trivy.json",
				},
				summary:  model.MisconfSummary{Successes: 5, Failures: 2},
				warnings: []string{`DIR/trivy.json: baseline is a report of "app:1.0", not of "app:2.0"; applied anyway`},
			},
		},
		{
			name: "forensics by ID and path, not layer", file: "forensics.json", content: forensicBase,
			want: want{
				kept: []string{
					"vuln/app:2.0 (debian 12.5)/CVE-2023-3000",
					"vuln/app:2.0 (debian 12.5)/CVE-2024-0001",
					"vuln/app/package-lock.json/CVE-2023-3000",
					"secret/app/.env/aws-access-key-id",
					"secret/app/.env/aws-access-key-id",
					"misconf/Dockerfile/DS-0002",
					"misconf/Dockerfile/DS-0026",
					"misconf/Dockerfile/DS-0001",
					"forensics/app:2.0/FOR-PERM-SETUID",
				},
				modified: []string{"forensics/FOR-PERM-SETUID/ignored/baseline:DIR/forensics.json"},
				summary:  model.MisconfSummary{Successes: 5, Failures: 3},
			},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Load(Options{Baseline: write(tt.file, tt.content), ShowSuppressed: true, Now: testNow})
			if err != nil {
				t.Fatal(err)
			}
			r := baselineScan()
			var got want
			for _, w := range f.Apply(r) {
				got.warnings = append(got.warnings, strings.ReplaceAll(w.String(), filepath.ToSlash(dir), "DIR"))
			}
			for _, res := range r.Results {
				for _, v := range res.Vulnerabilities {
					got.kept = append(got.kept, "vuln/"+res.Target+"/"+v.VulnerabilityID)
				}
				for _, s := range res.Secrets {
					got.kept = append(got.kept, "secret/"+res.Target+"/"+s.RuleID)
				}
				for _, m := range res.Misconfigurations {
					got.kept = append(got.kept, "misconf/"+res.Target+"/"+m.ID)
				}
				for _, ff := range res.Findings {
					got.kept = append(got.kept, "forensics/"+res.Target+"/"+ff.ID)
				}
				if res.MisconfSummary != nil {
					got.summary = *res.MisconfSummary
				}
				for _, m := range res.ModifiedFindings {
					var id string
					switch x := m.Finding.(type) {
					case model.Vulnerability:
						id = x.VulnerabilityID
					case model.Secret:
						id = x.RuleID
					case model.Misconfiguration:
						id = x.ID
					case model.ForensicFinding:
						id = x.ID
					}
					got.modified = append(got.modified, strings.Join([]string{m.Type, id, m.Status,
						strings.ReplaceAll(m.Source, filepath.ToSlash(dir), "DIR")}, "/"))
				}
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

// TestBaselineNotShown: without --show-suppressed the baseline's findings
// simply disappear.
func TestBaselineNotShown(t *testing.T) {
	p := filepath.Join(t.TempDir(), "b.json")
	if err := os.WriteFile(p, []byte(trivyBaseline), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Load(Options{Baseline: p, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	r := baselineScan()
	f.Apply(r)
	for _, res := range r.Results {
		if len(res.ModifiedFindings) > 0 {
			t.Errorf("%s: ModifiedFindings without ShowSuppressed: %v", res.Target, res.ModifiedFindings)
		}
	}
}

// TestBaselineErrors: a bad baseline stops the scan with one line naming
// the file.
func TestBaselineErrors(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.json")
	fh, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := fh.Truncate(MaxBaselineFileSize + 1); err != nil { // sparse
		t.Fatal(err)
	}
	fh.Close()
	for _, tt := range []struct {
		name, content string // content "" with name "dir": a directory
		want          string
	}{
		{"broken.json", `{"SchemaVersion": 2, "Results": [`, "not a JSON report"},
		{"array.json", `[1, 2]`, "not a JSON report"},
		{"schema.json", `{"SchemaVersion": 1, "Results": []}`, "SchemaVersion 1, want 2"},
		{"noschema.json", `{"bomFormat": "CycloneDX"}`, "SchemaVersion 0, want 2"},
		{"trailing.json", `{"SchemaVersion": 2} {"SchemaVersion": 2}`, "data after the JSON report"},
		{"types.json", `{"SchemaVersion": 2, "Results": [{"Secrets": [{"RuleID": 7}]}]}`, "not a JSON report"},
		{"missing.json", "", "no such file"},
		{"dir", "", "not a regular file"},
		{"big.json", "", "larger than"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, tt.name)
			switch {
			case tt.name == "dir":
				if err := os.Mkdir(p, 0o755); err != nil {
					t.Fatal(err)
				}
			case tt.content != "":
				if err := os.WriteFile(p, []byte(tt.content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, err := Load(Options{Baseline: p})
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "baseline report "+p+": ") || !strings.Contains(msg, tt.want) || strings.Contains(msg, "\n") {
				t.Errorf("error %q: want one line naming %s and saying %q", msg, p, tt.want)
			}
		})
	}
}

func TestCanonicalCheckID(t *testing.T) {
	for _, id := range []string{"DS002", "DS-0002", "AVD-DS-0002", "avd-ds-0002", " DS-0002 "} {
		if got := canonicalCheckID(id); got != "DS002" {
			t.Errorf("canonicalCheckID(%q) = %q, want DS002", id, got)
		}
	}
	if got := canonicalCheckID("KSV-0106"); got != "KSV106" {
		t.Errorf("KSV-0106 → %q", got)
	}
	if slices.Contains([]string{canonicalCheckID("DS-0026")}, "DS002") {
		t.Error("DS-0026 is not DS002")
	}
}
