package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/app"
	"github.com/trawlsec/trawl/internal/cache"
	"github.com/trawlsec/trawl/internal/server"
)

// alpineDB builds a DB with one advisory for the musl of alpineFiles.
func alpineDB(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, "osv")
	os.MkdirAll(src, 0o755)
	doc := `{"id": "ALPINE-CVE-2099-0001", "aliases": ["CVE-2099-0001"], "modified": "2099-01-01T00:00:00Z",
 "affected": [{"package": {"ecosystem": "Alpine:v3.19", "name": "musl"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2.4-r3"}]}]}]}`
	if err := os.WriteFile(filepath.Join(src, "a.json"), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "trawl.db")
	if _, errOut, code := run(t, "db", "build", "--source", src, "--db-path", p, "-q"); code != 0 {
		t.Fatalf("db build: exit %d: %s", code, errOut)
	}
	return p
}

// testServer serves a memory-cache server on loopback; puts counts the
// layer uploads it received.
func testServer(t *testing.T, db, token string) (ts *httptest.Server, puts *atomic.Int64) {
	t.Helper()
	srv := server.New(server.Config{Cache: cache.NewMemory(), DB: app.DBOptions{Path: db}, Token: token})
	puts = &atomic.Int64{}
	ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut {
			puts.Add(1)
		}
		srv.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	return ts, puts
}

// normalised drops what differs between two scans of the same artifact.
func normalised(t *testing.T, out string) string {
	t.Helper()
	r := decode(t, out)
	r.ReportID = ""
	r.CreatedAt = time.Time{}
	b, err := json.MarshalIndent(r, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func scanWith(t *testing.T, archive, db string, extra ...string) (string, string, int) {
	t.Helper()
	args := []string{"image", "--input", archive, "--cache-dir", t.TempDir(), "--quiet",
		"--scanners", "vuln,secret", "-f", "json", "--db-path", db, "--skip-db-update"}
	return run(t, append(args, extra...)...)
}

// TestServerScanMatchesStandalone: a --server scan of an image archive
// gives the standalone report (less ReportID and CreatedAt), the second
// scan uploads no layer, and 32 clients at once all get it too.
func TestServerScanMatchesStandalone(t *testing.T) {
	db := alpineDB(t)
	archive := writeArchive(t, testImage(t, alpineFiles))
	want, errOut, code := scanWith(t, archive, db)
	if code != 0 {
		t.Fatalf("standalone: exit %d: %s", code, errOut)
	}
	if !strings.Contains(want, "CVE-2099-0001") || !strings.Contains(want, "github-pat") {
		t.Fatalf("the fixture should find a vulnerability and a secret: %s", want)
	}
	ts, puts := testServer(t, db, "")
	// The client never opens a DB: point it at none.
	noDB := filepath.Join(t.TempDir(), "none.db")
	got, errOut, code := scanWith(t, archive, noDB, "--server", ts.URL)
	if code != 0 {
		t.Fatalf("--server: exit %d: %s", code, errOut)
	}
	if g, w := normalised(t, got), normalised(t, want); g != w {
		t.Errorf("--server report differs from standalone:\n got %s\nwant %s", g, w)
	}

	if n := puts.Load(); n != 1 {
		t.Errorf("first scan uploaded %d layers, want 1", n)
	}
	// The layer is on the server now: the next clients upload nothing.
	puts.Store(0)
	var wg sync.WaitGroup
	var before, peak runtime.MemStats
	runtime.ReadMemStats(&before)
	outs := make([]string, 32)
	errs := make([]string, 32)
	for i := range outs {
		wg.Go(func() {
			out, errOut, code := scanWith(t, archive, noDB, "--server", ts.URL)
			if code != 0 {
				errs[i] = errOut
			}
			outs[i] = out
		})
	}
	wg.Wait()
	runtime.ReadMemStats(&peak)
	if n := puts.Load(); n != 0 {
		t.Errorf("clients of a warm server uploaded %d layers, want 0", n)
	}
	t.Logf("32 concurrent clients (in-process with the server): heap in use %d MiB, total allocated %d MiB",
		peak.HeapInuse>>20, (peak.TotalAlloc-before.TotalAlloc)>>20)
	for i, out := range outs {
		if errs[i] != "" {
			t.Errorf("client %d: %s", i, errs[i])
			continue
		}
		if normalised(t, out) != normalised(t, want) {
			t.Errorf("client %d: report differs from standalone", i)
		}
	}
}

// TestServerBadToken: a wrong token is a 401, and the client prints one
// error line and exits 1.
func TestServerBadToken(t *testing.T) {
	db := alpineDB(t)
	archive := writeArchive(t, testImage(t, alpineFiles))
	ts, _ := testServer(t, db, "s3cret")
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"no token", nil, 1},
		{"wrong token", []string{"--token", "guess"}, 1},
		{"wrong header", []string{"--token", "s3cret", "--token-header", "X-Other"}, 1},
		{"right token", []string{"--token", "s3cret"}, 0},
		{"custom header", []string{"--token", "s3cret", "--custom-headers", "X-Team: blue"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errOut, code := scanWith(t, archive, db, append([]string{"--server", ts.URL}, tc.args...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d: %s", code, tc.code, errOut)
			}
			if tc.code == 0 {
				return
			}
			lines := strings.Split(strings.TrimSpace(errOut), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], "trawl: error: ") || !strings.Contains(lines[0], "401") || !strings.Contains(lines[0], "invalid token") {
				t.Errorf("stderr %q: want one 'trawl: error:' line with the 401", errOut)
			}
		})
	}
}

// TestServerRefusesClientFiles: options naming client files are refused
// before anything is sent.
func TestServerRefusesClientFiles(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM alpine\n"), 0o644)
	file := filepath.Join(dir, "Dockerfile") // any existing file: refused before it is read
	for _, flag := range []string{"--config-check", "--config-data", "--helm-values", "--tf-vars", "--cf-params", "--arm-params"} {
		_, errOut, code := run(t, "fs", "--quiet", "--cache-dir", t.TempDir(), "--scanners", "misconfig",
			flag, file, "--server", "http://127.0.0.1:1", dir)
		if code != 1 || !strings.Contains(errOut, flag+" is not supported with --server") {
			t.Errorf("%s: exit %d, stderr %q", flag, code, errOut)
		}
	}
}

// dropFirstPuts is a layer cache whose first n writes are silently
// dropped, as by a Redis server that is down.
type dropFirstPuts struct {
	*cache.Memory
	n atomic.Int64
}

func (c *dropFirstPuts) Put(ctx context.Context, key string, r *analyze.LayerResult) error {
	if c.n.Add(-1) >= 0 {
		return nil
	}
	return c.Memory.Put(ctx, key, r)
}

// TestServerLostUploadReanalysed: when the server's cache drops the
// upload (and it keeps no recent copy), the scan is answered 422 naming
// the layer; the client analyses and uploads it again, and its report
// is the standalone one, not an error and not one without the layer.
func TestServerLostUploadReanalysed(t *testing.T) {
	db := alpineDB(t)
	archive := writeArchive(t, testImage(t, alpineFiles))
	want, errOut, code := scanWith(t, archive, db)
	if code != 0 {
		t.Fatalf("standalone: exit %d: %s", code, errOut)
	}
	c := &dropFirstPuts{Memory: cache.NewMemory()}
	c.n.Store(1)
	srv := server.New(server.Config{Cache: c, DB: app.DBOptions{Path: db}, RecentBytes: -1})
	var puts, scans atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method + " " + r.URL.Path {
		case "POST " + server.PathScan:
			scans.Add(1)
		default:
			if r.Method == http.MethodPut {
				puts.Add(1)
			}
		}
		srv.Handler().ServeHTTP(w, r)
	}))
	defer ts.Close()
	got, errOut, code := scanWith(t, archive, filepath.Join(t.TempDir(), "none.db"), "--server", ts.URL)
	if code != 0 {
		t.Fatalf("--server: exit %d: %s", code, errOut)
	}
	if g, w := normalised(t, got), normalised(t, want); g != w {
		t.Errorf("report differs from standalone:\n got %s\nwant %s", g, w)
	}
	if p, s := puts.Load(), scans.Load(); p != 2 || s != 2 {
		t.Errorf("%d uploads and %d scan requests, want 2 and 2 (one lost, one again)", p, s)
	}
}
