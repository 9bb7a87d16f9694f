package app

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/trawlsec/trawl/internal/cache"
)

// BenchmarkScanRepository: `trawl registry scan` of a repository of 100
// and 1,000 tags (in-process registry on loopback) sharing an Alpine-like base layer,
// each with its own small layer, with the secret scanner: one run scans every
// tag. Reports tags/s, the heap the in-process registry holds before the
// run, and the peak heap in use during it (docs/benchmarks.md).
//
//	go test ./internal/app -run '^$' -bench ScanRepository -benchtime 1x
func BenchmarkScanRepository(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprintf("tags=%d", n), func(b *testing.B) { benchScanRepository(b, n) })
	}
}

func benchScanRepository(b *testing.B, n int) {
	tags := make([]string, n)
	for i := range tags {
		tags[i] = fmt.Sprintf("1.%d", i)
	}
	now := time.Date(2026, 5, 10, 12, 0, 0, 0, time.UTC)
	repo, _ := pushTags(b, tags, now)
	// The in-process registry holds every image in this process's heap:
	// measure it first, and report the scan's peak above it.
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peak.Load() {
					peak.Store(ms.HeapInuse)
				}
			}
		}
	}()
	b.ResetTimer()
	for b.Loop() {
		code, err := ScanRepository(context.Background(), Options{
			Insecure: true, CacheDir: b.TempDir(), Format: "json", Scanners: []string{ScannerSecret},
			PkgTypes: []string{"os", "library"}, LayerCache: cache.NewMemory(), Stdout: io.Discard, Now: func() time.Time { return now },
		}, RepositoryOptions{Repository: repo})
		if err != nil || code != 0 {
			b.Fatalf("exit %d: %v", code, err)
		}
	}
	close(stop)
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "tags/s")
	b.ReportMetric(float64(before.HeapInuse)/(1<<20), "registry-heap-MiB")
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
}
