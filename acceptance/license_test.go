package acceptance

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/internal/license"
	"github.com/trawlsec/trawl/pkg/model"
)

// TestLicenseDebianPairs: every licence string the Debian corpus image's
// packages carry, with its SPDX expression, is listed in
// testdata/golden/license-debian12.pairs ("raw<TAB>SPDX", or
// "raw<TAB>?" for a string kept as unknown). A string that appears or
// changes mapping fails the test, so a new unmapped licence is a decision
// (an alias, or "?" in the list), never a silent UNKNOWN. -update rewrites
// the list.
func TestLicenseDebianPairs(t *testing.T) {
	img := corpus(t, "images", "debian12-app.tar")
	r := scanJSON(t, "image", "--input", img, "--scanners", "license")
	pairs := map[string]string{}
	osPkgs, withSPDX := 0, 0
	for _, res := range r.Results {
		for _, p := range res.Packages {
			known := false
			for _, raw := range p.Licenses {
				n := license.Normalize(raw)
				v := "?"
				if n.Known {
					v, known = n.SPDX, true
				}
				pairs[strings.ReplaceAll(raw, "\t", " ")] = v
			}
			if res.Class == model.ClassOSPkg {
				osPkgs++
				if known {
					withSPDX++
				}
			}
		}
	}
	if osPkgs != 125 {
		t.Errorf("%d OS packages, want the corpus image's 125", osPkgs)
	}
	// Every OS package with a licence gets at least one SPDX expression.
	var lines []string
	for raw, v := range pairs {
		lines = append(lines, raw+"\t"+v)
	}
	slices.Sort(lines)
	got := strings.Join(lines, "\n") + "\n"
	golden := filepath.Join("testdata", "golden", "license-debian12.pairs")
	if *updateGolden {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	wantSet := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSuffix(string(want), "\n"), "\n") {
		wantSet[l] = true
	}
	for _, l := range lines {
		if !wantSet[l] {
			raw, v, _ := strings.Cut(l, "\t")
			if v == "?" {
				t.Errorf("new unmapped licence %q: add an alias (internal/license/aliases.go) or list it as unknown in %s", raw, golden)
			} else {
				t.Errorf("licence %q now maps to %q, not as %s says", raw, v, golden)
			}
		}
		delete(wantSet, l)
	}
	for l := range wantSet {
		t.Errorf("%s lists %q, which the image no longer has", golden, l)
	}
	t.Logf("%d distinct licence strings; %d of %d OS packages have an SPDX expression", len(pairs), withSPDX, osPkgs)
}

// TestLicenseGate: on the Debian corpus image, the licence results are
// Trivy's shape (OS Packages and the Node.js target), a forbidden licence
// fails --severity CRITICAL --exit-code 1, and without one the gate passes.
func TestLicenseGate(t *testing.T) {
	img := corpus(t, "images", "debian12-app.tar")
	r := scanJSON(t, "image", "--input", img, "--scanners", "license")
	targets := map[string]int{}
	for _, res := range r.Results {
		if res.Class == model.ClassLicense {
			targets[res.Target] = len(res.Licenses)
		}
	}
	if targets["OS Packages"] == 0 || targets["Node.js"] == 0 {
		t.Fatalf("licence results %v: want OS Packages and Node.js ones", targets)
	}
	cfg := filepath.Join(t.TempDir(), "trawl.yaml")
	if err := os.WriteFile(cfg, []byte("license:\n  forbidden: [Zlib]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	common := []string{"image", "--input", img, "--scanners", "license", "--severity", "CRITICAL", "--exit-code", "3",
		"-f", "json", "--quiet", "--cache-dir", t.TempDir()}
	for _, tc := range []struct {
		extra []string
		code  int
	}{
		{nil, 0},                       // the defaults forbid nothing the image has
		{[]string{"--config", cfg}, 3}, // zlib, forbidden by the config
	} {
		_, errOut, code := trawl(t, append(slices.Clone(common), tc.extra...)...)
		if code != tc.code {
			t.Errorf("%v: exit %d, want %d: %s", tc.extra, code, tc.code, errOut)
		}
	}
}
