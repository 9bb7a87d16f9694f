package update

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestUpdateStalledMirror: a mirror that sends the headers and part of an
// archive, then nothing, is abandoned after StallTimeout (not after the
// scan's whole timeout, or never); the old DB stays, and a mirror that is
// slow but keeps sending is not cut off.
func TestUpdateStalledMirror(t *testing.T) {
	_, good := newMirror(t)
	dbPath := filepath.Join(t.TempDir(), "trawl.db")
	if _, err := Update(context.Background(), opts(good, dbPath)); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(dbPath)
	if err != nil {
		t.Fatal(err)
	}

	archive := zipOf(t, map[string]string{"PYSEC-9.json": record("PYSEC-9", "PyPI", "x", "1")})
	release := make(chan struct{})
	defer close(release)
	stalled := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/all.zip") {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Length", "100000")
		w.Write(archive[:10])
		w.(http.Flusher).Flush()
		select { // stall until the test ends
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer stalled.Close()
	o := opts(stalled, dbPath)
	o.StallTimeout = 200 * time.Millisecond
	start := time.Now()
	_, err = Update(context.Background(), o)
	if err == nil || !strings.Contains(err.Error(), "stalled connection") {
		t.Fatalf("stalled mirror: %v", err)
	}
	if took := time.Since(start); took > 30*time.Second {
		t.Errorf("gave up after %s", took)
	}
	after, _ := os.ReadFile(dbPath)
	if string(after) != string(before) {
		t.Error("the old DB changed")
	}

	// Slow but alive: 32 pieces 40 ms apart (1.3 s in all) with a 600 ms
	// stall timeout — the whole transfer outlasts the timeout, no gap comes
	// near it, even on a loaded CI machine.
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/all.zip") {
			http.NotFound(w, r)
			return
		}
		step := max(len(archive)/32, 1)
		for i := 0; i < len(archive); i += step {
			w.Write(archive[i:min(i+step, len(archive))])
			w.(http.Flusher).Flush()
			time.Sleep(40 * time.Millisecond)
		}
	}))
	defer slow.Close()
	o = opts(slow, dbPath)
	o.Ecosystems = []string{"PyPI"}
	o.StallTimeout = 600 * time.Millisecond
	if _, err := Update(context.Background(), o); err != nil {
		t.Fatalf("slow but alive mirror: %v", err)
	}
}
