package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/app"
	"github.com/trawlsec/trawl/internal/cache"
	"github.com/trawlsec/trawl/internal/vulndb/build"
	"github.com/trawlsec/trawl/pkg/inventory"
	"github.com/trawlsec/trawl/pkg/model"
)

// testDB builds a DB with one advisory for musl on Alpine 3.19.
func testDB(tb testing.TB) string {
	tb.Helper()
	dir := tb.TempDir()
	doc := `{"id": "ALPINE-CVE-2099-0001", "modified": "2099-01-01T00:00:00Z",
 "affected": [{"package": {"ecosystem": "Alpine:v3.19", "name": "musl"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2.4-r3"}]}]}]}`
	if err := os.WriteFile(filepath.Join(dir, "a.json"), []byte(doc), 0o644); err != nil {
		tb.Fatal(err)
	}
	p := filepath.Join(dir, "trawl.db")
	if _, err := build.Build(context.Background(), []string{dir}, p, nil); err != nil {
		tb.Fatal(err)
	}
	return p
}

// testLayer is an Alpine layer with musl installed.
func testLayer() *analyze.LayerResult {
	return &analyze.LayerResult{Result: inventory.Result{
		OS: &inventory.OSInfo{OS: model.OS{Family: model.FamilyAlpine, Name: "3.19.1"}, Priority: 1},
		OSPackages: []inventory.PackageSet{{Type: model.TypeApk, FilePath: "lib/apk/db/installed",
			Packages: inventory.Packages{{Name: "musl", Version: "1.2.4-r2", SrcName: "musl", SrcVersion: "1.2.4-r2"}}}},
	}, Files: []string{"etc/os-release", "lib/apk/db/installed"}}
}

var testKey = "sha256:" + strings.Repeat("ab", 32)

func newTestServer(tb testing.TB, cfg Config) *Server {
	tb.Helper()
	if cfg.Cache == nil {
		cfg.Cache = cache.NewMemory()
	}
	if cfg.DB.Path == "" {
		cfg.DB.Path = testDB(tb)
	}
	return New(cfg)
}

func layerBody(tb testing.TB) []byte {
	tb.Helper()
	b, err := inventory.EncodeLayer(testLayer())
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func scanBody(tb testing.TB, key string) []byte {
	tb.Helper()
	parts, _ := inventory.EncodeInventory(&inventory.Inventory{})
	b, err := json.Marshal(ScanRequest{
		Schema:      SchemaScan,
		Artifact:    model.Report{SchemaVersion: 2, ArtifactName: "example.com/app:1.0", ArtifactType: model.ArtifactContainerImage, CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)},
		Layers:      []app.LayerRef{{Key: key, Layer: model.Layer{DiffID: "sha256:" + strings.Repeat("cd", 32)}}},
		ConfigParts: parts,
		Options:     ScanOptions{Target: app.TargetImage, Scanners: []string{"vuln"}, PkgTypes: []string{"os", "library"}},
	})
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func do(h http.Handler, method, path string, body []byte, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestEndpoints: the status codes of each endpoint for good and bad input.
func TestEndpoints(t *testing.T) {
	s := newTestServer(t, Config{MaxBodySize: 4096})
	h := s.Handler()
	wrongSchema := bytes.Replace(layerBody(t), []byte("trawl.inventory.layer/1"), []byte("trawl.inventory.layer/99"), 1)
	for _, tc := range []struct {
		name, method, path string
		body               []byte
		code               int
		want               string
	}{
		{"missing before upload", "POST", PathMissing, []byte(`{"keys":["` + testKey + `"]}`), 200, testKey},
		{"missing: bad key", "POST", PathMissing, []byte(`{"keys":["../etc"]}`), 400, "not sha256"},
		{"missing: malformed", "POST", PathMissing, []byte(`{"keys":`), 400, "decoding"},
		{"scan before upload", "POST", PathScan, scanBody(t, testKey), 422, "not in the cache"},
		{"put: bad key", "PUT", PathLayer + "sha256:xyz", layerBody(t), 400, "not sha256"},
		{"put: oversize", "PUT", PathLayer + testKey, bytes.Repeat([]byte(" "), 5000), 413, "over 4096 bytes"},
		{"put: malformed", "PUT", PathLayer + testKey, []byte(`{"schema":`), 400, "layer"},
		{"put: wrong schema", "PUT", PathLayer + testKey, wrongSchema, 400, "unsupported schema"},
		{"put: not JSON", "PUT", PathLayer + testKey, []byte("\x00\x01"), 400, "layer"},
		{"put", "PUT", PathLayer + testKey, layerBody(t), 204, ""},
		{"missing after upload", "POST", PathMissing, []byte(`{"keys":["` + testKey + `"]}`), 200, `"missing":[]`},
		{"scan", "POST", PathScan, scanBody(t, testKey), 200, "ALPINE-CVE-2099-0001"},
		{"scan: malformed", "POST", PathScan, []byte(`{"schema": 3`), 400, "decoding"},
		{"scan: wrong schema", "POST", PathScan, bytes.Replace(scanBody(t, testKey), []byte(SchemaScan), []byte("trawl.scan/9"), 1), 400, "unsupported request schema"},
		{"scan: oversize", "POST", PathScan, bytes.Repeat([]byte(" "), 5000), 413, "over 4096"},
		{"scan: neither layers nor inventory", "POST", PathScan, []byte(`{"schema":"trawl.scan/1","options":{"Target":"fs"}}`), 400, "either layers or an inventory"},
		{"healthz", "GET", PathHealth, nil, 200, "ok"},
		{"version", "GET", PathVersion, nil, 200, "Version"},
		{"metrics", "GET", PathMetrics, nil, 200, `trawl_server_requests_total{code="413",endpoint="layer"} 1`},
		{"unknown", "GET", "/v2/scan", nil, 404, "no such endpoint"},
		{"wrong method", "GET", PathScan, nil, 404, "no such endpoint: GET /v1/scan"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(h, tc.method, tc.path, tc.body)
			if rec.Code != tc.code || !strings.Contains(rec.Body.String(), tc.want) {
				t.Errorf("%s %s: %d %q, want %d with %q", tc.method, tc.path, rec.Code, rec.Body.String(), tc.code, tc.want)
			}
			if rec.Code >= 400 && strings.Count(strings.TrimSpace(rec.Body.String()), "\n") != 0 {
				t.Errorf("error body is not one line: %q", rec.Body.String())
			}
		})
	}
}

// TestToken: /v1/ needs the token in its header; health and version do not.
func TestToken(t *testing.T) {
	h := newTestServer(t, Config{Token: "s3cret", TokenHeader: "X-Token"}).Handler()
	body := []byte(`{"keys":[]}`)
	for _, tc := range []struct {
		name   string
		path   string
		header []string
		code   int
	}{
		{"none", PathMissing, nil, 401},
		{"wrong", PathMissing, []string{"X-Token", "guess"}, 401},
		{"other header", PathMissing, []string{DefaultTokenHeader, "s3cret"}, 401},
		{"right", PathMissing, []string{"X-Token", "s3cret"}, 200},
	} {
		rec := do(h, "POST", tc.path, body, tc.header...)
		if rec.Code != tc.code {
			t.Errorf("%s: %d %s, want %d", tc.name, rec.Code, rec.Body, tc.code)
		}
		if tc.code == 401 && strings.TrimSpace(rec.Body.String()) != `{"error":"invalid token (header X-Token)"}` {
			t.Errorf("%s: body %q", tc.name, rec.Body)
		}
	}
	if rec := do(h, "GET", PathHealth, nil); rec.Code != 200 {
		t.Errorf("healthz without token: %d", rec.Code)
	}
}

// TestClientRetries: transient answers (503, 502) are retried, with a
// bound; others (400) are not.
func TestClientRetries(t *testing.T) {
	for _, tc := range []struct {
		name     string
		codes    []int // answers, in order; then 200
		attempts int
		wantErr  string
		wantHits int
	}{
		{"503 then ok", []int{503, 502}, 5, "", 3},
		{"always 503", []int{503, 503, 503, 503}, 3, "503", 3},
		{"400 not retried", []int{400}, 5, "400", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			hits := 0
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				i := hits
				hits++
				mu.Unlock()
				if i < len(tc.codes) {
					writeError(w, tc.codes[i], "busy")
					return
				}
				writeJSON(w, 200, MissingResponse{Missing: []string{}})
			}))
			defer ts.Close()
			c, err := NewClient(ClientOptions{URL: ts.URL, Attempts: tc.attempts, Backoff: time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Missing(context.Background(), []string{testKey})
			if (err == nil) != (tc.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("err = %v, want %q", err, tc.wantErr)
			}
			if hits != tc.wantHits {
				t.Errorf("%d requests, want %d", hits, tc.wantHits)
			}
		})
	}
	// Connection refused: retried up to the bound, then one error line.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	c, _ := NewClient(ClientOptions{URL: "http://" + addr, Attempts: 2, Backoff: time.Millisecond})
	if _, err := c.Missing(context.Background(), []string{testKey}); err == nil || !strings.Contains(err.Error(), "refused") {
		t.Errorf("connection refused: err = %v", err)
	}
}

// TestGracefulShutdown: cancelling Serve's context lets a scan in flight
// finish (200) and refuses new connections.
func TestGracefulShutdown(t *testing.T) {
	s := newTestServer(t, Config{})
	if rec := do(s.Handler(), "PUT", PathLayer+testKey, layerBody(t)); rec.Code != 204 {
		t.Fatalf("put: %d %s", rec.Code, rec.Body)
	}
	entered, release := make(chan struct{}), make(chan struct{})
	s.beforeScan = func() { close(entered); <-release }
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln, "", "") }()
	url := "http://" + ln.Addr().String()

	type result struct {
		code int
		body string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		resp, err := http.Post(url+PathScan, "application/json", bytes.NewReader(scanBody(t, testKey)))
		if err != nil {
			done <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		done <- result{code: resp.StatusCode, body: string(b)}
	}()
	<-entered
	cancel() // SIGTERM
	// Shutdown closes the listener first: new connections are refused.
	for {
		conn, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			break
		}
		conn.Close()
		time.Sleep(time.Millisecond) // Shutdown has not closed the listener yet
	}
	close(release)
	r := <-done
	if r.err != nil || r.code != 200 || !strings.Contains(r.body, "ALPINE-CVE-2099-0001") {
		t.Errorf("scan in flight: %d %.200s %v; want 200 with its report", r.code, r.body, r.err)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve: %v", err)
	}
}

// TestConcurrentScans: concurrent uploads and scans of one server (run
// with -race).
func TestConcurrentScans(t *testing.T) {
	h := newTestServer(t, Config{}).Handler()
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			key := fmt.Sprintf("sha256:%064x", i%4)
			if rec := do(h, "PUT", PathLayer+key, layerBody(t)); rec.Code != 204 {
				t.Errorf("put: %d", rec.Code)
			}
			if rec := do(h, "POST", PathScan, scanBody(t, key)); rec.Code != 200 || !strings.Contains(rec.Body.String(), "ALPINE-CVE-2099-0001") {
				t.Errorf("scan: %d %.200s", rec.Code, rec.Body)
			}
		})
	}
	wg.Wait()
}
