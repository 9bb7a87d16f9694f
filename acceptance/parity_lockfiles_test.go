package acceptance

import (
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
