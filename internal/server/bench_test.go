package server

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
)

// BenchmarkScanWarm measures detections per second of one server with a
// warm layer cache (the layer uploaded once), over loopback HTTP with
// GOMAXPROCS concurrent clients, and reports the server's peak heap.
//
//	go test ./internal/server -run '^$' -bench ScanWarm -benchtime 3s
func BenchmarkScanWarm(b *testing.B) {
	s := newTestServer(b, Config{})
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	c, err := NewClient(ClientOptions{URL: ts.URL})
	if err != nil {
		b.Fatal(err)
	}
	if err := c.PutLayer(b.Context(), testKey, testLayer()); err != nil {
		b.Fatal(err)
	}
	body := scanBody(b, testKey)
	var peak uint64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := http.Post(ts.URL+PathScan, "application/json", bytes.NewReader(body))
			if err != nil {
				b.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("scan: %d", resp.StatusCode)
				return
			}
		}
	})
	b.StopTimer()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	peak = m.HeapSys
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "scans/s")
	b.ReportMetric(float64(peak>>20), "heap-sys-MiB")
}
