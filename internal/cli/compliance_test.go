package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/internal/compliance"
)

// TestComplianceManifests: trawl config --compliance k8s-pss-baseline maps
// a Deployment's failures to the Pod Security Standards controls: JSON
// summary (TotalFail per control), the whole report (--report all) with the
// failing entries, and the table; --exit-code still counts findings.
func TestComplianceManifests(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "deploy.yaml"), badDeployment) // hostNetwork, privileged
	args := func(extra ...string) []string {
		return append([]string{"config", "--compliance", "k8s-pss-baseline", "--cache-dir", t.TempDir(), "--quiet", dir}, extra...)
	}

	out, errOut, code := run(t, args("-f", "json", "--exit-code", "5")...)
	if code != 5 {
		t.Fatalf("exit %d, want 5: %s", code, errOut)
	}
	var sum compliance.Summary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatal(err)
	}
	fails := map[string]int{}
	for _, c := range sum.SummaryControls {
		if c.TotalFail != nil {
			fails[c.ID] = *c.TotalFail
		}
	}
	if sum.ID != "k8s-pss-baseline-0.1" || fails["2"] != 1 || fails["3"] != 1 || fails["5"] != 0 {
		t.Errorf("summary %s: fails %v", sum.ID, fails)
	}

	out, errOut, code = run(t, args("-f", "json", "--report", "all")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var all compliance.Report
	if err := json.Unmarshal([]byte(out), &all); err != nil {
		t.Fatal(err)
	}
	if len(all.Results) != 11 || len(all.Results[2].Results) != 1 || all.Results[2].Results[0].Misconfigurations[0].ID != "KSV-0017" ||
		all.Results[2].Results[0].Target != "deploy.yaml" {
		t.Errorf("control 3 of the full report: %+v", all.Results[2])
	}

	out, _, _ = run(t, args()...)
	for _, want := range []string{"Summary Report for compliance: Kubernetes Pod Security Standards - Baseline", "│ 3  │ HIGH     │ Privileged Containers │ FAIL   │ 1      │"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	out, _, _ = run(t, args("--report", "all")...)
	if !strings.Contains(out, "3 Privileged Containers (HIGH)") || !strings.Contains(out, "HIGH (KSV-0017)") {
		t.Errorf("--report all table:\n%s", out)
	}
}

// TestComplianceErrors: a spec that does not exist, a format a compliance
// report has no writer for and an unknown --report fail with one line.
func TestComplianceErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--compliance", "cis-nope"}, `"cis-nope" is not a built-in spec`},
		{[]string{"--compliance", "@" + filepath.Join(dir, "missing.yaml")}, "missing.yaml"},
		{[]string{"--compliance", "k8s-pss-baseline", "-f", "sarif"}, "compliance report is written as table or json"},
		{[]string{"--compliance", "k8s-pss-baseline", "--report", "some"}, `--report "some" is not a report mode`},
	} {
		_, errOut, code := run(t, append([]string{"config", "--cache-dir", t.TempDir(), dir}, tt.args...)...)
		if code == 0 || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d, stderr %s", tt.args, code, errOut)
		}
	}
}

// TestComplianceTerraform: trawl config --compliance aws-cis-1.4 on a
// Terraform folder fails the CIS controls whose checks fail (a trail
// without CloudWatch delivery: 3.4; a wildcard policy: 1.16), passes the
// judged controls nothing fails, reports the controls trawl has no check
// for as unjudged, and every check the spec names exists (no "not
// evaluated" warning).
func TestComplianceTerraform(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "main.tf"), `resource "aws_cloudtrail" "trail" {
  name           = "trail"
  s3_bucket_name = "trail-logs"
}

resource "aws_iam_policy" "admin" {
  name   = "admin"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })
}
`)
	for _, spec := range []string{"aws-cis-1.4", "aws-cis-1.2"} {
		out, errOut, code := run(t, "config", "--compliance", spec, "-f", "json", "--cache-dir", t.TempDir(), dir)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", spec, code, errOut)
		}
		if strings.Contains(errOut, "not evaluated") {
			t.Errorf("%s names checks trawl does not have: %s", spec, errOut)
		}
		var sum compliance.Summary
		if err := json.Unmarshal([]byte(out), &sum); err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, c := range sum.SummaryControls {
			switch {
			case c.TotalFail == nil:
				got[c.ID] = "-"
			case *c.TotalFail > 0:
				got[c.ID] = "FAIL"
			default:
				got[c.ID] = "PASS"
			}
		}
		want := map[string]string{"3.4": "FAIL", "1.16": "FAIL", "3.3": "PASS", "1.4": "-", "4.1": "-"}
		if spec == "aws-cis-1.2" {
			want = map[string]string{"2.4": "FAIL", "2.5": "FAIL", "4.1": "PASS", "1.1": "-"}
		}
		for id, status := range want {
			if got[id] != status {
				t.Errorf("%s control %s: %q, want %q (all: %v)", spec, id, got[id], status, got)
			}
		}
	}
}
