package app

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log"
	"log/slog"
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

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// writeDB writes a one-record DB (id in npm/lodash) built at builtAt.
func writeDB(t *testing.T, p, id string, builtAt time.Time) {
	t.Helper()
	c := store.NewContents()
	c.Packages[store.PackageKey{Ecosystem: "npm", Name: "lodash"}] = []store.Entry{{ID: id, Affected: osv.Affected{
		Package: osv.Package{Ecosystem: "npm", Name: "lodash"},
		Ranges:  []osv.Range{{Type: osv.RangeSemver, Events: []osv.Event{{Introduced: "0"}, {Fixed: "4.17.21"}}}},
	}}}
	c.Vulns[id] = &osv.Vulnerability{ID: id}
	c.Meta.BuiltAt = builtAt
	if err := store.Write(context.Background(), p, c); err != nil {
		t.Fatal(err)
	}
}

// TestUpdateDBFallbacks: --db-repository locations are tried in order until
// one works, whatever their kind; each failure is a warning; when all fail
// the error names every location with its reason and the DB is untouched.
func TestUpdateDBFallbacks(t *testing.T) {
	mirror, _ := osvMirror(t)
	brokenMirror, brokenFlag := osvMirror(t)
	brokenFlag.Store(true)

	reg := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	defer reg.Close()
	host := strings.TrimPrefix(reg.URL, "http://")
	dir := t.TempDir()
	good, stale := "oci://"+host+"/trawl/db:1", "oci://"+host+"/trawl/db:stale"
	for ref, built := range map[string]time.Time{good: time.Now(), stale: time.Now().Add(-30 * 24 * time.Hour)} {
		p := filepath.Join(dir, "push.db")
		writeDB(t, p, "GHSA-OCI", built)
		if _, err := oci.Push(context.Background(), ref, p, oci.Options{Insecure: true}); err != nil {
			t.Fatal(err)
		}
	}
	missing := "oci://" + host + "/trawl/db:missing"
	closedOCI := "oci://" + closedPort(t) + "/trawl/db:1"
	closedHTTP := "http://" + closedPort(t)

	tests := []struct {
		name      string
		repos     []string
		wantID    string   // record the DB holds afterwards
		wantWarns []string // locations warned about, in order
		wantErr   []string // substrings of the error ("" none)
		wantAge   bool     // the error wraps an *oci.AgeError
	}{
		{name: "oci tag missing, then OSV mirror", repos: []string{missing, mirror.URL},
			wantID: "PYSEC-1", wantWarns: []string{missing}},
		{name: "oci unreachable, then oci", repos: []string{closedOCI, good},
			wantID: "GHSA-OCI", wantWarns: []string{closedOCI}},
		{name: "mirror unreachable, then oci", repos: []string{closedHTTP, good},
			wantID: "GHSA-OCI", wantWarns: []string{closedHTTP}},
		{name: "oci too old, then OSV mirror", repos: []string{stale, mirror.URL},
			wantID: "PYSEC-1", wantWarns: []string{stale}},
		{name: "first works", repos: []string{good, closedHTTP}, wantID: "GHSA-OCI"},
		{name: "all fail", repos: []string{closedOCI, brokenMirror.URL},
			wantID: "GHSA-BEFORE", wantWarns: []string{closedOCI, brokenMirror.URL},
			wantErr: []string{"all 2 locations failed: 1) " + closedOCI + ": ", "; 2) " + brokenMirror.URL + ": ", "500 Internal Server Error"}},
		{name: "all fail, one too old", repos: []string{stale, closedHTTP},
			wantID: "GHSA-BEFORE", wantWarns: []string{stale, closedHTTP},
			wantErr: []string{"1) " + stale + ": the DB at " + stale + " was built ", "older than --db-max-age 168h"}, wantAge: true},
		{name: "one location fails", repos: []string{closedOCI},
			wantID: "GHSA-BEFORE", wantWarns: []string{},
			wantErr: []string{"db update from " + closedOCI + ": "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "db", "trawl.db")
			os.MkdirAll(filepath.Dir(path), 0o755)
			writeDB(t, path, "GHSA-BEFORE", time.Now())
			before, _ := os.ReadFile(path)
			var logs bytes.Buffer
			o := DBOptions{
				Path: path, Repositories: tt.repos, Ecosystems: []string{"PyPI"}, Insecure: true,
				MaxAge: 7 * 24 * time.Hour, Logger: slog.New(slog.NewTextHandler(&logs, nil)),
			}
			_, err := UpdateDB(context.Background(), o)
			switch {
			case len(tt.wantErr) == 0 && err != nil:
				t.Fatalf("UpdateDB: %v", err)
			case len(tt.wantErr) > 0 && err == nil:
				t.Fatal("UpdateDB succeeded")
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if ae := (*oci.AgeError)(nil); errors.As(err, &ae) != tt.wantAge {
				t.Errorf("error %v: wraps an *oci.AgeError = %v, want %v", err, !tt.wantAge, tt.wantAge)
			}
			if err != nil {
				t.Log(err)
				if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
					t.Error("a failed update changed the DB")
				}
			}
			var warned []string
			for _, line := range strings.Split(logs.String(), "\n") {
				if strings.Contains(line, "level=WARN") && strings.Contains(line, `msg="vulnerability DB location failed"`) {
					_, rest, _ := strings.Cut(line, "location=")
					loc, _, _ := strings.Cut(rest, " ")
					warned = append(warned, loc)
				}
			}
			if strings.Join(warned, " ") != strings.Join(tt.wantWarns, " ") {
				t.Errorf("warned about %v, want %v\n%s", warned, tt.wantWarns, logs.String())
			}
			s, err := store.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if v, err := s.Details(tt.wantID); err != nil || v == nil {
				t.Errorf("the DB does not hold %s (%v)", tt.wantID, err)
			}
		})
	}
}
