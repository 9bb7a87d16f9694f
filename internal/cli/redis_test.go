package cli

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/trawlsec/trawl/internal/cache"
	"github.com/trawlsec/trawl/internal/testutil/redistest"
)

var volatile = regexp.MustCompile(`"(CreatedAt|ReportID)": "[^"]*",?\n`)

// TestRedisCacheBackend: two image scans with --cache-backend redis://…
// give the same JSON report, the first writes one key per layer and the
// second reads it (Redis counts the hit); with the server killed the scan
// still succeeds with the same report and one warning; clean --scan-cache
// removes trawl's keys.
func TestRedisCacheBackend(t *testing.T) {
	srv := redistest.Start(t)
	raw := redis.NewClient(&redis.Options{Addr: srv.Addr(), Protocol: 2, DisableIdentity: true})
	defer raw.Close()
	ctx := context.Background()
	keys := func() int {
		t.Helper()
		k, err := raw.Keys(ctx, cache.RedisPrefix+"*").Result()
		if err != nil {
			t.Fatal(err)
		}
		return len(k)
	}
	hits := func() string {
		t.Helper()
		info, err := raw.Info(ctx, "stats").Result()
		if err != nil {
			t.Fatal(err)
		}
		return regexp.MustCompile(`keyspace_hits:(\d+)`).FindStringSubmatch(info)[1]
	}
	archive := writeArchive(t, testImage(t, alpineFiles))
	cacheDir := t.TempDir()
	backend := "redis://" + srv.Addr() + "/0"
	args := []string{"image", "--input", archive, "--cache-backend", backend, "--cache-dir", cacheDir, "--scanners", "secret", "-f", "json"}
	scan := func(what string) (string, string) {
		t.Helper()
		out, errOut, code := run(t, args...)
		if code != 0 || !strings.Contains(out, "config.env") {
			t.Fatalf("%s: exit %d: %s", what, code, errOut)
		}
		return volatile.ReplaceAllString(out, ""), errOut
	}
	first, _ := scan("first scan")
	if n, h := keys(), hits(); n != 1 || h != "0" {
		t.Fatalf("after the first scan: %d keys, %s hits; want 1 key, 0 hits", n, h)
	}
	if _, err := os.Stat(filepath.Join(cacheDir, "scan", cache.FileName)); !os.IsNotExist(err) {
		t.Errorf("the redis backend wrote a file cache: %v", err)
	}
	second, _ := scan("second scan")
	if n, h := keys(), hits(); n != 1 || h != "1" {
		t.Errorf("after the second scan: %d keys, %s hits; want 1 key, 1 hit (the layer read from Redis)", n, h)
	}
	if first != second {
		t.Errorf("reports differ:\n%s\n---\n%s", first, second)
	}

	srv.Stop()
	down, errOut := scan("scan with Redis down")
	if down != first {
		t.Errorf("report with Redis down differs:\n%s", down)
	}
	if n := strings.Count(errOut, "Redis scan cache is unavailable"); n != 1 {
		t.Errorf("%d warnings about Redis, want 1: %s", n, errOut)
	}

	srv.Restart()
	scan("scan after a restart")
	if n := keys(); n != 1 {
		t.Fatalf("after a restart: %d keys, want 1", n)
	}
	if err := raw.Set(ctx, "not-trawl", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := run(t, "clean", "--scan-cache", "--cache-dir", cacheDir, "--cache-backend", backend); code != 0 {
		t.Fatalf("clean --scan-cache: exit %d: %s", code, errOut)
	}
	if n, err := raw.DBSize(ctx).Result(); keys() != 0 || n != 1 || err != nil {
		t.Errorf("after clean: %d keys in all (%v), want only the one trawl did not write", n, err)
	}
}
