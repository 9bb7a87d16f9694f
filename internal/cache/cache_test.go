package cache

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/boltsafe"
	"github.com/trawlsec/trawl/pkg/model"
)

type fake struct {
	name string
	v    int
}

func (f fake) Name() string                                                    { return f.name }
func (f fake) Version() int                                                    { return f.v }
func (f fake) Required(string, fs.FileInfo) bool                               { return false }
func (f fake) Analyze(context.Context, analyze.Input) (*analyze.Result, error) { return nil, nil }

func sample() *analyze.LayerResult {
	return &analyze.LayerResult{
		Layer: model.Layer{DiffID: "sha256:abc"},
		Result: analyze.Result{
			OS: &analyze.OSInfo{OS: model.OS{Family: "debian", Name: "12.15"}, Priority: 2},
			OSPackages: []analyze.PackageSet{{Type: "dpkg", FilePath: "var/lib/dpkg/status", Packages: []model.Package{{
				Name: "bash", Version: "5.2.15", Release: "2+b7", Ecosystem: "Debian:12",
				InstalledFiles: []string{"bin/bash"},
			}}}},
		},
		Files:     []string{"bin/bash"},
		Whiteouts: []string{"tmp/x"},
	}
}

func TestKey(t *testing.T) {
	a := []analyze.Analyzer{fake{"a", 1}, fake{"b", 1}}
	b := []analyze.Analyzer{fake{"b", 1}, fake{"a", 1}}
	if Key("sha256:1", a) != Key("sha256:1", b) {
		t.Error("key depends on analyzer order")
	}
	for name, other := range map[string]string{
		"digest":  Key("sha256:2", a),
		"version": Key("sha256:1", []analyze.Analyzer{fake{"a", 2}, fake{"b", 1}}),
		"extra":   Key("sha256:1", a, "skip-files=x"),
	} {
		if other == Key("sha256:1", a) {
			t.Errorf("key does not change with %s", name)
		}
	}
}

func TestFSRoundTripAndReopen(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	c, err := OpenFS(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := c.Get(ctx, "k"); ok || err != nil {
		t.Fatalf("empty cache: ok=%v err=%v", ok, err)
	}
	if err := c.Put(ctx, "k", sample()); err != nil {
		t.Fatal(err)
	}
	c.Close()
	c, err = OpenFS(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	got, ok, err := c.Get(ctx, "k")
	if err != nil || !ok {
		t.Fatalf("ok=%v err=%v", ok, err)
	}
	// InstalledFiles and Ecosystem are not in JSON reports but must survive the cache.
	if diff := cmp.Diff(sample(), got); diff != "" {
		t.Error(diff)
	}
}

func TestFSCorruptEntryIsAMiss(t *testing.T) {
	dir := t.TempDir()
	c, err := OpenFS(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.with(false, func(tx *bolt.Tx) error { return tx.Bucket(bucket).Put([]byte("k"), []byte("garbage")) }); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := c.Get(context.Background(), "k"); ok || err != nil {
		t.Fatalf("corrupt entry: ok=%v err=%v", ok, err)
	}
	c.with(true, func(tx *bolt.Tx) error {
		if tx.Bucket(bucket).Get([]byte("k")) != nil {
			t.Error("corrupt entry was not deleted")
		}
		return nil
	})
}

func TestFSCorruptFileIsReplaced(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte("this is not a bolt database, just junk bytes"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := OpenFS(dir, nil)
	if err != nil {
		t.Fatalf("corrupt cache file must not be fatal: %v", err)
	}
	defer c.Close()
	if err := c.Put(context.Background(), "k", sample()); err != nil {
		t.Fatal(err)
	}
}

func TestClear(t *testing.T) {
	dir := t.TempDir()
	c, _ := OpenFS(dir, nil)
	c.Put(context.Background(), "k", sample())
	c.Close()
	if err := Clear(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, FileName)); !os.IsNotExist(err) {
		t.Errorf("cache file still there: %v", err)
	}
	if err := Clear(dir); err != nil {
		t.Errorf("clearing an absent cache: %v", err)
	}
}

func TestMemory(t *testing.T) {
	c := NewMemory()
	ctx := context.Background()
	c.Put(ctx, "k", sample())
	got, ok, _ := c.Get(ctx, "k")
	if !ok || cmp.Diff(sample(), got) != "" {
		t.Errorf("memory round trip failed: %v", cmp.Diff(sample(), got))
	}
}

// filledCache writes a cache with enough entries for its bucket's root to
// be a branch page, closes it and returns the file and that page's id.
func filledCache(t *testing.T, dir string) (string, uint64) {
	t.Helper()
	c, err := OpenFS(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		if err := c.Put(context.Background(), fmt.Sprintf("key-%03d", i), sample()); err != nil {
			t.Fatal(err)
		}
	}
	var root uint64
	c.with(true, func(tx *bolt.Tx) error { root = uint64(tx.Bucket(bucket).Root()); return nil })
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, FileName), root
}

func logTo(buf *bytes.Buffer) *slog.Logger { return slog.New(slog.NewTextHandler(buf, nil)) }

// TestFSTruncatedFileIsReplaced: a truncated layers.db (which made bbolt
// fault with SIGBUS on every run) is replaced with a warning naming it,
// and the new cache works.
func TestFSTruncatedFileIsReplaced(t *testing.T) {
	for _, size := range []int64{0, 100, 4096, 8192, 20000} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			dir := t.TempDir()
			p, _ := filledCache(t, dir)
			if err := os.Truncate(p, size); err != nil {
				t.Fatal(err)
			}
			var log bytes.Buffer
			c, err := OpenFS(dir, logTo(&log))
			if err != nil {
				t.Fatalf("OpenFS: %v", err)
			}
			defer c.Close()
			if size > 0 && !strings.Contains(log.String(), "damaged") || size > 0 && !strings.Contains(log.String(), p) {
				t.Errorf("no warning naming %s: %q", p, log.String())
			}
			ctx := context.Background()
			if _, ok, err := c.Get(ctx, "key-001"); ok || err != nil {
				t.Errorf("Get from the new cache: ok=%v err=%v", ok, err)
			}
			if err := c.Put(ctx, "k", sample()); err != nil {
				t.Fatal(err)
			}
			if _, ok, err := c.Get(ctx, "k"); !ok || err != nil {
				t.Errorf("Get after Put: ok=%v err=%v", ok, err)
			}
		})
	}
}

// TestFSDamagedPagesAreAMiss: damage that the open-time checks cannot see
// (a branch page pointing at a meta page) makes Get a miss and Put a
// no-op, with one warning; Close removes the file and the next OpenFS
// starts a new cache.
func TestFSDamagedPagesAreAMiss(t *testing.T) {
	dir := t.TempDir()
	p, root := filledCache(t, dir)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	const ps = 4096
	off := int(root) * ps
	if data[off+8] != 0x01 {
		t.Fatalf("page %d is not a branch page", root)
	}
	for i := range int(binary.LittleEndian.Uint16(data[off+10:])) {
		binary.LittleEndian.PutUint64(data[off+16+16*i+8:], 1) // child → meta page 1
	}
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	c, err := OpenFS(dir, logTo(&log))
	if err != nil {
		t.Fatalf("OpenFS: %v", err)
	}
	ctx := context.Background()
	for range 2 {
		if _, ok, err := c.Get(ctx, "key-001"); ok || err != nil {
			t.Errorf("Get on damaged pages: ok=%v err=%v", ok, err)
		}
		if err := c.Put(ctx, "key-002", sample()); err != nil {
			t.Errorf("Put on damaged pages: %v", err)
		}
	}
	if n := strings.Count(log.String(), "damaged"); n != 1 {
		t.Errorf("%d warnings, want 1: %q", n, log.String())
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Errorf("damaged cache not removed on Close: %v", err)
	}
	c, err = OpenFS(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Put(ctx, "k", sample()); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := c.Get(ctx, "k"); !ok || err != nil {
		t.Errorf("Get after reopening: ok=%v err=%v", ok, err)
	}
}

// TestFSOtherErrorsKeepTheFile: errors that say nothing about the file's
// content are returned and nothing is removed (this used to delete
// another user's cache on "permission denied"). Tests run as root, so the
// errors are made with paths of the wrong kind rather than modes.
func TestFSOtherErrorsKeepTheFile(t *testing.T) {
	t.Run("layers.db is a directory", func(t *testing.T) {
		dir := t.TempDir()
		p := filepath.Join(dir, FileName)
		if err := os.Mkdir(p, 0o700); err != nil {
			t.Fatal(err)
		}
		if c, err := OpenFS(dir, nil); err == nil {
			c.Close()
			t.Fatal("OpenFS succeeded")
		} else if errors.Is(err, boltsafe.ErrDamaged) || !strings.Contains(err.Error(), p) {
			t.Errorf("error %q: damaged, or does not name %s", err, p)
		}
		if fi, err := os.Stat(p); err != nil || !fi.IsDir() {
			t.Errorf("the directory was removed: %v", err)
		}
	})
	t.Run("cache dir is a file", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "scan")
		if err := os.WriteFile(dir, []byte("mine"), 0o600); err != nil {
			t.Fatal(err)
		}
		if c, err := OpenFS(dir, nil); err == nil {
			c.Close()
			t.Fatal("OpenFS succeeded")
		}
		if b, err := os.ReadFile(dir); err != nil || string(b) != "mine" {
			t.Errorf("the file was changed: %q %v", b, err)
		}
	})
	t.Run("locked by another process", func(t *testing.T) {
		defer func(d time.Duration) { lockTimeout = d }(lockTimeout)
		lockTimeout = 500 * time.Millisecond
		dir := t.TempDir()
		p, _ := filledCache(t, dir)
		holder, err := bolt.Open(p, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer holder.Close()
		if c, err := OpenFS(dir, nil); err == nil {
			c.Close()
			t.Fatal("OpenFS succeeded")
		} else if !errors.Is(err, bolterrors.ErrTimeout) {
			t.Errorf("error %v, want a lock timeout", err)
		}
		if _, err := os.Stat(p); err != nil {
			t.Errorf("the locked cache was removed: %v", err)
		}
	})
}

// TestFSPutErrorNamesTheFile: a write error (ENOSPC in real life; here a
// descriptor opened read-only, as a full disk cannot be made in a test)
// is returned as "writing scan cache PATH: …", not treated as damage.
func TestFSPutErrorNamesTheFile(t *testing.T) {
	dir := t.TempDir()
	p, _ := filledCache(t, dir)
	readOnly := func(name string, _ int, _ os.FileMode) (*os.File, error) { return os.Open(name) }
	c, err := openFS(dir, nil, readOnly)
	if err != nil {
		t.Fatalf("openFS: %v", err)
	}
	defer c.Close()
	if _, ok, err := c.Get(context.Background(), "key-001"); !ok || err != nil {
		t.Fatalf("Get: ok=%v err=%v", ok, err)
	}
	err = c.Put(context.Background(), "k", sample())
	if err == nil || !strings.HasPrefix(err.Error(), "writing scan cache "+p+": ") || strings.Count(err.Error(), p) != 1 || errors.Is(err, boltsafe.ErrDamaged) {
		t.Fatalf("Put = %v, want a write error naming %s", err, p)
	}
	if testing.Verbose() {
		t.Log(err)
	}
	if c.damaged.Load() {
		t.Error("a write error marked the cache damaged")
	}
}

// TestFSConcurrentOpeners: two caches on the same directory at once (two
// scans sharing a cache dir) both read and write it; neither falls back to
// no cache after a lock timeout, and each sees the other's entries.
func TestFSConcurrentOpeners(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	a, err := OpenFS(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := OpenFS(dir, nil)
	if err != nil {
		t.Fatalf("second opener while the first is open: %v", err)
	}
	defer b.Close()
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := a
			if i%2 == 1 {
				c = b
			}
			if err := c.Put(ctx, fmt.Sprintf("k%d", i), sample()); err != nil {
				t.Errorf("put %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	for i := range 20 {
		c := b
		if i%2 == 1 {
			c = a
		}
		if _, ok, err := c.Get(ctx, fmt.Sprintf("k%d", i)); !ok || err != nil {
			t.Errorf("entry %d written by one opener, read by the other: ok=%v err=%v", i, ok, err)
		}
	}
}

// TestOldFormatEntryIsAMiss: an entry written in another wire schema (an
// older trawl's) is discarded, never misread.
func TestOldFormatEntryIsAMiss(t *testing.T) {
	dir := t.TempDir()
	c, err := OpenFS(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	old := zenc.EncodeAll([]byte(`{"schema":"trawl.inventory.layer/0","data":{"Files":["x"]}}`), nil)
	if err := c.with(false, func(tx *bolt.Tx) error { return tx.Bucket(bucket).Put([]byte("k"), old) }); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := c.Get(context.Background(), "k"); ok || err != nil {
		t.Fatalf("old-schema entry: ok=%v err=%v", ok, err)
	}
}
