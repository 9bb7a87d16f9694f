package acceptance

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/pkg/model"
)

// TestConfigCorpusDockerfiles: Trivy's Dockerfile fixtures get the findings
// the corpus README names: dockerfile/Dockerfile (FROM alpine:3.13,
// HEALTHCHECK NONE, no USER) fails DS002 only; Customfile is a Dockerfile
// only under Trivy's --file-patterns (not built), so it is not a target.
func TestConfigCorpusDockerfiles(t *testing.T) {
	for _, tt := range []struct {
		dir  string
		want map[string][]string // target -> failed IDs
	}{
		{"dockerfile", map[string][]string{"Dockerfile": {"DS002"}}},
		{"dockerfile_file_pattern", map[string][]string{}},
	} {
		t.Run(tt.dir, func(t *testing.T) {
			dir := corpus(t, "iac", "trivy-fixtures", tt.dir)
			out, errOut, code := trawl(t, "config", "-f", "json", "--exit-code", "5", "--cache-dir", t.TempDir(), "--quiet", dir)
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
					if m.ID == "DS002" && (m.AVDID != "AVD-DS-0002" || m.Severity != "HIGH" || m.Status != "FAIL" ||
						m.Query != "data.builtin.dockerfile.DS002.deny" || m.Type != "Dockerfile Security Check") {
						t.Errorf("DS002 entry %+v", m)
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
