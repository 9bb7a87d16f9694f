package acceptance

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// pkgRelationships scans a project and returns "relationship[ dev]" per
// package ID of the results of one package type.
func pkgRelationships(t *testing.T, pkgType string, args ...string) map[string]string {
	t.Helper()
	r := scanJSON(t, append([]string{"fs", "--scanners", "secret"}, args...)...)
	out := map[string]string{}
	for _, res := range r.Results {
		if res.Type != pkgType {
			continue
		}
		for _, p := range res.Packages {
			v := p.Relationship
			if p.Dev {
				v += " dev"
			}
			out[p.ID] = v
		}
	}
	return out
}

// TestCargoDevDependencies: the corpus Cargo.toml names winapi only under
// [dev-dependencies]; Cargo.lock lists it among app's dependencies with its
// two platform crates. Trivy's integration golden (cargo.lock.json.golden)
// for this fixture reports the seven other crates and not these three; trawl
// marks them dev and keeps them with --include-dev-deps.
func TestCargoDevDependencies(t *testing.T) {
	dir := corpus(t, "projects", "trivy-fixtures", "cargo")
	prod := map[string]string{
		"app@0.1.0":           "root",
		"memchr@1.0.2":        "direct",
		"regex@1.7.3":         "direct",
		"aho-corasick@0.7.20": "indirect",
		"libc@0.2.171":        "indirect",
		"memchr@2.7.4":        "indirect",
		"regex-syntax@0.6.29": "indirect",
	}
	if diff := cmp.Diff(prod, pkgRelationships(t, "cargo", "--list-all-pkgs", dir)); diff != "" {
		t.Errorf("cargo without dev deps (-want +got):\n%s", diff)
	}
	all := map[string]string{
		"winapi@0.3.9":                       "direct dev",
		"winapi-i686-pc-windows-gnu@0.4.0":   "indirect dev",
		"winapi-x86_64-pc-windows-gnu@0.4.0": "indirect dev",
	}
	for k, v := range prod {
		all[k] = v
	}
	if diff := cmp.Diff(all, pkgRelationships(t, "cargo", "--list-all-pkgs", "--include-dev-deps", dir)); diff != "" {
		t.Errorf("cargo with dev deps (-want +got):\n%s", diff)
	}
}

// TestJuliaEveryEntry: the corpus Manifest.toml locks two packages named B,
// both version 1.9.0 (julia_version), with different UUIDs; A depends on the
// first. Trivy's integration golden (julia-spdx.json.golden) has three
// packages, A and both Bs, and its analyzer identifies packages by UUID:
// Project.toml's [deps] names A and the second B (direct), so A's B is
// indirect.
func TestJuliaEveryEntry(t *testing.T) {
	dir := corpus(t, "projects", "trivy-fixtures", "julia")
	want := map[string]string{
		"ead4f63c-334e-11e9-00e6-e7f0a5f21b60": "direct",   // A
		"edca9bc6-334e-11e9-3554-9595dbb4349c": "direct",   // B, in Project.toml
		"f41f7b98-334e-11e9-1257-49272045fb24": "indirect", // B, A's dependency
	}
	if diff := cmp.Diff(want, pkgRelationships(t, "julia", "--list-all-pkgs", dir)); diff != "" {
		t.Errorf("julia (-want +got):\n%s", diff)
	}
}

// TestPyPINamesAsWritten: Trivy's integration golden for the corpus
// requirements.txt (pip.json.golden) names the packages as the file writes
// them (Flask, Jinja2, Werkzeug), with lower-case purls; trawl does the
// same and matches on the PEP 503 form, so Werkzeug 0.11 still gets the
// corpus advisories.
func TestPyPINamesAsWritten(t *testing.T) {
	dir := corpus(t, "projects", "trivy-fixtures", "pip")
	r := scanJSON(t, "fs", "--scanners", "vuln", "--skip-db-update", "--cache-dir", t.TempDir(), "--db-path", corpusDB(t), "--list-all-pkgs", dir)
	var names, purls []string
	vulnPkgs := map[string]bool{}
	for _, res := range r.Results {
		for _, p := range res.Packages {
			names = append(names, p.Name)
			purls = append(purls, p.Identifier.PURL)
		}
		for _, v := range res.Vulnerabilities {
			vulnPkgs[v.PkgName] = true
		}
	}
	slices.Sort(names)
	slices.Sort(purls)
	want := []string{"Flask", "Jinja2", "Werkzeug", "click", "itsdangerous", "oauth2-client", "python-gitlab"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
	for _, p := range purls {
		if p != strings.ToLower(p) {
			t.Errorf("purl %s is not lower case", p)
		}
	}
	if !vulnPkgs["Werkzeug"] {
		t.Errorf("no vulnerability reported on Werkzeug 0.11; got them on %v", vulnPkgs)
	}
}
