package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestVersionWithDB: with a DB at --db-path, 'version -f json' carries its
// metadata (schema version, build time, path, counts, sources) and the table
// form shows the same.
func TestVersionWithDB(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "osv")
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"PYSEC-1", "PYSEC-2"} {
		doc := `{"id": "` + id + `", "modified": "2099-01-01T00:00:00Z",
 "affected": [{"package": {"ecosystem": "PyPI", "name": "foo-` + id + `"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.0"}]}]}]}`
		if err := os.WriteFile(filepath.Join(src, id+".json"), []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(dir, "trawl.db")
	before := time.Now().Add(-time.Minute)
	if _, errOut, code := run(t, "db", "build", "--source", src, "--db-path", p, "-q"); code != 0 {
		t.Fatalf("db build: exit %d: %s", code, errOut)
	}

	out, errOut, code := run(t, "version", "-f", "json", "--db-path", p)
	if code != 0 {
		t.Fatalf("version: exit %d: %s", code, errOut)
	}
	var v struct {
		Version         string
		VulnerabilityDB *struct {
			Version         int
			UpdatedAt       time.Time
			Path            string
			Vulnerabilities int
			Packages        int
			Sources         []string
		}
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("version JSON: %v\n%s", err, out)
	}
	db := v.VulnerabilityDB
	if v.Version == "" || db == nil {
		t.Fatalf("version JSON without the DB: %s", out)
	}
	if db.Version < 1 || db.Path != p || db.UpdatedAt.Before(before) || db.Vulnerabilities != 2 || db.Packages != 2 || len(db.Sources) == 0 {
		t.Errorf("VulnerabilityDB = %+v; want schema version, path %s, built now, 2 vulnerabilities, 2 packages, sources", db, p)
	}

	table, _, code := run(t, "version", "--db-path", p)
	for _, want := range []string{"Vulnerability DB:", "Path: " + p, "Vulnerabilities: 2", "Packages: 2", "Sources: "} {
		if code != 0 || !strings.Contains(table, want) {
			t.Errorf("version table: exit %d, missing %q in\n%s", code, want, table)
		}
	}
}
