package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/pkg/model"
)

// findingIDs lists what a report still holds: secrets and failed checks,
// as "target rule".
func findingIDs(r model.Report) []string {
	var ids []string
	for _, res := range r.Results {
		for _, s := range res.Secrets {
			ids = append(ids, res.Target+" "+s.RuleID)
		}
		for _, m := range res.Misconfigurations {
			if m.Status == model.MisconfStatusFail {
				ids = append(ids, res.Target+" "+m.ID)
			}
		}
	}
	return ids
}

// TestBaseline: with an earlier scan's JSON as --baseline, only new
// findings are reported and counted by --exit-code; a misconfiguration
// moved to other lines is not new; a Trivy-shaped baseline works; a bad
// baseline is a one-line error naming it.
func TestBaseline(t *testing.T) {
	dir := t.TempDir()
	token := "TOKEN=ghp_" + strings.Repeat("a1B2c3D4e5", 3) + "abcdef\n"
	writeFile(t, filepath.Join(dir, "app", "config.env"), token)
	writeFile(t, filepath.Join(dir, "Dockerfile"), "FROM alpine:3.20\nEXPOSE 22\nHEALTHCHECK NONE\n")
	args := func(extra ...string) []string {
		return append([]string{"fs", "--cache-dir", t.TempDir(), "--quiet", "--scanners", "secret,misconfig", "-f", "json", "--exit-code", "1"}, extra...)
	}
	out := filepath.Join(t.TempDir(), "base.json")
	scan := func(extra ...string) (model.Report, string, int) {
		t.Helper()
		o, errOut, code := run(t, append(args(extra...), dir)...)
		if code != 0 && code != 1 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if o == "" {
			return model.Report{}, errOut, code
		}
		return decode(t, o), errOut, code
	}

	_, _, code := scan("-o", out)
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	base := decode(t, string(data))
	if code != 1 || len(findingIDs(base)) < 2 {
		t.Fatalf("first scan: exit %d, findings %v; want a secret and failed checks, exit 1", code, findingIDs(base))
	}

	// The same tree against its own report: nothing new.
	r, errOut, code := scan("--baseline", out)
	if code != 0 || len(findingIDs(r)) != 0 {
		t.Errorf("same tree: exit %d, findings %v (%s); want exit 0 and none", code, findingIDs(r), errOut)
	}

	// A check's cause moved down two lines: still in the baseline.
	writeFile(t, filepath.Join(dir, "Dockerfile"), "# moved\n# down\nFROM alpine:3.20\nEXPOSE 22\nHEALTHCHECK NONE\n")
	r, errOut, code = scan("--baseline", out)
	if code != 0 || len(findingIDs(r)) != 0 {
		t.Errorf("moved lines: exit %d, findings %v (%s); want exit 0 and none", code, findingIDs(r), errOut)
	}

	// One new secret: only it is reported, and it fails the gate; the
	// suppressed ones are listed with --show-suppressed.
	writeFile(t, filepath.Join(dir, "app", "new.env"), "OTHER="+strings.TrimPrefix(token, "TOKEN=")+"\n")
	r, _, code = scan("--baseline", out, "--show-suppressed")
	if got := findingIDs(r); code != 1 || len(got) != 1 || got[0] != "app/new.env github-pat" {
		t.Errorf("new secret: exit %d, findings %v; want exit 1 and only app/new.env github-pat", code, got)
	}
	var sources []string
	for _, res := range r.Results {
		for _, m := range res.ModifiedFindings {
			sources = append(sources, m.Type+" "+m.Status+" "+m.Source)
		}
	}
	if len(sources) < 2 || sources[0] != "secret ignored baseline:"+filepath.ToSlash(out) {
		t.Errorf("suppressed = %v; want the old secret first, ignored, from baseline:%s", sources, out)
	}
	os.Remove(filepath.Join(dir, "app", "new.env"))

	// A Trivy report, written by hand with Trivy's field names and its
	// short check IDs, of the first state: the secret and DS-0002 only.
	var secretMatch string
	var ds002 model.Misconfiguration
	for _, res := range base.Results {
		for _, s := range res.Secrets {
			secretMatch = s.Match
		}
		for _, m := range res.Misconfigurations {
			if m.ID == "DS-0002" {
				ds002 = m
			}
		}
	}
	if ds002.ID == "" {
		t.Fatalf("first scan has no DS-0002: %v", findingIDs(base))
	}
	var causeLines strings.Builder
	for _, l := range ds002.CauseMetadata.Code.Lines {
		fmt.Fprintf(&causeLines, `{"Number": %d, "Content": %q, "IsCause": %t, "Annotation": "", "Truncated": false, "FirstCause": true, "LastCause": true},`,
			l.Number, l.Content, l.IsCause)
	}
	trivy := filepath.Join(t.TempDir(), "trivy.json")
	writeFile(t, trivy, fmt.Sprintf(`{
  "SchemaVersion": 2, "CreatedAt": "2024-05-01T10:00:00Z", "ArtifactName": %q, "ArtifactType": "filesystem",
  "Metadata": {"ImageConfig": {"architecture": "", "os": "", "rootfs": {"type": "", "diff_ids": null}, "config": {}}},
  "Results": [
    {"Target": "app/config.env", "Class": "secret", "Secrets": [{"RuleID": "github-pat", "Category": "GitHub",
      "Severity": "CRITICAL", "Title": "GitHub Personal Access Token", "StartLine": 1, "EndLine": 1,
      "Code": {"Lines": null}, "Match": %q, "Layer": {}}]},
    {"Target": "Dockerfile", "Class": "config", "Type": "dockerfile", "MisconfSummary": {"Successes": 20, "Failures": 1},
     "Misconfigurations": [{"Type": "Dockerfile Security Check", "ID": "DS002", "AVDID": "AVD-DS-0002",
      "Title": "Image user should not be 'root'", "Severity": "HIGH", "Status": "FAIL", "Layer": {},
      "CauseMetadata": {"Resource": %q, "Provider": "Dockerfile", "Service": "general", "StartLine": 1, "EndLine": 1,
        "Code": {"Lines": [%s]}}}]}
  ]
}`, base.ArtifactName, secretMatch, ds002.CauseMetadata.Resource, strings.TrimSuffix(causeLines.String(), ",")))
	r, _, code = scan("--baseline", trivy)
	got := findingIDs(r)
	if code != 1 || len(got) == 0 {
		t.Fatalf("Trivy baseline: exit %d, findings %v; want the other failed checks, exit 1", code, got)
	}
	for _, id := range got {
		if id == "app/config.env github-pat" || id == "Dockerfile DS-0002" {
			t.Errorf("Trivy baseline: %s still reported (%v)", id, got)
		}
	}

	// Bad baselines.
	broken := filepath.Join(t.TempDir(), "broken.json")
	writeFile(t, broken, `{"SchemaVersion": 2, "Results": [`)
	for _, bad := range []string{broken, filepath.Join(dir, "missing.json"), dir} {
		o, errOut, code := run(t, append(args("--baseline", bad), dir)...)
		if code != 1 || o != "" || !strings.Contains(errOut, "baseline report "+bad+": ") || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
			t.Errorf("--baseline %s: exit %d, stdout %q, stderr %q; want exit 1 and one line naming the file", bad, code, o, errOut)
		}
	}
}
