package acceptance

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/pkg/model"
)

// TestConfigCorpusDockerfiles: Trivy's Dockerfile fixtures get the findings
// the corpus README names: dockerfile/Dockerfile (FROM alpine:3.13,
// HEALTHCHECK NONE, no USER) fails DS002 only; Customfile (the same
// content) is a Dockerfile only under --file-patterns dockerfile:Customfile,
// and then fails DS002 too.
func TestConfigCorpusDockerfiles(t *testing.T) {
	for _, tt := range []struct {
		name, dir string
		args      []string
		want      map[string][]string // target -> failed IDs
	}{
		{"dockerfile", "dockerfile", nil, map[string][]string{"Dockerfile": {"DS-0002"}}},
		{"Customfile without --file-patterns", "dockerfile_file_pattern", nil, map[string][]string{}},
		{"Customfile with --file-patterns", "dockerfile_file_pattern", []string{"--file-patterns", "dockerfile:Customfile"},
			map[string][]string{"Customfile": {"DS-0002"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := corpus(t, "iac", "trivy-fixtures", tt.dir)
			args := append([]string{"config", "-f", "json", "--exit-code", "5", "--cache-dir", t.TempDir(), "--quiet"}, tt.args...)
			out, errOut, code := trawl(t, append(args, dir)...)
			wantCode := 0
			if len(tt.want) > 0 {
				wantCode = 5
			}
			if code != wantCode {
				t.Fatalf("exit %d, want %d: %s", code, wantCode, errOut)
			}
			var rep model.Report
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatal(err)
			}
			got := map[string][]string{}
			for _, r := range rep.Results {
				got[r.Target] = []string{}
				for _, m := range r.Misconfigurations {
					got[r.Target] = append(got[r.Target], m.ID)
					if m.ID == "DS-0002" && (m.AVDID != "AVD-DS-0002" || m.Severity != "HIGH" || m.Status != "FAIL" ||
						m.Query != "data.builtin.dockerfile.DS002.deny" || m.Type != "Dockerfile Security Check") {
						t.Errorf("DS-0002 entry %+v", m)
					}
				}
				if r.Class != model.ClassConfig || r.MisconfSummary == nil || r.MisconfSummary.Failures != len(got[r.Target]) {
					t.Errorf("result %s: class %q summary %+v", r.Target, r.Class, r.MisconfSummary)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("failed checks per target (-want +got):\n%s", diff)
			}
		})
	}
}

// TestImageConfigMisconfigCorpus: the corpus README says of the Debian
// image's config: no USER (root), no HEALTHCHECK. Checked through the
// Dockerfile rebuilt from its history, both are reported (DS002, DS026),
// and the image's EXPOSE 8080 is not taken for port 22 (DS004).
func TestImageConfigMisconfigCorpus(t *testing.T) {
	image := corpus(t, "images", "debian12-app.tar")
	out, errOut, code := trawl(t, "image", "--input", image, "--scanners", "secret", "--image-config-scanners", "misconfig",
		"--cache-dir", t.TempDir(), "--quiet", "-f", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r model.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, res := range r.Results {
		if res.Target != "image config (Dockerfile)" {
			continue
		}
		for _, m := range res.Misconfigurations {
			ids[m.ID] = true
		}
	}
	if !ids["DS-0002"] || !ids["DS-0026"] || ids["DS-0004"] {
		t.Errorf("image config checks: %v, want DS002 and DS026, not DS004", ids)
	}
}
