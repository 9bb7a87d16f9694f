package acceptance

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/app"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// TestGoldenReports scans the Debian image of the corpus once per format with
// the clock pinned and compares the bytes with testdata/golden. Run with
// -update after an intended change and review the diff. The goldens also
// prove determinism: two runs must give identical bytes.
func TestGoldenReports(t *testing.T) {
	tarball := corpus(t, "images", "debian12-app.tar")
	db := corpusDB(t)
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	for _, format := range []string{"json", "table", "sarif", "cyclonedx", "spdx-json", "spdx", "github"} {
		t.Run(format, func(t *testing.T) {
			render := func() []byte {
				var out bytes.Buffer
				_, err := app.Run(context.Background(), app.Options{
					Target: app.TargetImage, Arg: "debian12-app:latest", Input: tarball,
					CacheDir: t.TempDir(), Format: format, ListAllPkgs: true,
					Severities: []string{"UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL"},
					Scanners:   []string{app.ScannerVuln, app.ScannerSecret}, PkgTypes: []string{"os", "library"},
					ImageConfigScanners: []string{app.ScannerSecret},
					IgnoreFile:          filepath.Join(t.TempDir(), "none"),
					DB:                  app.DBOptions{Path: db, SkipUpdate: true},
					Now:                 func() time.Time { return now },
					NewReportID:         func() string { return "01900000-0000-7000-8000-000000000000" },
					Stdout:              &out,
				})
				if err != nil {
					t.Fatal(err)
				}
				return out.Bytes()
			}
			got := render()
			if again := render(); !bytes.Equal(got, again) {
				t.Fatalf("two runs differ: output is not deterministic")
			}
			golden := filepath.Join("testdata", "golden", "debian12-app."+format)
			if *updateGolden {
				os.MkdirAll(filepath.Dir(golden), 0o755)
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(want, got) {
				t.Errorf("%s differs from the golden file (run with -update and review):\n%s", format, cmp.Diff(string(want), string(got)))
			}
		})
	}
}
