package app

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/trawlsec/trawl/internal/vulndb/store"
)

// osvMirror serves <base>/PyPI/all.zip holding one record, with an ETag
// (so that a second update is answered 304 Not Modified); broken makes
// every answer a 500.
func osvMirror(t *testing.T) (*httptest.Server, *atomic.Bool) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("PYSEC-1.json")
	w.Write([]byte(`{"id": "PYSEC-1", "modified": "2099-01-01T00:00:00Z", "summary": "x",
 "affected": [{"package": {"ecosystem": "PyPI", "name": "foo"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.0"}]}]}]}`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	archive := buf.Bytes()
	var broken atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case broken.Load():
			http.Error(w, "broken", http.StatusInternalServerError)
		case r.URL.Path != "/PyPI/all.zip":
			http.NotFound(w, r)
		case r.Header.Get("If-None-Match") == `"v1"`:
			w.WriteHeader(http.StatusNotModified)
		default:
			w.Header().Set("ETag", `"v1"`)
			w.Write(archive)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &broken
}

// TestOpenDBDamaged: a DB truncated to 8 KiB (which crashed scans with
// SIGSEGV) is rebuilt from the mirror when updates are allowed (the
// mirror answers 304: the archive is unchanged, only the DB is damaged);
// with updates off, or when the update fails, the scan fails with one line
// naming the file.
func TestOpenDBDamaged(t *testing.T) {
	tests := []struct {
		name          string
		skip, offline bool
		mirrorBroken  bool
		wantErr       string // "" = the DB is rebuilt and opens
	}{
		{name: "updates allowed"},
		{name: "--skip-db-update", skip: true, wantErr: "is damaged: "},
		{name: "--offline-scan", offline: true, wantErr: "is damaged: "},
		{name: "update fails", mirrorBroken: true, wantErr: "is damaged (the file is 8192 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, broken := osvMirror(t)
			var log bytes.Buffer
			o := DBOptions{
				Path: filepath.Join(t.TempDir(), "db", "trawl.db"), Repositories: []string{srv.URL}, Ecosystems: []string{"PyPI"},
				MaxAge: 24 * time.Hour, Logger: slog.New(slog.NewTextHandler(&log, nil)),
			}
			ctx := context.Background()
			if _, err := UpdateDB(ctx, o); err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(o.Path, 8192); err != nil {
				t.Fatal(err)
			}
			o.SkipUpdate, o.Offline = tt.skip, tt.offline
			broken.Store(tt.mirrorBroken)

			s, err := openDB(ctx, o, time.Now(), []string{"PyPI"})
			if tt.wantErr != "" {
				if err == nil {
					s.Close()
					t.Fatal("openDB succeeded")
				}
				msg := err.Error()
				if !strings.Contains(msg, tt.wantErr) || !strings.Contains(msg, o.Path) || strings.Contains(msg, "\n") {
					t.Errorf("openDB = %q, want one line naming %s and containing %q", msg, o.Path, tt.wantErr)
				}
				if !errors.Is(err, store.ErrDamaged) && !tt.mirrorBroken {
					t.Errorf("openDB = %v, want ErrDamaged", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("openDB: %v", err)
			}
			defer s.Close()
			if es, err := s.Affected("PyPI", "foo"); err != nil || len(es) != 1 {
				t.Errorf("rebuilt DB: Affected = %v, %v", es, err)
			}
			// Rebuilt from the cached archive: the mirror said 304.
			if l := log.String(); !strings.Contains(l, "damaged") || !strings.Contains(l, "downloaded 0 archive(s)") || !strings.Contains(l, "rebuilt=true") {
				t.Errorf("no warning about the damaged DB, or not rebuilt from the cached archive: %q", l)
			}
		})
	}
}
