package acceptance

import (
	"encoding/json"
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

// TestLicenseFullProjects: --license-full classifies the licence files of
// the corpus npm project's node_modules, each as the licence its package's
// package.json declares, with confidence at least the default level; every
// licence file found is classified.
func TestLicenseFullProjects(t *testing.T) {
	// qs declares BSD-3-Clause, but its LICENSE rewords the third clause
	// ("The names of any contributors may not be used…"): what is left of
	// the BSD-3-Clause text is below 0.9, and all of BSD-2-Clause's is
	// there. A classifier of whole texts reports BSD-2-Clause.
	knownDisagreements := map[string]string{"node_modules/qs/LICENSE": "BSD-2-Clause"}
	root := corpus(t, "projects", "npm-real")
	r := scanJSON(t, "fs", root, "--scanners", "license", "--license-full")
	var files []model.DetectedLicense
	for _, res := range r.Results {
		if res.Class == model.ClassLicenseFile {
			if res.Target != "Loose File License(s)" {
				t.Errorf("license-file target %q", res.Target)
			}
			files = append(files, res.Licenses...)
		}
	}
	var want int
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasPrefix(strings.ToUpper(d.Name()), "LICENSE") {
			want++
		}
		return nil
	})
	if len(files) != want || want < 50 {
		t.Errorf("%d licence files classified, %d found", len(files), want)
	}
	for _, f := range files {
		if f.Confidence < 0.9 || f.Confidence > 1 || f.PkgName != "" || f.Link != "https://spdx.org/licenses/"+f.Name+".html" || f.Category == "" {
			t.Errorf("%s: %+v", f.FilePath, f)
		}
		b, err := os.ReadFile(filepath.Join(root, filepath.Dir(f.FilePath), "package.json"))
		if err != nil {
			t.Errorf("%s: %v", f.FilePath, err)
			continue
		}
		var pj struct{ License string }
		if err := json.Unmarshal(b, &pj); err != nil || pj.License == "" {
			t.Errorf("%s: package.json declares no licence", f.FilePath)
			continue
		}
		got, declared := license.Normalize(f.Name).SPDX, license.Normalize(pj.License).SPDX
		if known, ok := knownDisagreements[f.FilePath]; ok {
			if got != known {
				t.Errorf("%s classified %s, the known disagreement says %s", f.FilePath, f.Name, known)
			}
			continue
		}
		if got != declared {
			t.Errorf("%s classified %s (%v), package.json says %s", f.FilePath, f.Name, f.Confidence, pj.License)
		}
	}
}

// TestLicenseFullGate: a forbidden licence file fails --severity CRITICAL
// --exit-code, its finding in Trivy's shape; a confidence level that is no
// number in (0, 1] is an error naming the flag.
func TestLicenseFullGate(t *testing.T) {
	dir := t.TempDir()
	agpl, err := os.ReadFile(filepath.Join("..", "internal", "license", "texts", "AGPL-3.0.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "vendor", "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "vendor", "x", "COPYING"), agpl, 0o644); err != nil {
		t.Fatal(err)
	}
	base := []string{"fs", dir, "--scanners", "license", "-f", "json", "--quiet", "--cache-dir", t.TempDir()}
	out, errOut, code := trawl(t, append(slices.Clone(base), "--license-full", "--severity", "CRITICAL", "--exit-code", "4")...)
	if code != 4 {
		t.Fatalf("exit %d, want 4: %s", code, errOut)
	}
	var r model.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, res := range r.Results {
		for _, l := range res.Licenses {
			got = append(got, res.Class+" "+res.Target+" "+l.FilePath+" "+l.Name+" "+l.Category+" "+l.Severity)
		}
	}
	if want := "license-file Loose File License(s) vendor/x/COPYING AGPL-3.0 forbidden CRITICAL"; strings.Join(got, "|") != want {
		t.Errorf("findings %q, want %q", got, want)
	}
	// Without --license-full the file is not read.
	if _, errOut, code := trawl(t, append(slices.Clone(base), "--severity", "CRITICAL", "--exit-code", "4")...); code != 0 {
		t.Errorf("without --license-full: exit %d: %s", code, errOut)
	}
	if _, errOut, code := trawl(t, append(slices.Clone(base), "--license-full", "--license-confidence-level", "1.5")...); code == 0 || !strings.Contains(errOut, "license-confidence-level") {
		t.Errorf("confidence 1.5: exit %d, stderr %q", code, errOut)
	}
}
