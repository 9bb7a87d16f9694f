package cache

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"github.com/trawlsec/trawl/internal/testutil/redistest"
)

// rawClient talks to the test server directly, to look at what the cache
// wrote.
func rawClient(t *testing.T, addr string) *redis.Client {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2, DisableIdentity: true})
	t.Cleanup(func() { c.Close() })
	return c
}

func openRedis(t *testing.T, o Options, logger *slog.Logger) *Redis {
	t.Helper()
	c, err := OpenRedis(context.Background(), o, logger)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// logBuffer captures warnings (and only warnings) a cache logs.
func logBuffer() (*slog.Logger, *bytes.Buffer) {
	var b bytes.Buffer
	return slog.New(slog.NewTextHandler(&lockedWriter{w: &b}, &slog.HandlerOptions{Level: slog.LevelWarn})), &b
}

type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestRedisRoundTripAndTTL: a result comes back whole from the same wire
// bytes as the file cache, under the prefix; --cache-ttl sets the key's
// TTL on Put and 0 sets none.
func TestRedisRoundTripAndTTL(t *testing.T) {
	srv := redistest.Start(t)
	raw := rawClient(t, srv.Addr())
	ctx := context.Background()
	for _, tc := range []struct {
		ttl     time.Duration
		wantTTL func(time.Duration) bool
	}{
		{0, func(d time.Duration) bool { return d == -1 }}, // redis: no expiry
		{90 * time.Second, func(d time.Duration) bool { return d > 0 && d <= 90*time.Second }},
	} {
		t.Run(fmt.Sprint(tc.ttl), func(t *testing.T) {
			c := openRedis(t, Options{Backend: "redis://" + srv.Addr(), TTL: tc.ttl}, nil)
			key := "sha256:ttl-" + tc.ttl.String()
			if _, ok, err := c.Get(ctx, key); ok || err != nil {
				t.Fatalf("empty cache: ok=%v err=%v", ok, err)
			}
			if err := c.Put(ctx, key, sample()); err != nil {
				t.Fatal(err)
			}
			got, ok, err := c.Get(ctx, key)
			if err != nil || !ok {
				t.Fatalf("ok=%v err=%v", ok, err)
			}
			if diff := cmp.Diff(sample(), got); diff != "" {
				t.Error(diff)
			}
			b, err := raw.Get(ctx, RedisPrefix+key).Bytes()
			if err != nil {
				t.Fatalf("no key under the prefix: %v", err)
			}
			want, _ := encode(sample())
			if !bytes.Equal(b, want) {
				t.Error("the value is not the file cache's wire bytes")
			}
			d, err := raw.TTL(ctx, RedisPrefix+key).Result()
			if err != nil || !tc.wantTTL(d) {
				t.Errorf("TTL = %v (%v), --cache-ttl %v", d, err, tc.ttl)
			}
		})
	}
}

// TestRedisBadValueIsAMiss: garbage, or a value of another schema version,
// under a key is a miss (never an error, never misread), and the next Put
// replaces it.
func TestRedisBadValueIsAMiss(t *testing.T) {
	srv := redistest.Start(t)
	raw := rawClient(t, srv.Addr())
	ctx := context.Background()
	c := openRedis(t, Options{Backend: "redis://" + srv.Addr()}, nil)
	for name, v := range map[string][]byte{
		"garbage":    []byte("garbage"),
		"truncated":  func() []byte { b, _ := encode(sample()); return b[:len(b)/2] }(),
		"old schema": zenc.EncodeAll([]byte(`{"schema":"trawl.inventory.layer/0","data":{"Files":["x"]}}`), nil),
	} {
		t.Run(name, func(t *testing.T) {
			if err := raw.Set(ctx, RedisPrefix+name, v, 0).Err(); err != nil {
				t.Fatal(err)
			}
			if _, ok, err := c.Get(ctx, name); ok || err != nil {
				t.Fatalf("ok=%v err=%v", ok, err)
			}
			if err := c.Put(ctx, name, sample()); err != nil {
				t.Fatal(err)
			}
			if _, ok, err := c.Get(ctx, name); !ok || err != nil {
				t.Fatalf("after Put: ok=%v err=%v", ok, err)
			}
		})
	}
}

// TestRedisDownAndRestarted: a server killed mid-use makes Get a miss and
// Put a no-op, with no error and one warning; once it is back, the same
// cache works again.
func TestRedisDownAndRestarted(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	logger, logs := logBuffer()
	c := openRedis(t, Options{Backend: "redis://" + srv.Addr()}, logger)
	if err := c.Put(ctx, "k", sample()); err != nil {
		t.Fatal(err)
	}
	srv.Stop()
	for range 3 {
		if _, ok, err := c.Get(ctx, "k"); ok || err != nil {
			t.Fatalf("server down: Get ok=%v err=%v", ok, err)
		}
		if err := c.Put(ctx, "k", sample()); err != nil {
			t.Fatalf("server down: Put err=%v", err)
		}
	}
	if n := strings.Count(logs.String(), "level=WARN"); n != 1 {
		t.Errorf("%d warnings, want 1:\n%s", n, logs)
	}
	srv.Restart() // empty: no persistence
	if _, ok, err := c.Get(ctx, "k"); ok || err != nil {
		t.Fatalf("restarted: Get ok=%v err=%v", ok, err)
	}
	if err := c.Put(ctx, "k", sample()); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := c.Get(ctx, "k"); !ok || err != nil {
		t.Fatalf("restarted: Get after Put ok=%v err=%v", ok, err)
	}
}

// TestRedisContext: a cancelled context is returned, not taken for a
// server fault.
func TestRedisContext(t *testing.T) {
	srv := redistest.Start(t)
	c := openRedis(t, Options{Backend: "redis://" + srv.Addr()}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := c.Get(ctx, "k"); !errors.Is(err, context.Canceled) {
		t.Errorf("Get: %v", err)
	}
	if err := c.Put(ctx, "k", sample()); !errors.Is(err, context.Canceled) {
		t.Errorf("Put: %v", err)
	}
}

// TestRedisPasswordNeverShown: the URL's password appears in no warning
// and no error.
func TestRedisPasswordNeverShown(t *testing.T) {
	const secret = "s3cr3t-pa55"
	port := closedPort(t)
	logger, logs := logBuffer()
	c := openRedis(t, Options{Backend: "redis://trawl:" + secret + "@127.0.0.1:" + port + "/2"}, logger)
	if _, ok, err := c.Get(context.Background(), "k"); ok || err != nil {
		t.Fatalf("ok=%v err=%v", ok, err)
	}
	if !strings.Contains(logs.String(), "127.0.0.1:"+port) || strings.Contains(logs.String(), secret) {
		t.Errorf("warning: %s", logs)
	}
	_, err := c.Clear(context.Background())
	if err == nil || strings.Contains(err.Error(), secret) {
		t.Errorf("Clear: %v", err)
	}
	for _, bad := range []string{
		"redis://trawl:" + secret + "@127.0.0.1:notaport",
		"redis://trawl:" + secret + "@127.0.0.1:6379/notadb",
		"redis://trawl:" + secret + "@[::1",
	} {
		err := Check(Options{Backend: bad})
		if err == nil || strings.Contains(err.Error(), secret) {
			t.Errorf("Check(%q): %v", strings.ReplaceAll(bad, secret, "…"), err)
		}
	}
}

// closedPort returns a loopback port nothing listens on.
func closedPort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(l.Addr().String())
	l.Close()
	return port
}

// TestCheck: bad options are one clear error before any scan.
func TestCheck(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(notPEM, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		o    Options
		want string // "" = valid
	}{
		{Options{Backend: "fs"}, ""},
		{Options{Backend: "memory", TTL: time.Hour}, ""},
		{Options{Backend: "redis://localhost:6379/1", TTL: time.Hour}, ""},
		{Options{Backend: "rediss://localhost:6379"}, ""},
		{Options{Backend: "redis://localhost:6379", RedisTLS: true}, ""},
		{Options{Backend: "s3"}, `--cache-backend "s3" is not a backend`},
		{Options{Backend: "redis://localhost:6379", TTL: -time.Second}, "--cache-ttl -1s: must not be negative"},
		{Options{Backend: "fs", RedisTLS: true}, "need a redis:// or rediss:// --cache-backend"},
		{Options{Backend: "memory", RedisCA: notPEM}, "need a redis:// or rediss:// --cache-backend"},
		{Options{Backend: "redis://localhost:6379", RedisCA: notPEM}, "go together"},
		{Options{Backend: "redis://localhost:6379", RedisCA: notPEM, RedisCert: notPEM, RedisKey: notPEM}, "no PEM certificate"},
		{Options{Backend: "redis://localhost:6379", RedisCA: filepath.Join(dir, "none"), RedisCert: notPEM, RedisKey: notPEM}, "--redis-ca: open"},
	} {
		err := Check(tc.o)
		if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%+v: %v, want %q", tc.o, err, tc.want)
		}
	}
}

// TestRedisClear: clean --scan-cache deletes every key under the prefix,
// in several SCAN batches, and nothing else on the server; and the file
// cache too.
func TestRedisClear(t *testing.T) {
	srv := redistest.Start(t)
	raw := rawClient(t, srv.Addr())
	ctx := context.Background()
	const n = 3*redisClearBatch + 7
	pipe := raw.Pipeline()
	for i := range n {
		pipe.Set(ctx, fmt.Sprintf("%ssha256:%d", RedisPrefix, i), "v", 0)
	}
	pipe.Set(ctx, "someone-else::key", "v", 0)
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	fs, err := OpenFS(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	fs.Close()
	if err := ClearScanCache(ctx, Options{Backend: "redis://" + srv.Addr(), Dir: dir}); err != nil {
		t.Fatal(err)
	}
	if keys, _ := raw.Keys(ctx, RedisPrefix+"*").Result(); len(keys) != 0 {
		t.Errorf("%d keys left under the prefix", len(keys))
	}
	if v, err := raw.Get(ctx, "someone-else::key").Result(); v != "v" {
		t.Errorf("a key outside the prefix was touched: %q %v", v, err)
	}
	if _, err := os.Stat(filepath.Join(dir, FileName)); !os.IsNotExist(err) {
		t.Errorf("the file cache is left: %v", err)
	}
}

// TestRedisConcurrent: Get and Put from many goroutines on one cache
// (run with -race in CI).
func TestRedisConcurrent(t *testing.T) {
	srv := redistest.Start(t)
	c := openRedis(t, Options{Backend: "redis://" + srv.Addr()}, nil)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 8*20)
	for g := range 8 {
		wg.Go(func() {
			for i := range 20 {
				key := fmt.Sprintf("k%d", (g+i)%5)
				if err := c.Put(ctx, key, sample()); err != nil {
					errs <- err
					return
				}
				if r, ok, err := c.Get(ctx, key); err != nil || !ok || r.Layer.DiffID != "sha256:abc" {
					errs <- fmt.Errorf("get %s: ok=%v err=%v", key, ok, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestRedisTLS: rediss:// (and redis:// with Trivy's --redis-ca/-cert/-key)
// reach a TLS-only server with a CA and client certificate made here; a
// client that does not trust the CA gets misses, not results.
func TestRedisTLS(t *testing.T) {
	files := makeTLS(t)
	srv, err := redistest.StartTLS(t, redistest.TLS{Cert: files.serverCert, Key: files.serverKey, CA: files.ca})
	if errors.Is(err, redistest.ErrNoTLS) {
		t.Skip(err)
	}
	ctx := context.Background()
	for _, backend := range []string{"rediss://" + srv.Addr(), "redis://" + srv.Addr()} {
		t.Run(backend, func(t *testing.T) {
			c := openRedis(t, Options{Backend: backend, RedisCA: files.ca, RedisCert: files.clientCert, RedisKey: files.clientKey}, nil)
			if err := c.Put(ctx, "tls", sample()); err != nil {
				t.Fatal(err)
			}
			if _, ok, err := c.Get(ctx, "tls"); !ok || err != nil {
				t.Fatalf("ok=%v err=%v", ok, err)
			}
		})
	}
	t.Run("untrusted", func(t *testing.T) {
		logger, logs := logBuffer()
		c := openRedis(t, Options{Backend: "redis://" + srv.Addr(), RedisTLS: true}, logger)
		if _, ok, err := c.Get(ctx, "tls"); ok || err != nil {
			t.Fatalf("ok=%v err=%v", ok, err)
		}
		if !strings.Contains(logs.String(), "certificate") {
			t.Errorf("warning does not say why: %s", logs)
		}
	})
}

type tlsFiles struct{ ca, serverCert, serverKey, clientCert, clientKey string }

// makeTLS writes a CA, a server certificate for 127.0.0.1 and a client
// certificate, all signed by the CA.
func makeTLS(t *testing.T) tlsFiles {
	t.Helper()
	dir := t.TempDir()
	write := func(name, typ string, der []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	newKey := func() *ecdsa.PrivateKey {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	now := time.Now()
	caKey := newKey()
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "trawl test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	leaf := func(serial int64, name string, usage x509.ExtKeyUsage) (string, string) {
		k := newKey()
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: name},
			NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage},
			IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &k.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		kb, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		return write(name+".pem", "CERTIFICATE", der), write(name+"-key.pem", "PRIVATE KEY", kb)
	}
	f := tlsFiles{ca: write("ca.pem", "CERTIFICATE", caDER)}
	f.serverCert, f.serverKey = leaf(2, "server", x509.ExtKeyUsageServerAuth)
	f.clientCert, f.clientKey = leaf(3, "client", x509.ExtKeyUsageClientAuth)
	return f
}
