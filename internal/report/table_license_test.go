package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/pkg/model"
)

// TestTableLicenses: a licence result gets its own section, "(license)"
// after the target, with its counts and rows, and the summary a Licenses
// column counting it ("-" for the other results).
func TestTableLicenses(t *testing.T) {
	rep := &model.Report{Results: []model.Result{
		{Target: "app (debian 12)", Class: model.ClassOSPkg, Type: "debian", Packages: []model.Package{{Name: "bash"}}},
		{Target: "OS Packages", Class: model.ClassLicense, Licenses: []model.DetectedLicense{
			{Severity: "HIGH", Category: "restricted", PkgName: "bash", Name: "GPL-3.0-or-later", Confidence: 1},
			{Severity: "LOW", Category: "notice", PkgName: "zlib1g", Name: "Zlib", Confidence: 1},
		}},
	}}
	var buf bytes.Buffer
	if err := WriteTable(&buf, rep, Options{Scanners: []string{"license"}}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"│ Licenses │",
		"OS Packages (license)\n=====================\nTotal: 2 (UNKNOWN: 0, LOW: 1, MEDIUM: 0, HIGH: 1, CRITICAL: 0)",
		"│ Package │ License          │ Classification │ Severity │",
		"│ bash    │ GPL-3.0-or-later │ restricted     │ HIGH     │",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "│ OS Packages") && !strings.Contains(line, "│ 2 ") {
			t.Errorf("summary row %q does not count 2 licences", line)
		}
		if strings.HasPrefix(line, "│ app (debian 12)") && !strings.HasSuffix(strings.TrimSpace(line), "│ -        │") {
			t.Errorf("summary row %q: want '-' under Licenses", line)
		}
	}
}
