package acceptance

import (
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestLockfileJoinedWithManifest checks direct/indirect and dev marking that
// needs the project file beside the lockfile. Expectations read by hand from
// the fixtures:
//   - yarn/package.json: dependencies {jquery}, devDependencies {promise};
//     yarn.lock: promise depends on asap, so asap is dev-only and indirect.
//   - poetry/pyproject.toml: werkzeug and click (python is not a package);
//     poetry.lock also holds colorama, which click pulls in.
//   - composer/composer.json requires guzzlehttp/guzzle; composer.lock also
//     holds guzzlehttp/psr7.
func TestLockfileJoinedWithManifest(t *testing.T) {
	dir := corpus(t, "projects", "trivy-fixtures", "yarn")
	rel := func(args ...string) map[string]string {
		return relationships(t, "yarn", args...)
	}
	if diff := cmp.Diff(map[string]string{"jquery": "direct"}, rel(dir)); diff != "" {
		t.Errorf("yarn without dev deps (-want +got):\n%s", diff)
	}
	want := map[string]string{"jquery": "direct", "promise": "direct dev", "asap": "indirect dev"}
	if diff := cmp.Diff(want, rel("--include-dev-deps", dir)); diff != "" {
		t.Errorf("yarn with dev deps (-want +got):\n%s", diff)
	}
	poetry := relationships(t, "poetry", corpus(t, "projects", "trivy-fixtures", "poetry"))
	if diff := cmp.Diff(map[string]string{"werkzeug": "direct", "click": "direct", "colorama": "indirect"}, poetry); diff != "" {
		t.Errorf("poetry (-want +got):\n%s", diff)
	}
	composer := relationships(t, "composer", corpus(t, "projects", "trivy-fixtures", "composer"))
	if diff := cmp.Diff(map[string]string{"guzzlehttp/guzzle": "direct", "guzzlehttp/psr7": "indirect"}, composer); diff != "" {
		t.Errorf("composer (-want +got):\n%s", diff)
	}
}

// relationships scans a project and returns "relationship[ dev]" per
// package name of the results of one package type.
func relationships(t *testing.T, pkgType string, args ...string) map[string]string {
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
			out[p.Name] = v
		}
	}
	return out
}

// TestNpmRealLockfileVersusNodeModules: the corpus npm project gives the same
// name@version set from its lockfile (fs) and from node_modules (rootfs);
// the corpus README says 66 packages.
func TestNpmRealLockfileVersusNodeModules(t *testing.T) {
	dir := corpus(t, "projects", "npm-real")
	set := func(target, typ string) []string {
		r := scanJSON(t, target, "--scanners", "secret", "--skip-dirs", "**/.cache", dir)
		var out []string
		for _, res := range r.Results {
			if res.Type == typ {
				for _, p := range res.Packages {
					out = append(out, p.Name+"@"+p.Version)
				}
			}
		}
		sort.Strings(out)
		return out
	}
	fromLock := set("fs", "npm")
	fromModules := set("rootfs", "node-pkg")
	if len(fromLock) != 66 {
		t.Errorf("lockfile: %d packages, want 66", len(fromLock))
	}
	if diff := cmp.Diff(fromLock, fromModules); diff != "" {
		t.Errorf("lockfile and node_modules differ (-fs +rootfs):\n%s", diff)
	}
}
