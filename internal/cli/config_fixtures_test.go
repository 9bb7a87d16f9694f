package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/pkg/model"
)

// TestConfigFixtures: `trawl config` over the misconfig fixture folder
// (one folder per built-in check) reports, file by file, exactly the
// failed checks of internal/misconfig/testdata/fixtures/expected.json —
// the file-type detection, the engine and the report agree. Compose
// fixtures are named *.compose.yaml, found with --file-patterns as the
// fixture test types them.
func TestConfigFixtures(t *testing.T) {
	dir := filepath.Join("..", "misconfig", "testdata", "fixtures")
	b, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want map[string][]string
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := run(t, "config", "-f", "json", "--cache-dir", t.TempDir(), "--quiet",
		"--file-patterns", `compose:\.compose\.ya?ml$`, dir)
	if code != 0 {
		t.Fatalf("exit %d; stderr %s", code, errOut)
	}
	var rep model.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, r := range rep.Results {
		ids := []string{}
		for _, m := range r.Misconfigurations {
			if m.Status == model.MisconfStatusFail {
				ids = append(ids, m.ID)
			}
		}
		slices.Sort(ids)
		got[r.Target] = slices.Compact(ids)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("trawl config over %s (-expected.json +got):\n%s", dir, diff)
	}
}
