package cli

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/trawlsec/trawl/internal/cache"
	"github.com/trawlsec/trawl/internal/testutil/redistest"
)

// TestServerCommandRedis runs `trawl server` itself with a Redis layer
// cache: a client's uploaded layer lands in Redis, a second server on the
// same Redis (a fleet) serves a new client without any upload, and
// cancelling the command's context stops the server cleanly.
func TestServerCommandRedis(t *testing.T) {
	rs := redistest.Start(t)
	db := alpineDB(t)
	archive := writeArchive(t, testImage(t, alpineFiles))
	want, errOut, code := scanWith(t, archive, db)
	if code != 0 {
		t.Fatalf("standalone: exit %d: %s", code, errOut)
	}
	raw := redis.NewClient(&redis.Options{Addr: rs.Addr(), Protocol: 2, DisableIdentity: true})
	t.Cleanup(func() { raw.Close() })
	keys := func() int {
		k, err := raw.Keys(context.Background(), cache.RedisPrefix+"*").Result()
		if err != nil {
			t.Fatal(err)
		}
		return len(k)
	}

	startServer := func() string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan string, 1)
		go func() {
			_, errOut, code := runCtx(ctx, "server", "--listen", addr, "--cache-backend", "redis://"+rs.Addr(),
				"--cache-dir", t.TempDir(), "--db-path", db, "--skip-db-update", "--quiet")
			done <- fmt.Sprintf("exit %d: %s", code, errOut)
		}()
		t.Cleanup(func() {
			cancel()
			select {
			case got := <-done:
				if !strings.HasPrefix(got, "exit 0") {
					t.Errorf("server after cancel: %s", got)
				}
			case <-time.After(30 * time.Second):
				t.Error("server did not stop after its context was cancelled")
			}
		})
		url := "http://" + addr
		for i := 0; ; i++ {
			resp, err := http.Get(url + "/healthz")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					return url
				}
			}
			select {
			case got := <-done:
				t.Fatalf("server stopped: %s", got)
			case <-time.After(50 * time.Millisecond):
			}
			if i > 400 {
				t.Fatal("server did not answer /healthz")
			}
		}
	}

	noDB := filepath.Join(t.TempDir(), "none.db")
	first := startServer()
	got, errOut, code := scanWith(t, archive, noDB, "--server", first)
	if code != 0 {
		t.Fatalf("--server: exit %d: %s", code, errOut)
	}
	if normalised(t, got) != normalised(t, want) {
		t.Errorf("--server report differs from standalone:\n got %s\nwant %s", got, want)
	}
	if n := keys(); n != 1 {
		t.Fatalf("%d layer keys in Redis after one upload, want 1", n)
	}
	// Another server on the same Redis already has the layer.
	second := startServer()
	got, errOut, code = scanWith(t, archive, noDB, "--server", second, "--debug")
	if code != 0 {
		t.Fatalf("second server: exit %d: %s", code, errOut)
	}
	if normalised(t, got) != normalised(t, want) {
		t.Error("second server's report differs")
	}
	if n := keys(); n != 1 {
		t.Errorf("%d layer keys after the second scan, want still 1", n)
	}
}

func runCtx(ctx context.Context, args ...string) (string, string, int) {
	var out, errOut strings.Builder
	code := Main(ctx, args, strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), code
}
