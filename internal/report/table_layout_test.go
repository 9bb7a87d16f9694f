package report

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/trawlsec/trawl/pkg/model"
)

// TestVulnTableKeepsTitleReadable: with a long Go pseudo-version and a long
// module path, the vulnerability table fits 80, 120 and 200 columns, the
// Title column keeps at least 20 characters (it was squeezed to 8), and the
// narrowed columns wrap instead of losing characters.
func TestVulnTableKeepsTitleReadable(t *testing.T) {
	const (
		pkg     = "github.com/example-organisation/some-rather-long-module-name/v2"
		version = "0.0.0-20240513123456-abcdef012345+incompatible"
		fixed   = "0.0.0-20250101000000-0123456789ab"
		title   = "Improper neutralisation of special elements in the request router allows path traversal"
	)
	r := &model.Report{ArtifactName: "app", Results: []model.Result{{
		Target: "go.mod", Class: model.ClassLangPkg, Type: model.TypeGoModule,
		Vulnerabilities: []model.Vulnerability{{
			VulnerabilityID: "GO-2024-0001", PkgName: pkg, InstalledVersion: version, FixedVersion: fixed,
			Severity: "HIGH", Status: "fixed", Title: title,
		}},
	}}}
	for _, width := range []int{80, 120, 200} {
		var out bytes.Buffer
		if err := WriteTable(&out, r, Options{Width: width}); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(out.String(), "\n")
		for _, l := range lines {
			if n := utf8.RuneCountInString(l); n > width {
				t.Errorf("width %d: line of %d columns: %q", width, n, l)
			}
		}
		// The vulnerability table: from its header row to its bottom line.
		start := slices.IndexFunc(lines, func(l string) bool {
			return strings.HasPrefix(l, "│ Library") && strings.Contains(l, "│ Title")
		})
		if start < 0 {
			t.Fatalf("width %d: no vulnerability table in\n%s", width, out.String())
		}
		header := strings.Split(strings.Trim(lines[start], "│"), "│")
		col := func(name string) int {
			for i, h := range header {
				// Header cells wrap too: match the first line's part.
				if h := strings.TrimSpace(h); h != "" && strings.HasPrefix(name, h) {
					return i
				}
			}
			t.Fatalf("width %d: no %s column in %q", width, name, lines[start])
			return -1
		}
		cols := make([]string, len(header))
		for _, l := range lines[start+1:] {
			if strings.HasPrefix(l, "├") {
				cols = make([]string, len(header))
				continue
			}
			if !strings.HasPrefix(l, "│") {
				break
			}
			for j, c := range strings.Split(strings.Trim(l, "│"), "│") {
				cols[j] += strings.TrimSpace(c)
			}
		}
		titleWidth := utf8.RuneCountInString(header[col("Title")]) - 2
		installed := col("Installed Version")
		if titleWidth < 20 {
			t.Errorf("width %d: Title column %d characters wide, want at least 20", width, titleWidth)
		}
		if !strings.Contains(cols[0], pkg) {
			t.Errorf("width %d: package column %q lost characters of %q", width, cols[0], pkg)
		}
		if !strings.Contains(cols[installed], version) {
			t.Errorf("width %d: installed version column %q lost characters of %q", width, cols[installed], version)
		}
	}
}
