package cache

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"

	"github.com/trawlsec/trawl/internal/analyze"
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
	if err := c.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucket).Put([]byte("k"), []byte("garbage")) }); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := c.Get(context.Background(), "k"); ok || err != nil {
		t.Fatalf("corrupt entry: ok=%v err=%v", ok, err)
	}
	c.db.View(func(tx *bolt.Tx) error {
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
