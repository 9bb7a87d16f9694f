package acceptance

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/trawlsec/trawl/internal/cache"
	"github.com/trawlsec/trawl/internal/testutil/redistest"
	"github.com/trawlsec/trawl/pkg/model"
)

// loadImages are the corpus images the load tests scan: the Debian image
// twice (docker-save and OCI layout: the same layers, so the same layer
// keys) and the two Alpine archives.
var loadImages = []string{"debian12-app.tar", "debian12-app.oci", "alpine-310.tar.gz", "alpine-311.tar.gz"}

const loadToken = "load-test-token"

// buildTrawlBinary builds cmd/trawl into a temp dir.
func buildTrawlBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "trawl")
	if out, err := goCommand("build", "-o", bin, "../cmd/trawl").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// serverProc is `trawl server` running as its own process.
type serverProc struct {
	cmd  *exec.Cmd
	url  string
	log  *lockedBuffer
	done chan error
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startTrawlServer runs `trawl server` on a free loopback port and waits
// until /healthz answers; the server is stopped (SIGTERM) when the test
// ends.
func startTrawlServer(t *testing.T, bin string, args ...string) *serverProc {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	s := &serverProc{url: "http://" + addr, log: &lockedBuffer{}, done: make(chan error, 1)}
	s.cmd = exec.Command(bin, append([]string{"server", "--listen", addr, "--token", loadToken,
		"--cache-dir", t.TempDir()}, args...)...)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.done <- s.cmd.Wait() }()
	t.Cleanup(func() {
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		<-s.done
	})
	// A readiness bound, not a timed assertion.
	deadline := time.Now().Add(60 * time.Second)
	for {
		select {
		case err := <-s.done:
			t.Fatalf("trawl server exited (%v): %s", err, s.log)
		default:
		}
		if resp, err := http.Get(s.url + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("trawl server did not answer on %s: %s", addr, s.log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// peakRSS is the process's peak resident set (VmHWM), as /proc shows it.
func (s *serverProc) peakRSS(t *testing.T) string {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		t.Fatalf("reading the server's peak RSS: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	t.Fatalf("no VmHWM in /proc/%d/status", s.cmd.Process.Pid)
	return ""
}

// imageScan runs `trawl image` on a corpus image as its own process and
// returns the report with what differs between two scans (ReportID,
// CreatedAt) cleared, as JSON.
func imageScan(t *testing.T, bin, image string, extra ...string) (string, error) {
	args := append([]string{"image", "--input", image, "-f", "json", "--quiet", "--list-all-pkgs",
		"--scanners", "vuln,secret", "--cache-dir", t.TempDir()}, extra...)
	cmd := exec.Command(bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("trawl %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	var r model.Report
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
		return "", fmt.Errorf("%s: decoding the report: %v", image, err)
	}
	r.ReportID = ""
	r.CreatedAt = time.Time{}
	b, err := json.MarshalIndent(r, "", " ")
	return string(b), err
}

// standaloneReports scans each load image without a server.
func standaloneReports(t *testing.T, bin, db string) map[string]string {
	t.Helper()
	want := map[string]string{}
	for _, name := range loadImages {
		rep, err := imageScan(t, bin, corpus(t, "images", name), "--db-path", db, "--skip-db-update")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(rep, `"Packages"`) {
			t.Fatalf("%s: the standalone report lists no packages", name)
		}
		want[name] = rep
	}
	return want
}

// clientWave runs n --server clients at once, client i scanning image
// images[i%len(images)], and checks every report against want.
func clientWave(t *testing.T, bin, url string, n int, images []string, want map[string]string) {
	t.Helper()
	noDB := filepath.Join(t.TempDir(), "none.db") // clients never open a DB
	var wg sync.WaitGroup
	errs := make([]error, n)
	got := make([]string, n)
	for i := range n {
		wg.Go(func() {
			got[i], errs[i] = imageScan(t, bin, corpus(t, "images", images[i%len(images)]),
				"--server", url, "--token", loadToken, "--db-path", noDB)
		})
	}
	wg.Wait()
	for i := range n {
		name := images[i%len(images)]
		switch {
		case errs[i] != nil:
			t.Errorf("client %d (%s): %v", i, name, errs[i])
		case got[i] != want[name]:
			t.Errorf("client %d (%s): report differs from the standalone scan", i, name)
		}
	}
}

// redisEntriesDecode checks that every layer entry in Redis decodes whole
// (nothing half-written) and returns how many there are.
func redisEntriesDecode(t *testing.T, addr string) int {
	t.Helper()
	ctx := context.Background()
	rc := goredis.NewClient(&goredis.Options{Addr: addr, Protocol: 2, DisableIdentity: true})
	defer rc.Close()
	keys, err := rc.Keys(ctx, cache.RedisPrefix+"*").Result()
	if err != nil {
		t.Fatalf("listing the Redis keys: %v", err)
	}
	c, err := cache.OpenRedis(ctx, cache.Options{Backend: "redis://" + addr}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, k := range keys {
		if _, ok, err := c.Get(ctx, strings.TrimPrefix(k, cache.RedisPrefix)); !ok || err != nil {
			t.Errorf("Redis entry %s does not decode (ok=%v, err=%v)", k, ok, err)
		}
	}
	return len(keys)
}

// TestServerLoadRedis: 32 `trawl image --server` processes at once
// against one `trawl server` process backed by a real Redis, on the
// corpus images: every report is the standalone one. The server's peak
// RSS is logged (docs/server.md records it). A client with a bad token
// gets one error line with the 401.
func TestServerLoadRedis(t *testing.T) {
	redis := redistest.Start(t)
	db := corpusDB(t)
	bin := buildTrawlBinary(t)
	want := standaloneReports(t, bin, db)
	srv := startTrawlServer(t, bin, "--cache-backend", "redis://"+redis.Addr(), "--db-path", db, "--skip-db-update")

	clientWave(t, bin, srv.url, 32, loadImages, want)
	t.Logf("32 concurrent clients, %d images, one trawl server on Redis: server peak RSS (VmHWM) %s", len(loadImages), srv.peakRSS(t))
	if n := redisEntriesDecode(t, redis.Addr()); n == 0 {
		t.Error("the server stored no layer in Redis")
	}

	_, err := imageScan(t, bin, corpus(t, "images", "alpine-310.tar.gz"), "--server", srv.url, "--token", "wrong")
	if err == nil {
		t.Fatal("a client with a wrong token succeeded")
	}
	msg := err.Error()[strings.LastIndex(err.Error(), ": trawl: error: ")+2:]
	if lines := strings.Split(strings.TrimSpace(msg), "\n"); len(lines) != 1 || !strings.Contains(msg, "401") || !strings.Contains(msg, "invalid token") {
		t.Errorf("wrong token: stderr %q, want one line with the 401", msg)
	}
}

// TestServerRedisRestart: Redis goes down and comes back empty in the
// middle of a run of clients on one server. Clients before the outage
// fill Redis; during it, uploads of an image not yet seen are dropped by
// Redis (the server's recent layers serve the scans); after the restart
// Redis is empty and the clients are served again. No client fails, every
// report is the standalone one, and every entry Redis holds at the end
// decodes whole.
func TestServerRedisRestart(t *testing.T) {
	redis := redistest.Start(t)
	db := corpusDB(t)
	bin := buildTrawlBinary(t)
	want := standaloneReports(t, bin, db)
	srv := startTrawlServer(t, bin, "--cache-backend", "redis://"+redis.Addr(), "--db-path", db, "--skip-db-update")

	// Before: two of the images, Redis up.
	clientWave(t, bin, srv.url, 8, []string{"debian12-app.tar", "alpine-310.tar.gz"}, want)
	if n := redisEntriesDecode(t, redis.Addr()); n == 0 {
		t.Fatal("no layer reached Redis before the outage")
	}
	// During: Redis down; alpine-311 is new (its upload is dropped by
	// Redis), the OCI layout shares the Debian layers.
	redis.Stop()
	clientWave(t, bin, srv.url, 8, []string{"alpine-311.tar.gz", "debian12-app.oci", "debian12-app.tar", "alpine-310.tar.gz"}, want)
	// After: Redis back, empty (no persistence); the server's pooled
	// connections are to the old process.
	redis.Restart()
	clientWave(t, bin, srv.url, 16, loadImages, want)
	if n := redisEntriesDecode(t, redis.Addr()); n == 0 {
		t.Error("Redis was not filled again after the restart")
	}
	t.Logf("Redis restarted mid-run: 32 clients served; server peak RSS (VmHWM) %s", srv.peakRSS(t))
	if strings.Contains(srv.log.String(), "panic") {
		t.Errorf("server log: %s", srv.log)
	}
}
