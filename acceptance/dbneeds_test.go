package acceptance

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/bench/osvgen/mirror"
)

// statusRecorder keeps the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// TestFirstScanDownloadsWhatItNeeds serves a synthetic OSV mirror shaped
// like the public feed (bench/osvgen: 14 archives, 17 ecosystems) over
// loopback and scans with an empty cache: the Debian corpus image makes
// trawl download the Debian, Go and npm archives only (its OS, its Go
// binary, its node_modules); a Cargo project scanned next with the same
// cache adds crates.io only, and finds the advisories of both.
func TestFirstScanDownloadsWhatItNeeds(t *testing.T) {
	image := corpus(t, "images", "debian12-app.tar")
	cargo := corpus(t, "projects", "trivy-fixtures", "cargo")
	dir := t.TempDir()
	if err := mirror.Write(dir, 3000, 1); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var sent []string
	files := http.FileServer(http.Dir(dir))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		files.ServeHTTP(rec, r)
		if eco, ok := strings.CutSuffix(strings.TrimPrefix(r.URL.Path, "/"), "/all.zip"); ok && rec.status == http.StatusOK {
			mu.Lock()
			sent = append(sent, eco)
			mu.Unlock()
		}
	}))
	defer srv.Close()
	take := func() []string {
		mu.Lock()
		defer mu.Unlock()
		out := slices.Sorted(slices.Values(sent))
		sent = nil
		return out
	}

	cache := t.TempDir()
	scan := func(args ...string) {
		t.Helper()
		args = append(args, "--cache-dir", cache, "--db-repository", srv.URL, "--scanners", "vuln", "-f", "json", "--quiet")
		if _, errOut, code := trawl(t, args...); code != 0 {
			t.Fatalf("trawl %v: exit %d: %s", args, code, errOut)
		}
	}
	scan("image", "--input", image)
	if diff := cmp.Diff([]string{"Debian", "Go", "npm"}, take()); diff != "" {
		t.Errorf("first scan of the Debian image downloaded (-want +got):\n%s", diff)
	}
	scan("fs", cargo)
	if diff := cmp.Diff([]string{"crates.io"}, take()); diff != "" {
		t.Errorf("a Cargo project next downloaded (-want +got):\n%s", diff)
	}
	out, errOut, code := trawl(t, "db", "status", "--cache-dir", cache)
	if code != 0 {
		t.Fatalf("db status: %s", errOut)
	}
	for _, eco := range []string{"Debian ", "npm ", "Go ", "crates.io "} {
		if !strings.Contains(out, eco) {
			t.Errorf("db status does not list %s:\n%s", eco, out)
		}
	}
	if strings.Contains(out, "PyPI") {
		t.Errorf("db status lists PyPI, which no scan needed:\n%s", out)
	}
}
