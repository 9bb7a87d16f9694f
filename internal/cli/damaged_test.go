package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// damagedDB builds a DB with 'trawl db build' and truncates it to 8 KiB
// (which made 'db status' and scans crash with SIGSEGV).
func damagedDB(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, "osv")
	os.MkdirAll(src, 0o755)
	os.WriteFile(filepath.Join(src, "PYSEC-1.json"), []byte(`{"id": "PYSEC-1", "modified": "2099-01-01T00:00:00Z",
 "affected": [{"package": {"ecosystem": "PyPI", "name": "foo"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.0"}]}]}]}`), 0o644)
	p := filepath.Join(dir, "trawl.db")
	if _, errOut, code := run(t, "db", "build", "--source", src, "--db-path", p, "-q"); code != 0 {
		t.Fatalf("db build: exit %d: %s", code, errOut)
	}
	if err := os.Truncate(p, 8192); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestDamagedDB: 'db status' and a scan with --skip-db-update on a
// damaged DB exit non-zero with one line naming the file, no stack trace.
func TestDamagedDB(t *testing.T) {
	p := damagedDB(t)
	proj := t.TempDir()
	os.WriteFile(filepath.Join(proj, "requirements.txt"), []byte("foo==0.5\n"), 0o644)
	for name, args := range map[string][]string{
		"db status": {"db", "status", "--db-path", p},
		"fs scan":   {"fs", "--scanners", "vuln", "--skip-db-update", "--db-path", p, "--cache-dir", t.TempDir(), "-q", proj},
	} {
		_, errOut, code := run(t, args...)
		msg := strings.TrimSpace(errOut)
		t.Logf("%s: exit %d: %s", name, code, msg)
		if code == 0 || strings.Contains(msg, "\n") || strings.Contains(msg, "goroutine") ||
			!strings.Contains(msg, p+" is damaged") || !strings.Contains(msg, "trawl db update") {
			t.Errorf("%s: exit %d, stderr %q; want non-zero and one line naming %s", name, code, errOut, p)
		}
	}
}

// TestDamagedScanCache: a truncated layers.db does not stop image scans
// (it crashed every run until 'trawl clean --scan-cache'): it is replaced
// with a warning, and the next scan uses the new cache.
func TestDamagedScanCache(t *testing.T) {
	archive := writeArchive(t, testImage(t, alpineFiles))
	cache := t.TempDir()
	args := []string{"image", "--input", archive, "--cache-dir", cache, "--scanners", "secret", "-f", "json"}
	if _, errOut, code := run(t, args...); code != 0 {
		t.Fatalf("first scan: exit %d: %s", code, errOut)
	}
	db := filepath.Join(cache, "scan", "layers.db")
	if err := os.Truncate(db, 8192); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		out, errOut, code := run(t, args...)
		if code != 0 || !strings.Contains(out, "config.env") {
			t.Fatalf("scan %d after damage: exit %d: %s", i, code, errOut)
		}
		if warned := strings.Contains(errOut, "damaged") && strings.Contains(errOut, db); warned != (i == 0) {
			t.Errorf("scan %d: warning about the damaged cache = %v: %q", i, warned, errOut)
		}
	}
}
