package acceptance

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/compliance"
)

// TestDockerCISCorpus: --compliance docker-cis-1.6.0 on the corpus Debian
// image reports what its README says of it: runs as root (4.1), no
// HEALTHCHECK (4.6), a debootstrap minbase that keeps bash, dash, apt and
// dpkg (4.3) and its setuid/setgid binaries (4.8), three FAKE secrets in
// /app/.env (4.10, found although layer 3 deleted the file), the base
// rootfs unpacked by ADD of a tar archive (4.9 passes), no update alone in
// a RUN (4.7). The manual controls have no count.
func TestDockerCISCorpus(t *testing.T) {
	image := corpus(t, "images", "debian12-app.tar")
	out, errOut, code := trawl(t, "image", "--input", image, "--compliance", "docker-cis-1.6.0", "-f", "json",
		"--cache-dir", t.TempDir(), "--quiet", "--db-path", corpusDB(t), "--skip-db-update")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var sum compliance.Summary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	got := map[string]int{}
	for _, c := range sum.SummaryControls {
		if c.TotalFail == nil {
			got[c.ID] = -1
		} else {
			got[c.ID] = *c.TotalFail
		}
	}
	// 4.3 and 4.8 depend on the minbase's exact file list: at least the
	// ones named above (the forensics acceptance test pins them).
	if got["4.3"] < 4 || got["4.8"] < 6 {
		t.Errorf("4.3 = %d (want ≥ 4), 4.8 = %d (want ≥ 6)", got["4.3"], got["4.8"])
	}
	delete(got, "4.3")
	delete(got, "4.8")
	want := map[string]int{"4.1": 1, "4.2": -1, "4.4": 0, "4.5": -1, "4.6": 1, "4.7": 0, "4.9": 0, "4.10": 3, "4.11": -1}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("controls (-want +got; -1: manual):\n%s", diff)
	}
}
