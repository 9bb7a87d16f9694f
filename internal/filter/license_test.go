package filter

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/trawlsec/trawl/pkg/model"
)

// TestLicenses: --severity drops licences of other severities, and the
// ignore file's licenses section suppresses one by its reported name,
// listed as a modified finding with --show-suppressed.
func TestLicenses(t *testing.T) {
	ignore := filepath.Join(t.TempDir(), ".trivyignore.yaml")
	if err := os.WriteFile(ignore, []byte("licenses:\n  - id: GPL-3.0-or-later\n    statement: build tool only\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Load(Options{Severities: []string{"HIGH", "CRITICAL"}, IgnoreFile: ignore, IgnoreFileExplicit: true, ShowSuppressed: true})
	if err != nil {
		t.Fatal(err)
	}
	rep := &model.Report{Results: []model.Result{{Target: "OS Packages", Class: model.ClassLicense, Licenses: []model.DetectedLicense{
		{Severity: "HIGH", Category: "restricted", PkgName: "bash", Name: "GPL-3.0-or-later"},
		{Severity: "HIGH", Category: "restricted", PkgName: "coreutils", Name: "GPL-2.0-only"},
		{Severity: "LOW", Category: "notice", PkgName: "zlib1g", Name: "Zlib"},
	}}}}
	f.Apply(rep)
	res := rep.Results[0]
	if len(res.Licenses) != 1 || res.Licenses[0].PkgName != "coreutils" {
		t.Errorf("kept %+v, want coreutils's GPL-2.0-only only", res.Licenses)
	}
	if len(res.ModifiedFindings) != 1 || res.ModifiedFindings[0].Type != TypeLicense || res.ModifiedFindings[0].Statement != "build tool only" {
		t.Errorf("modified findings %+v, want the ignored GPL-3.0-or-later", res.ModifiedFindings)
	}
}
