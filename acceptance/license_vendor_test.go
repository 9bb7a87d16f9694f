package acceptance

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/pkg/model"
)

// TestLicenseGoVendor: a Go project's vendored modules get their licences
// from the licence files in vendor/<module path>/ (classified, without
// --license-full): in the go.mod package's Licenses and as a
// --scanners license finding of the go.mod result.
func TestLicenseGoVendor(t *testing.T) {
	dir := t.TempDir()
	gpl, err := os.ReadFile(filepath.Join("..", "internal", "license", "texts", "GPL-3.0.txt"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"go.mod":                              "module example.com/app\n\ngo 1.22\n\nrequire github.com/x/gpl v1.4.0\n",
		"vendor/modules.txt":                  "# github.com/x/gpl v1.4.0\n## explicit; go 1.21\ngithub.com/x/gpl\n",
		"vendor/github.com/x/gpl/COPYING":     string(gpl),
		"vendor/github.com/x/gpl/gpl.go":      "package gpl\n",
		"vendor/github.com/x/gpl/sub/LICENSE": "not a licence of the module",
	}
	abs := map[string]string{}
	for name, content := range files {
		abs[filepath.Join(dir, filepath.FromSlash(name))] = content
	}
	writeFiles(t, abs)
	pkgLicenses, findings := licenseScan(t, dir, "github.com/x/gpl")
	if strings.Join(pkgLicenses, ",") != "GPL-3.0" {
		t.Errorf("package Licenses %q, want [GPL-3.0]", pkgLicenses)
	}
	// The finding carries the normalised expression, as for declared licences.
	if want := "license go.mod github.com/x/gpl GPL-3.0-only restricted"; strings.Join(findings, "|") != want {
		t.Errorf("findings %q, want %q", findings, want)
	}
}

// TestLicenseNugetPackagesFolder: NuGet packages of a packages.lock.json
// get their licences from the .nuspec files of the global packages folder
// ($NUGET_PACKAGES), in Licenses and as --scanners license findings.
func TestLicenseNugetPackagesFolder(t *testing.T) {
	dir, pkgs := t.TempDir(), t.TempDir()
	files := map[string]string{
		filepath.Join(dir, "packages.lock.json"): `{"version":1,"dependencies":{"net8.0":{"Serilog":{"type":"Direct","resolved":"3.1.1"}}}}`,
		filepath.Join(pkgs, "serilog", "3.1.1", "serilog.nuspec"): `<?xml version="1.0"?>
<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd"><metadata>
<id>Serilog</id><version>3.1.1</version><license type="expression">Apache-2.0</license>
<licenseUrl>https://aka.ms/deprecateLicenseUrl</licenseUrl></metadata></package>`,
	}
	writeFiles(t, files)
	t.Setenv("NUGET_PACKAGES", pkgs)
	pkgLicenses, findings := licenseScan(t, dir, "Serilog")
	if strings.Join(pkgLicenses, ",") != "Apache-2.0" {
		t.Errorf("package Licenses %q, want [Apache-2.0]", pkgLicenses)
	}
	if want := "license packages.lock.json Serilog Apache-2.0 notice"; strings.Join(findings, "|") != want {
		t.Errorf("findings %q, want %q", findings, want)
	}
}

// TestLicenseGoModCache: go.mod packages that are not vendored get their
// licences from the module cache ($GOMODCACHE/<escaped path>@<version>/).
func TestLicenseGoModCache(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	bsd, err := os.ReadFile(filepath.Join("..", "internal", "license", "texts", "BSD-3-Clause.txt"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		filepath.Join(dir, "go.mod"): "module example.com/app\n\ngo 1.22\n\nrequire github.com/BurntSushi/toml v1.3.2\n",
		filepath.Join(cache, "github.com", "!burnt!sushi", "toml@v1.3.2", "COPYING"): string(bsd),
	}
	writeFiles(t, files)
	t.Setenv("GOMODCACHE", cache)
	pkgLicenses, findings := licenseScan(t, dir, "github.com/BurntSushi/toml")
	if strings.Join(pkgLicenses, ",") != "BSD-3-Clause" {
		t.Errorf("package Licenses %q, want [BSD-3-Clause]", pkgLicenses)
	}
	if want := "license go.mod github.com/BurntSushi/toml BSD-3-Clause notice"; strings.Join(findings, "|") != want {
		t.Errorf("findings %q, want %q", findings, want)
	}
}

// writeFiles writes files (absolute path → content), making folders.
func writeFiles(t *testing.T, files map[string]string) {
	t.Helper()
	for p, content := range files {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// licenseScan runs trawl fs --scanners license on dir and returns the
// Licenses of the package named pkg and every licence finding as "class
// target package name category".
func licenseScan(t *testing.T, dir, pkg string) (pkgLicenses, findings []string) {
	t.Helper()
	out, errOut, code := trawl(t, "fs", dir, "--scanners", "license", "-f", "json", "--list-all-pkgs", "--quiet", "--cache-dir", t.TempDir())
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r model.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	for _, res := range r.Results {
		for _, p := range res.Packages {
			if p.Name == pkg {
				pkgLicenses = p.Licenses
			}
		}
		for _, l := range res.Licenses {
			findings = append(findings, res.Class+" "+res.Target+" "+l.PkgName+" "+l.Name+" "+l.Category)
		}
	}
	return pkgLicenses, findings
}
