package acceptance

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestLockfileJoinedWithManifest checks direct/indirect and dev marking that
// needs the project file beside the lockfile. Expectations read by hand from
// the fixtures:
//   - yarn/package.json: dependencies {jquery}, devDependencies {promise};
//     yarn.lock: promise depends on asap, so asap is dev-only and indirect.
func TestLockfileJoinedWithManifest(t *testing.T) {
	dir := corpus(t, "projects", "trivy-fixtures", "yarn")
	rel := func(args ...string) map[string]string {
		r := scanJSON(t, append([]string{"fs", "--scanners", "secret"}, args...)...)
		out := map[string]string{}
		for _, res := range r.Results {
			if res.Type != "yarn" {
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
	if diff := cmp.Diff(map[string]string{"jquery": "direct"}, rel(dir)); diff != "" {
		t.Errorf("yarn without dev deps (-want +got):\n%s", diff)
	}
	want := map[string]string{"jquery": "direct", "promise": "direct dev", "asap": "indirect dev"}
	if diff := cmp.Diff(want, rel("--include-dev-deps", dir)); diff != "" {
		t.Errorf("yarn with dev deps (-want +got):\n%s", diff)
	}
}
