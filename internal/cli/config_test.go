package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/pkg/model"
)

func writeFile(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestConfigCommand: trawl config finds the Dockerfiles of a folder and
// reports Trivy-shaped results; --exit-code counts failed checks, and
// --severity, .trivyignore, --config-check and --include-non-failures
// change what is reported.
func TestConfigCommand(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "Dockerfile"), "FROM alpine:3.20\nEXPOSE 22\nHEALTHCHECK NONE\n")
	writeFile(t, filepath.Join(dir, "svc", "api.Dockerfile"), "FROM debian:12\nUSER app\nHEALTHCHECK NONE\n")
	writeFile(t, filepath.Join(dir, "package-lock.json"), `{"lockfileVersion": 3, "packages": {}}`)
	check := filepath.Join(t.TempDir(), "debian.rego")
	writeFile(t, check, `# METADATA
# title: No Debian
# custom:
#   id: USR001
#   severity: low
#   input:
#     selector:
#     - type: dockerfile
package user.nodebian

deny[res] {
	from := input.Stages[_].Commands[_]
	from.Cmd == "from"
	startswith(from.Value[0], "debian")
	res := result.new("no debian", from)
}
`)
	ignore := filepath.Join(t.TempDir(), ".trivyignore")
	writeFile(t, ignore, "AVD-DS-0004\n")

	for _, tt := range []struct {
		name string
		args []string
		code int
		want []entry
	}{
		{"failures", nil, 1, []entry{{"Dockerfile", "DS-0002", "FAIL"}, {"Dockerfile", "DS-0004", "FAIL"}}},
		{"severity", []string{"--severity", "MEDIUM"}, 1, []entry{{"Dockerfile", "DS-0004", "FAIL"}}},
		{"ignore file by AVD ID", []string{"--ignorefile", ignore}, 1, []entry{{"Dockerfile", "DS-0002", "FAIL"}}},
		{"nothing left", []string{"--severity", "CRITICAL"}, 0, nil},
		{"user check", []string{"--config-check", check, "--severity", "LOW"}, 1, []entry{{"svc/api.Dockerfile", "USR001", "FAIL"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"config", "-f", "json", "--exit-code", "1", "--cache-dir", t.TempDir(), "--quiet"}, tt.args...)
			out, errOut, code := run(t, append(args, dir)...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, tt.code, errOut)
			}
			var rep model.Report
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatal(err)
			}
			var got []entry
			for _, r := range rep.Results {
				if r.Class != model.ClassConfig || r.Type != "dockerfile" || r.MisconfSummary == nil {
					t.Errorf("result %s: class %q type %q summary %v (trawl config reports configuration files only)", r.Target, r.Class, r.Type, r.MisconfSummary)
				}
				for _, m := range r.Misconfigurations {
					got = append(got, entry{r.Target, m.ID, m.Status})
				}
			}
			if len(rep.Results) != 2 || strings.Join(fmtEntries(got), ",") != strings.Join(fmtEntries(tt.want), ",") {
				t.Errorf("%d results, entries %v, want %v", len(rep.Results), got, tt.want)
			}
		})
	}

	// --include-non-failures adds PASS entries; the table shows the counts.
	out, _, code := run(t, "config", "-f", "json", "--include-non-failures", "--cache-dir", t.TempDir(), "--quiet", dir)
	if code != 0 || !strings.Contains(out, `"Status": "PASS"`) {
		t.Errorf("exit %d, no PASS entries with --include-non-failures", code)
	}
	out, _, _ = run(t, "config", "--cache-dir", t.TempDir(), "--quiet", dir)
	for _, want := range []string{"Misconfigurations", "HIGH (DS-0002)", "    2 * EXPOSE 22"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	// The counts: every Dockerfile check is a test, two of them fail
	// (the number of checks grows, so it is read, not hard-coded).
	m := regexp.MustCompile(`Tests: (\d+) \(SUCCESSES: (\d+), FAILURES: 2\)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("table lacks the counts of Dockerfile with 2 failures:\n%s", out)
	}
	if tests, _ := strconv.Atoi(m[1]); tests < 9 || m[2] != strconv.Itoa(tests-2) {
		t.Errorf("counts %q: want at least 9 tests, all but 2 successes", m[0])
	}
}

type entry struct{ target, id, status string }

func fmtEntries(es []entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.target+"/"+e.id+"/"+e.status)
	}
	return out
}

// TestConfigCheckErrors: a user check that does not compile fails the
// scan naming the file and line; an unparsable Dockerfile does not.
func TestConfigCheckErrors(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "Dockerfile"), "FROM alpine:3.20\nNOPE x\n")
	bad := filepath.Join(t.TempDir(), "bad.rego")
	writeFile(t, bad, "package user.bad\n\ndeny contains x if {\n  x := nope(1)\n}\n")
	_, errOut, code := run(t, "config", "--config-check", bad, "--cache-dir", t.TempDir(), "--quiet", dir)
	if code == 0 || !strings.Contains(errOut, "bad.rego:4") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	_, errOut, code = run(t, "config", "--exit-code", "1", "--cache-dir", t.TempDir(), dir)
	if code != 0 || !strings.Contains(errOut, "line 2") || !strings.Contains(errOut, "Dockerfile") {
		t.Errorf("unparsable Dockerfile: exit %d, stderr %q", code, errOut)
	}
}
