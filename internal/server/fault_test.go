package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/app"
	"github.com/trawlsec/trawl/internal/cache"
	"github.com/trawlsec/trawl/pkg/inventory"
	"github.com/trawlsec/trawl/pkg/model"
)

// lossyCache is a layer cache that loses what it is given, as a Redis
// server that is down (writes dropped) or restarts empty (forget).
type lossyCache struct {
	mu   sync.Mutex
	m    *cache.Memory
	drop bool // Put is a silent no-op
}

func newLossy(drop bool) *lossyCache { return &lossyCache{m: cache.NewMemory(), drop: drop} }

func (c *lossyCache) mem() *cache.Memory {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m
}

func (c *lossyCache) Get(ctx context.Context, key string) (*analyze.LayerResult, bool, error) {
	return c.mem().Get(ctx, key)
}

func (c *lossyCache) Put(ctx context.Context, key string, r *analyze.LayerResult) error {
	if c.drop {
		return nil
	}
	return c.mem().Put(ctx, key, r)
}

func (c *lossyCache) Close() error { return nil }

// forget empties the cache (a restart).
func (c *lossyCache) forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m = cache.NewMemory()
}

// twoLayerScan is a scan request naming keys k1 and k2 in that order.
func twoLayerScan(tb testing.TB, k1, k2 string) []byte {
	tb.Helper()
	var req ScanRequest
	if err := json.Unmarshal(scanBody(tb, k1), &req); err != nil {
		tb.Fatal(err)
	}
	req.Layers = append(req.Layers, app.LayerRef{Key: k2, Layer: model.Layer{DiffID: "sha256:" + strings.Repeat("ef", 32)}})
	b, err := json.Marshal(req)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

var otherKey = "sha256:" + strings.Repeat("12", 32)

// TestCacheFaults: a scan is served from the recent layers when the
// layer cache dropped the upload or lost it, and without them is a 422
// naming every missing layer — never a report of the layers found.
func TestCacheFaults(t *testing.T) {
	secondLayer, err := inventory.EncodeLayer(&analyze.LayerResult{Files: []string{"etc/motd"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name        string
		recent      int64
		drop        bool // the cache drops writes (Redis down)
		forget      bool // the cache is emptied after the uploads (Redis restarted)
		upload      []string
		code        int
		wantMissing []string
	}{
		{"writes dropped", 0, true, false, []string{testKey, otherKey}, 200, nil},
		{"cache restarted", 0, false, true, []string{testKey, otherKey}, 200, nil},
		{"writes dropped, no recent layers", -1, true, false, []string{testKey, otherKey}, 422, []string{testKey, otherKey}},
		{"cache restarted, no recent layers", -1, false, true, []string{testKey, otherKey}, 422, []string{testKey, otherKey}},
		{"one layer never uploaded", 0, false, false, []string{otherKey}, 422, []string{testKey}},
		{"recent layers too small to hold one", 10, true, false, []string{testKey, otherKey}, 422, []string{testKey, otherKey}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newLossy(tc.drop)
			h := newTestServer(t, Config{Cache: c, RecentBytes: tc.recent}).Handler()
			for _, k := range tc.upload {
				body := layerBody(t)
				if k == otherKey {
					body = secondLayer
				}
				if rec := do(h, "PUT", PathLayer+k, body); rec.Code != http.StatusNoContent {
					t.Fatalf("put %s: %d %s", k, rec.Code, rec.Body)
				}
			}
			if tc.forget {
				c.forget()
			}
			rec := do(h, "POST", PathScan, twoLayerScan(t, testKey, otherKey))
			if rec.Code != tc.code {
				t.Fatalf("scan: %d %.300s, want %d", rec.Code, rec.Body, tc.code)
			}
			if tc.code == 200 {
				if !strings.Contains(rec.Body.String(), "ALPINE-CVE-2099-0001") {
					t.Errorf("report lacks the first layer's vulnerability: %.300s", rec.Body)
				}
				return
			}
			var e ErrorResponse
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
				t.Fatalf("422 body %q: %v", rec.Body, err)
			}
			if strings.Join(e.Missing, ",") != strings.Join(tc.wantMissing, ",") || !strings.Contains(e.Error, "not in the cache") {
				t.Errorf("422 %+v, want missing %v", e, tc.wantMissing)
			}
			if strings.Contains(rec.Body.String(), "Results") {
				t.Errorf("a 422 carries a report: %s", rec.Body)
			}
		})
	}
}

// TestRecentWritesBack: a layer the cache lost but the recent layers
// hold is written back to the cache when read.
func TestRecentWritesBack(t *testing.T) {
	c := newLossy(false)
	h := newTestServer(t, Config{Cache: c}).Handler()
	if rec := do(h, "PUT", PathLayer+testKey, layerBody(t)); rec.Code != http.StatusNoContent {
		t.Fatalf("put: %d", rec.Code)
	}
	c.forget()
	if rec := do(h, "POST", PathMissing, []byte(`{"keys":["`+testKey+`"]}`)); !strings.Contains(rec.Body.String(), `"missing":[]`) {
		t.Fatalf("missing: %d %s", rec.Code, rec.Body)
	}
	if _, ok, _ := c.mem().Get(context.Background(), testKey); !ok {
		t.Error("the layer was not written back to the cache")
	}
}

// TestRecentBounded: the recent layers keep at most their byte bound,
// dropping the least recently used.
func TestRecentBounded(t *testing.T) {
	one, _ := inventory.EncodeLayer(testLayer())
	c := newLossy(true)
	r := newRecent(c, int64(2*len(one)))
	ctx := context.Background()
	keys := []string{"sha256:" + strings.Repeat("01", 32), "sha256:" + strings.Repeat("02", 32), "sha256:" + strings.Repeat("03", 32)}
	r.Put(ctx, keys[0], testLayer())
	r.Put(ctx, keys[1], testLayer())
	r.Get(ctx, keys[0]) // used: keys[1] is now the oldest
	r.Put(ctx, keys[2], testLayer())
	for i, want := range []bool{true, false, true} {
		if _, ok, _ := r.Get(ctx, keys[i]); ok != want {
			t.Errorf("key %d held = %v, want %v", i, ok, want)
		}
	}
	if r.size > r.max {
		t.Errorf("size %d over the bound %d", r.size, r.max)
	}
}

// TestPutKeepsFirst: an upload under a key the server holds does not
// replace the result other scans read.
func TestPutKeepsFirst(t *testing.T) {
	h := newTestServer(t, Config{}).Handler()
	clean, err := inventory.EncodeLayer(&analyze.LayerResult{Result: inventory.Result{
		OS: &inventory.OSInfo{OS: model.OS{Family: model.FamilyAlpine, Name: "3.19.1"}, Priority: 1},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, body := range [][]byte{layerBody(t), clean} {
		if rec := do(h, "PUT", PathLayer+testKey, body); rec.Code != http.StatusNoContent {
			t.Fatalf("put: %d %s", rec.Code, rec.Body)
		}
	}
	if rec := do(h, "POST", PathScan, scanBody(t, testKey)); rec.Code != 200 || !strings.Contains(rec.Body.String(), "ALPINE-CVE-2099-0001") {
		t.Errorf("the second upload replaced the first: %d %.300s", rec.Code, rec.Body)
	}
}

// TestClientMissingError: the client's error for a 422 naming layers is
// app.ErrLayerMissing (the scan analyses them again), and the client no
// longer reports those layers present.
func TestClientMissingError(t *testing.T) {
	c := newLossy(false)
	s := newTestServer(t, Config{Cache: c, RecentBytes: -1})
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	cl, err := NewClient(ClientOptions{URL: ts.URL, Backoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := cl.PutLayer(ctx, testKey, testLayer()); err != nil {
		t.Fatal(err)
	}
	if err := cl.Expect(ctx, []string{testKey}); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := cl.LayerCache().Get(ctx, testKey); !ok {
		t.Fatal("the uploaded layer is not present")
	}
	c.forget()
	o := &app.Options{Target: app.TargetImage, Scanners: []string{app.ScannerVuln}, PkgTypes: []string{"os"}}
	a := &app.Analysis{Report: &model.Report{SchemaVersion: 2, ArtifactName: "app"},
		Layers: []app.LayerRef{{Key: testKey, Layer: model.Layer{DiffID: "sha256:" + strings.Repeat("cd", 32)}}}}
	_, err = cl.Detect(ctx, o, a)
	if !errors.Is(err, app.ErrLayerMissing) || !strings.Contains(err.Error(), "422") {
		t.Fatalf("scan: %v, want a 422 that is app.ErrLayerMissing", err)
	}
	if _, ok, _ := cl.LayerCache().Get(ctx, testKey); ok {
		t.Error("the lost layer is still reported present")
	}
}
