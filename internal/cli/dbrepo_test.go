package cli

import (
	"context"
	"io"
	"log"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/registry"

	"github.com/trawlsec/trawl/internal/vulndb/oci"
	"github.com/trawlsec/trawl/internal/vulndb/osv"
	"github.com/trawlsec/trawl/internal/vulndb/store"
)

func closedLoopback(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

// TestDBRepositoryList: --db-repository takes several locations, comma-
// separated or repeated, from TRAWL_DB_REPOSITORY, or from trawl.yaml as a
// list or a string; db update tries each of them in order.
func TestDBRepositoryList(t *testing.T) {
	a, b := closedLoopback(t), closedLoopback(t)
	tests := []struct {
		name   string
		args   []string
		env    string
		config string
		want   []string // locations, in the order tried
	}{
		{name: "comma-separated", args: []string{"--db-repository", a + "," + b}, want: []string{a, b}},
		{name: "repeated", args: []string{"--db-repository", a, "--db-repository", b}, want: []string{a, b}},
		{name: "environment", env: b + "," + a, want: []string{b, a}},
		{name: "config list", config: "db:\n  repository:\n    - " + a + "\n    - " + b + "\n", want: []string{a, b}},
		{name: "config string", config: "db:\n  repository: " + b + "\n", want: []string{b}},
		{name: "flag beats config", args: []string{"--db-repository", b}, config: "db:\n  repository: [" + a + "]\n", want: []string{b}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := filepath.Join(dir, "trawl.yaml")
			if err := os.WriteFile(cfg, []byte(tt.config), 0o644); err != nil {
				t.Fatal(err)
			}
			if tt.env != "" {
				t.Setenv("TRAWL_DB_REPOSITORY", tt.env)
			}
			args := append([]string{"db", "update", "--quiet", "--config", cfg, "--db-path", filepath.Join(dir, "db", "trawl.db"), "--db-ecosystems", "PyPI"}, tt.args...)
			_, errOut, code := run(t, args...)
			if code == 0 {
				t.Fatalf("db update from closed ports succeeded: %s", errOut)
			}
			var wantMsg []string
			if len(tt.want) == 1 {
				wantMsg = []string{"db update from " + tt.want[0] + ": "}
			} else {
				wantMsg = []string{"all 2 locations failed: 1) " + tt.want[0] + ": ", "; 2) " + tt.want[1] + ": "}
			}
			for _, w := range wantMsg {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr %q does not contain %q", errOut, w)
				}
			}
		})
	}
}

// TestDBPushSeveralTags: db push publishes to every location given (the
// publishing workflow pushes :1 and a dated tag).
func TestDBPushSeveralTags(t *testing.T) {
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	dir := t.TempDir()
	db := filepath.Join(dir, "trawl.db")
	c := store.NewContents()
	c.Vulns["GHSA-1"] = &osv.Vulnerability{ID: "GHSA-1"}
	c.Meta.BuiltAt = time.Now()
	if err := store.Write(context.Background(), db, c); err != nil {
		t.Fatal(err)
	}
	one, dated := "oci://"+host+"/trawl-db:1", "oci://"+host+"/trawl-db:2026-10-01"
	out, errOut, code := run(t, "db", "push", "--insecure", "--db-path", db, "--db-repository", one+","+dated)
	if code != 0 {
		t.Fatalf("db push: exit %d: %s", code, errOut)
	}
	for _, ref := range []string{one, dated} {
		if !strings.Contains(out, "Pushed "+db+" to "+ref+" (sha256:") {
			t.Errorf("output %q does not report %s", out, ref)
		}
		if _, err := oci.Pull(context.Background(), ref, filepath.Join(dir, "pulled.db"), oci.Options{Insecure: true}); err != nil {
			t.Errorf("pull %s: %v", ref, err)
		}
	}
	// Not every location is an OCI reference: nothing is pushed.
	_, errOut, code = run(t, "db", "push", "--insecure", "--db-path", db, "--db-repository", "oci://"+host+"/x:1,https://example.com")
	if code == 0 || !strings.Contains(errOut, `must be oci://HOST/REPO:TAG, not "https://example.com"`) {
		t.Errorf("push with an https location: exit %d: %s", code, errOut)
	}
}

// TestDBUpdateMaxAge: `db update --db-max-age` refuses a prebuilt DB built
// longer ago than that, naming its build time; without the flag the same
// DB is pulled.
func TestDBUpdateMaxAge(t *testing.T) {
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	defer srv.Close()
	ref := "oci://" + strings.TrimPrefix(srv.URL, "http://") + "/trawl-db:1"
	dir := t.TempDir()
	db := filepath.Join(dir, "old.db")
	c := store.NewContents()
	c.Vulns["GHSA-1"] = &osv.Vulnerability{ID: "GHSA-1"}
	c.Meta.BuiltAt = time.Now().Add(-72 * time.Hour)
	if err := store.Write(context.Background(), db, c); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := run(t, "db", "push", "--insecure", "--db-path", db, "--db-repository", ref); code != 0 {
		t.Fatalf("db push: %s", errOut)
	}
	target := filepath.Join(dir, "pulled.db")
	_, errOut, code := run(t, "db", "update", "--insecure", "--db-path", target, "--db-repository", ref, "--db-max-age", "24h")
	if code == 0 || !strings.Contains(errOut, "older than") {
		t.Fatalf("old DB with --db-max-age 24h: exit %d: %s", code, errOut)
	}
	if _, errOut, code := run(t, "db", "update", "--insecure", "--db-path", target, "--db-repository", ref); code != 0 {
		t.Fatalf("old DB without --db-max-age: exit %d: %s", code, errOut)
	}
}
