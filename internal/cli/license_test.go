package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/pkg/model"
)

// TestLicenseScanner: --scanners license reports the OS packages' licences
// normalised and classified; --severity/--exit-code gate on them,
// --ignored-licenses drops one (its SPDX base name matches the normalised
// one), the license: section of the config moves a licence to another
// category, and a misspelt category fails.
func TestLicenseScanner(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "etc", "alpine-release"), "3.19.1\n")
	writeFile(t, filepath.Join(root, "etc", "os-release"), "ID=alpine\nVERSION_ID=3.19.1\n")
	writeFile(t, filepath.Join(root, "lib", "apk", "db", "installed"),
		"P:musl\nV:1.2.4-r2\nA:x86_64\no:musl\nL:MIT\n\nP:busybox\nV:1.36.1-r5\nA:x86_64\no:busybox\nL:GPL-2.0\n\n")
	cfgDir := t.TempDir()
	forbidMIT := filepath.Join(cfgDir, "forbid.yaml")
	writeFile(t, forbidMIT, "license:\n  forbidden:\n    - MIT\n")
	typo := filepath.Join(cfgDir, "typo.yaml")
	writeFile(t, typo, "license:\n  forbiden:\n    - MIT\n")

	base := []string{"rootfs", root, "--scanners", "license", "-f", "json", "--quiet", "--cache-dir", t.TempDir()}
	for _, tt := range []struct {
		name    string
		args    []string
		code    int
		want    []string // PkgName/Name/Category/Severity
		wantErr string
	}{
		{"all", nil, 0, []string{"busybox/GPL-2.0-only/restricted/HIGH", "musl/MIT/notice/LOW"}, ""},
		{"gate on HIGH", []string{"--severity", "HIGH", "--exit-code", "1"}, 1, []string{"busybox/GPL-2.0-only/restricted/HIGH"}, ""},
		{"ignored", []string{"--severity", "HIGH", "--exit-code", "1", "--ignored-licenses", "GPL-2.0"}, 0, nil, ""},
		{"config forbids MIT", []string{"--config", forbidMIT, "--severity", "CRITICAL", "--exit-code", "1"}, 1, []string{"musl/MIT/forbidden/CRITICAL"}, ""},
		{"misspelt category", []string{"--config", typo}, 1, nil, "license.forbiden: not a licence category"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := run(t, append(append([]string{}, base...), tt.args...)...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstderr: %s", code, tt.code, errOut)
			}
			if tt.wantErr != "" {
				if !strings.Contains(errOut, tt.wantErr) {
					t.Fatalf("stderr %q does not say %q", errOut, tt.wantErr)
				}
				return
			}
			var r model.Report
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			var got []string
			for _, res := range r.Results {
				if res.Class != model.ClassLicense {
					continue
				}
				if res.Target != "OS Packages" {
					t.Errorf("licence result target %q, want OS Packages", res.Target)
				}
				for _, l := range res.Licenses {
					got = append(got, l.PkgName+"/"+l.Name+"/"+l.Category+"/"+l.Severity)
				}
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("licences %v, want %v", got, tt.want)
			}
		})
	}
}
