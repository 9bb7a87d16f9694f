package filter

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/pkg/model"
)

func misconfReport() *model.Report {
	mc := func(id, avd, sev, status string) model.Misconfiguration {
		return model.Misconfiguration{ID: id, AVDID: avd, Severity: sev, Status: status}
	}
	return &model.Report{Results: []model.Result{{
		Target: "app/Dockerfile", Class: model.ClassConfig, Type: "dockerfile",
		MisconfSummary: &model.MisconfSummary{Successes: 7, Failures: 3},
		Misconfigurations: []model.Misconfiguration{
			mc("DS-0001", "AVD-DS-0001", "MEDIUM", model.MisconfStatusFail),
			mc("DS-0002", "AVD-DS-0002", "HIGH", model.MisconfStatusFail),
			mc("DS-0026", "AVD-DS-0026", "LOW", model.MisconfStatusFail),
			mc("DS-0004", "AVD-DS-0004", "MEDIUM", model.MisconfStatusPass),
		},
	}}}
}

// TestMisconfigurations: --severity and the ignore file (by ID or AVD ID,
// with paths) drop misconfigurations and the summary follows.
func TestMisconfigurations(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		name       string
		severities []string
		ignore     string
		want       []string
		summary    model.MisconfSummary
	}{
		{"no filter", nil, "", []string{"DS-0001", "DS-0002", "DS-0026", "DS-0004"}, model.MisconfSummary{Successes: 7, Failures: 3}},
		{"severity", []string{"HIGH", "CRITICAL"}, "", []string{"DS-0002"}, model.MisconfSummary{Successes: 6, Failures: 1}},
		{"ignore by ID", nil, "DS-0002\n", []string{"DS-0001", "DS-0026", "DS-0004"}, model.MisconfSummary{Successes: 7, Failures: 2}},
		{"ignore by the older short ID", nil, "DS002\n", []string{"DS-0001", "DS-0026", "DS-0004"}, model.MisconfSummary{Successes: 7, Failures: 2}},
		{"ignore by AVD ID", nil, "AVD-DS-0026\n", []string{"DS-0001", "DS-0002", "DS-0004"}, model.MisconfSummary{Successes: 7, Failures: 2}},
		{"not a short ID", nil, "DS-002\nDS0002\nDS02\n", []string{"DS-0001", "DS-0002", "DS-0026", "DS-0004"}, model.MisconfSummary{Successes: 7, Failures: 3}},
		{"ignore by ID on another path", nil, "misconfigurations:\n  - id: DS-0001\n    paths: [other/*]\n", []string{"DS-0001", "DS-0002", "DS-0026", "DS-0004"}, model.MisconfSummary{Successes: 7, Failures: 3}},
		{"ignore by ID on its path", nil, "misconfigurations:\n  - id: DS001\n    paths: [app/*]\n", []string{"DS-0002", "DS-0026", "DS-0004"}, model.MisconfSummary{Successes: 7, Failures: 2}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			o := Options{Severities: tt.severities, Now: testNow}
			if tt.ignore != "" {
				name := ".trivyignore"
				if tt.ignore[0] == 'm' {
					name += ".yaml"
				}
				o.IgnoreFile = filepath.Join(dir, tt.name, name)
				if err := os.MkdirAll(filepath.Dir(o.IgnoreFile), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(o.IgnoreFile, []byte(tt.ignore), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			f, err := Load(o)
			if err != nil {
				t.Fatal(err)
			}
			r := misconfReport()
			f.Apply(r)
			var got []string
			for _, m := range r.Results[0].Misconfigurations {
				got = append(got, m.ID)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("kept (-want +got):\n%s", diff)
			}
			if *r.Results[0].MisconfSummary != tt.summary {
				t.Errorf("summary %+v, want %+v", *r.Results[0].MisconfSummary, tt.summary)
			}
		})
	}
}
