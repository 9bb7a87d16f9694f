package update

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/vulndb/store"
)

func record(id, eco, name, fixed string) string {
	return fmt.Sprintf(`{"id": %q, "modified": "2099-01-01T00:00:00Z", "summary": "about %s",
 "affected": [{"package": {"ecosystem": %q, "name": %q},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": %q}]}]}]}`, id, id, eco, name, fixed)
}

func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// mirror is a static OSV-bucket-like HTTP server with ETags.
type mirror struct {
	mu        sync.Mutex
	files     map[string][]byte // URL path → content
	downloads atomic.Int32      // 200 answers for all.zip
	notMod    atomic.Int32      // 304 answers
	truncate  bool              // announce the full length, send half
}

func (m *mirror) set(path string, data []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.files[path] = data
}

func (m *mirror) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m.mu.Lock()
	data, ok := m.files[r.URL.Path]
	truncate := m.truncate
	m.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	sum := sha256.Sum256(data)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	if r.Header.Get("If-None-Match") == etag {
		m.notMod.Add(1)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", etag)
	if strings.HasSuffix(r.URL.Path, "/all.zip") {
		m.downloads.Add(1)
	}
	if truncate {
		w.Header().Set("Content-Length", fmt.Sprint(len(data)))
		w.Write(data[:len(data)/2])
		return
	}
	w.Write(data)
}

func newMirror(t *testing.T) (*mirror, *httptest.Server) {
	m := &mirror{files: map[string][]byte{}}
	m.set("/PyPI/all.zip", zipOf(t, map[string]string{
		"PYSEC-1.json": record("PYSEC-1", "PyPI", "foo-bar", "1.0"),
		"PYSEC-2.json": record("PYSEC-2", "PyPI", "Baz", "2.0"),
	}))
	m.set("/Rocky Linux/all.zip", zipOf(t, map[string]string{
		"RLSA-1.json": record("RLSA-1", "Rocky Linux:9", "openssl", "3.0.7-1.el9"),
	}))
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	return m, srv
}

func opts(srv *httptest.Server, dbPath string) Options {
	return Options{BaseURL: srv.URL, Ecosystems: []string{"PyPI", "Rocky Linux"}, DBPath: dbPath, HTTPClient: srv.Client()}
}

func lookup(t *testing.T, dbPath, eco, name string) []string {
	t.Helper()
	s, err := store.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	es, err := s.Affected(eco, name)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range es {
		ids = append(ids, e.ID)
	}
	return ids
}

func TestUpdateConditional(t *testing.T) {
	m, srv := newMirror(t)
	db := filepath.Join(t.TempDir(), "db", "trawl.db")
	var progress bytes.Buffer
	o := opts(srv, db)
	o.Progress = &progress
	res, err := Update(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Rebuilt || !cmp.Equal(res.Downloaded, []string{"PyPI", "Rocky Linux"}) || res.Bytes == 0 {
		t.Errorf("first update: %+v", res)
	}
	if progress.Len() == 0 {
		t.Error("no progress written")
	}
	if got := lookup(t, db, "PyPI", "Foo_Bar"); !cmp.Equal(got, []string{"PYSEC-1"}) {
		t.Errorf("PyPI/foo-bar = %v", got)
	}
	if got := lookup(t, db, "Rocky Linux:9", "openssl"); !cmp.Equal(got, []string{"RLSA-1"}) {
		t.Errorf("Rocky Linux:9/openssl = %v", got)
	}
	s, _ := store.Open(db)
	meta := s.Metadata()
	s.Close()
	if len(meta.Sources) != 2 || meta.Sources[0].Origin != srv.URL+"/PyPI/all.zip" || len(meta.Sources[0].SHA256) != 64 ||
		meta.Sources[1].Origin != srv.URL+"/Rocky%20Linux/all.zip" || meta.Sources[0].Kept != 2 {
		t.Errorf("sources: %+v", meta.Sources)
	}
	if m.downloads.Load() != 2 {
		t.Fatalf("downloads = %d", m.downloads.Load())
	}

	// Second update: the mirror answers 304, nothing is downloaded or rebuilt.
	before, _ := os.ReadFile(db)
	res, err = Update(context.Background(), opts(srv, db))
	if err != nil {
		t.Fatal(err)
	}
	if res.Rebuilt || len(res.Downloaded) != 0 || len(res.NotModified) != 2 || res.Bytes != 0 {
		t.Errorf("second update: %+v", res)
	}
	if m.downloads.Load() != 2 || m.notMod.Load() != 2 {
		t.Errorf("second update: downloads %d, 304s %d", m.downloads.Load(), m.notMod.Load())
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(before, after) {
		t.Error("database rewritten although nothing changed")
	}

	// One archive changes: only it is downloaded; the DB is rebuilt from both.
	m.set("/PyPI/all.zip", zipOf(t, map[string]string{"PYSEC-3.json": record("PYSEC-3", "PyPI", "foo-bar", "3.0")}))
	res, err = Update(context.Background(), opts(srv, db))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Rebuilt || !cmp.Equal(res.Downloaded, []string{"PyPI"}) || !cmp.Equal(res.NotModified, []string{"Rocky Linux"}) {
		t.Errorf("third update: %+v", res)
	}
	if got := lookup(t, db, "PyPI", "foo-bar"); !cmp.Equal(got, []string{"PYSEC-3"}) {
		t.Errorf("after change PyPI/foo-bar = %v", got)
	}
	if got := lookup(t, db, "Rocky Linux:9", "openssl"); !cmp.Equal(got, []string{"RLSA-1"}) {
		t.Errorf("after change Rocky = %v", got)
	}

	// A removed database is rebuilt from the cache without downloading.
	os.Remove(db)
	n := m.downloads.Load()
	res, err = Update(context.Background(), opts(srv, db))
	if err != nil || !res.Rebuilt || m.downloads.Load() != n {
		t.Errorf("rebuild from cache: %+v, %v, downloads %d→%d", res, err, n, m.downloads.Load())
	}
}

// failingUpdate checks that an update failing with wantErr leaves the
// previous database unchanged and readable.
func failingUpdate(t *testing.T, breakMirror func(m *mirror), wantErr string, wantIs error) {
	t.Helper()
	m, srv := newMirror(t)
	db := filepath.Join(t.TempDir(), "trawl.db")
	if _, err := Update(context.Background(), opts(srv, db)); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(db)
	breakMirror(m)
	_, err := Update(context.Background(), opts(srv, db))
	if err == nil || !strings.Contains(err.Error(), wantErr) || (wantIs != nil && !errors.Is(err, wantIs)) {
		t.Fatalf("Update = %v, want error containing %q", err, wantErr)
	}
	after, _ := os.ReadFile(db)
	if !bytes.Equal(before, after) {
		t.Fatal("database changed by a failed update")
	}
	if got := lookup(t, db, "PyPI", "foo-bar"); !cmp.Equal(got, []string{"PYSEC-1"}) {
		t.Errorf("old database lookup = %v", got)
	}
	// The cached archive is still the good one: a later update with a fixed
	// mirror works.
	m.mu.Lock()
	m.truncate = false
	delete(m.files, "/PyPI/all.zip.sha256")
	m.files["/PyPI/all.zip"] = zipOf(t, map[string]string{"PYSEC-1.json": record("PYSEC-1", "PyPI", "foo-bar", "1.0")})
	m.mu.Unlock()
	if _, err := Update(context.Background(), opts(srv, db)); err != nil {
		t.Errorf("update after repair: %v", err)
	}
}

func TestUpdateTruncatedZip(t *testing.T) {
	failingUpdate(t, func(m *mirror) {
		data := zipOf(t, map[string]string{"PYSEC-9.json": record("PYSEC-9", "PyPI", "x", "1")})
		m.set("/PyPI/all.zip", data[:len(data)-30]) // complete transfer of a cut archive
	}, "zip", nil)
}

func TestUpdateTruncatedTransfer(t *testing.T) {
	failingUpdate(t, func(m *mirror) {
		m.set("/PyPI/all.zip", zipOf(t, map[string]string{"PYSEC-9.json": record("PYSEC-9", "PyPI", "x", "1")}))
		m.mu.Lock()
		m.truncate = true
		m.mu.Unlock()
	}, "PyPI/all.zip", nil)
}

func TestUpdateWrongDigest(t *testing.T) {
	failingUpdate(t, func(m *mirror) {
		m.set("/PyPI/all.zip", zipOf(t, map[string]string{"PYSEC-9.json": record("PYSEC-9", "PyPI", "x", "1")}))
		m.set("/PyPI/all.zip.sha256", []byte(strings.Repeat("ab", 32)+"  all.zip\n"))
	}, "digest mismatch", ErrDigest)
}

func TestUpdateRightDigest(t *testing.T) {
	m, srv := newMirror(t)
	data := zipOf(t, map[string]string{"PYSEC-9.json": record("PYSEC-9", "PyPI", "x", "1")})
	sum := sha256.Sum256(data)
	m.set("/PyPI/all.zip", data)
	m.set("/PyPI/all.zip.sha256", []byte(strings.ToUpper(hex.EncodeToString(sum[:]))+"  all.zip\n"))
	db := filepath.Join(t.TempDir(), "trawl.db")
	if _, err := Update(context.Background(), opts(srv, db)); err != nil {
		t.Fatal(err)
	}
	if got := lookup(t, db, "PyPI", "x"); !cmp.Equal(got, []string{"PYSEC-9"}) {
		t.Errorf("lookup = %v", got)
	}
}

func TestUpdateMissingAndHTTPError(t *testing.T) {
	m, srv := newMirror(t)
	o := opts(srv, filepath.Join(t.TempDir(), "trawl.db"))
	o.Ecosystems = []string{"PyPI", "NoSuch"}
	res, err := Update(context.Background(), o)
	if err != nil || !cmp.Equal(res.Missing, []string{"NoSuch"}) || !res.Rebuilt {
		t.Fatalf("Update with one missing archive = %+v, %v", res, err)
	}
	before, _ := os.ReadFile(o.DBPath)
	o.Ecosystems = []string{"NoSuch"}
	if _, err := Update(context.Background(), o); err == nil || !strings.Contains(err.Error(), "none of the requested") {
		t.Fatalf("Update with only missing archives = %v", err)
	}
	// A server error fails the update and keeps the database.
	m.set("/PyPI/all.zip", []byte("x"))
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	})
	o.Ecosystems = []string{"PyPI"}
	if _, err := Update(context.Background(), o); err == nil || !strings.Contains(err.Error(), "500") {
		t.Fatalf("Update against a failing mirror = %v", err)
	}
	if after, _ := os.ReadFile(o.DBPath); !bytes.Equal(before, after) {
		t.Error("database changed by a failed update")
	}
}

// TestUpdateConcurrentReaders runs lookups on the open database while
// updates replace it: readers never fail, and a new Open sees new data.
func TestUpdateConcurrentReaders(t *testing.T) {
	m, srv := newMirror(t)
	db := filepath.Join(t.TempDir(), "trawl.db")
	if _, err := Update(context.Background(), opts(srv, db)); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var lookups atomic.Int64
	errs := make(chan error, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				es, err := s.Affected("PyPI", "foo-bar")
				if err != nil || len(es) != 1 || es[0].ID != "PYSEC-1" {
					errs <- fmt.Errorf("lookup during update: %v, %v", es, err)
					return
				}
				// A scan starting now opens whatever database is current.
				s2, err := store.Open(db)
				if err != nil {
					errs <- fmt.Errorf("open during update: %w", err)
					return
				}
				if _, err := s2.Affected("PyPI", "foo-bar"); err != nil {
					errs <- err
				}
				s2.Close()
				lookups.Add(1)
			}
		}()
	}
	for i := range 3 {
		m.set("/PyPI/all.zip", zipOf(t, map[string]string{
			"PYSEC-1.json":                     record("PYSEC-1", "PyPI", "foo-bar", "1.0"),
			fmt.Sprintf("PYSEC-%d.json", 10+i): record(fmt.Sprintf("PYSEC-%d", 10+i), "PyPI", "new", "1.0"),
		}))
		if res, err := Update(context.Background(), opts(srv, db)); err != nil || !res.Rebuilt {
			t.Fatalf("update %d: %+v, %v", i, res, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if lookups.Load() == 0 {
		t.Error("no lookups ran")
	}
	if got := lookup(t, db, "PyPI", "new"); !cmp.Equal(got, []string{"PYSEC-12"}) {
		t.Errorf("after updates: %v", got)
	}
	// The handle opened before the updates still reads its (old) file.
	if es, err := s.Affected("PyPI", "new"); err != nil || es != nil {
		t.Errorf("old handle: %v, %v", es, err)
	}
}

func TestStale(t *testing.T) {
	_, srv := newMirror(t)
	db := filepath.Join(t.TempDir(), "trawl.db")
	if stale, err := Stale(db, time.Hour, time.Now()); !stale || err != nil {
		t.Errorf("missing db: %v, %v", stale, err)
	}
	if _, err := Update(context.Background(), opts(srv, db)); err != nil {
		t.Fatal(err)
	}
	if stale, err := Stale(db, time.Hour, time.Now()); stale || err != nil {
		t.Errorf("fresh db: %v, %v", stale, err)
	}
	if stale, err := Stale(db, time.Hour, time.Now().Add(2*time.Hour)); !stale || err != nil {
		t.Errorf("old db: %v, %v", stale, err)
	}
	os.WriteFile(db, []byte("garbage"), 0o644)
	if stale, err := Stale(db, time.Hour, time.Now()); !stale || err == nil {
		t.Errorf("broken db: %v, %v", stale, err)
	}
}
