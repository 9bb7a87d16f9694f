package cli

import (
	"context"
	"io"
	"log"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/redis/go-redis/v9"

	"github.com/trawlsec/trawl/internal/cache"
	"github.com/trawlsec/trawl/internal/testutil/redistest"
)

// TestRegistryScanRedis: registry scan uses the scan commands' layer cache
// backend: with --cache-backend redis://… the tags' shared layer lands in
// Redis once, and a second run is served from it.
func TestRegistryScanRedis(t *testing.T) {
	rs := redistest.Start(t)
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	defer srv.Close()
	repo := strings.TrimPrefix(srv.URL, "http://") + "/team/app"
	img := testImage(t, alpineFiles)
	for _, tag := range []string{"1.0", "1.1"} {
		ref, _ := name.NewTag(repo+":"+tag, name.Insecure)
		if err := remote.Write(ref, img); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("DOCKER_CONFIG", t.TempDir())
	raw := redis.NewClient(&redis.Options{Addr: rs.Addr(), Protocol: 2, DisableIdentity: true})
	t.Cleanup(func() { raw.Close() })
	args := []string{"registry", "scan", "--insecure", "--cache-dir", t.TempDir(), "--quiet", "--scanners", "secret",
		"--cache-backend", "redis://" + rs.Addr(), repo}
	first, errOut, code := run(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	keys, err := raw.Keys(context.Background(), cache.RedisPrefix+"*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 1 { // both tags are the same one-layer image: analysed once
		t.Fatalf("%d layer keys in Redis, want 1", len(keys))
	}
	second, errOut, code := run(t, args...)
	if code != 0 || strings.Count(second, "\n") != strings.Count(first, "\n") {
		t.Fatalf("second run: exit %d, %d lines (first %d): %s", code, strings.Count(second, "\n"), strings.Count(first, "\n"), errOut)
	}
}
