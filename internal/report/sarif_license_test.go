package report

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/pkg/model"
)

// TestSARIFLicenses: licence findings are SARIF results, one rule per
// licence name, located at the package's file, the licence file or (OS
// packages) the image.
func TestSARIFLicenses(t *testing.T) {
	r := &model.Report{SchemaVersion: model.SchemaVersion, ArtifactName: "registry.example.com/team/app:1.2.3",
		ArtifactType: model.ArtifactContainerImage, Results: []model.Result{
			{Target: "OS Packages", Class: model.ClassLicense, Licenses: []model.DetectedLicense{
				{Severity: "HIGH", Category: "restricted", PkgName: "bash", Name: "GPL-3.0-or-later", Confidence: 1},
				{Severity: "HIGH", Category: "restricted", PkgName: "tar", Name: "GPL-3.0-or-later", Confidence: 1},
			}},
			{Target: "Node.js", Class: model.ClassLicense, Licenses: []model.DetectedLicense{
				{Severity: "LOW", Category: "notice", PkgName: "ms", FilePath: "/app/node_modules/ms/package.json", Name: "MIT", Confidence: 1},
			}},
			{Target: "Loose File License(s)", Class: model.ClassLicenseFile, Licenses: []model.DetectedLicense{
				{Severity: "CRITICAL", Category: "forbidden", FilePath: "/app/LICENSE", Name: "AGPL-3.0", Confidence: 0.97,
					Link: "https://spdx.org/licenses/AGPL-3.0.html"},
			}},
		}}
	var log sarifLog
	if err := json.Unmarshal(render(t, "sarif", r, testOptions()), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	var rules []string
	for _, rule := range run.Tool.Driver.Rules {
		rules = append(rules, rule.ID+" "+rule.DefaultConfiguration.Level)
	}
	if diff := cmp.Diff([]string{"AGPL-3.0 error", "GPL-3.0-or-later error", "MIT note"}, rules); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	type loc struct{ rule, uri string }
	var got []loc
	for _, res := range run.Results {
		if run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %s: ruleIndex %d", res.RuleID, res.RuleIndex)
		}
		got = append(got, loc{res.RuleID, res.Locations[0].PhysicalLocation.ArtifactLocation.URI})
	}
	want := []loc{
		{"AGPL-3.0", "app/LICENSE"},
		{"MIT", "app/node_modules/ms/package.json"},
		{"GPL-3.0-or-later", "team/app"},
		{"GPL-3.0-or-later", "team/app"},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(loc{})); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
}
