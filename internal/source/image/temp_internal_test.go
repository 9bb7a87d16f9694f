package image

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
)

func gzipped(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// TestArchiveBombRatio: an archive compressed as a whole that inflates far
// more than real images do is refused before it fills the disk, and its
// temporary copy is gone.
func TestArchiveBombRatio(t *testing.T) {
	defer func(f int64) { archiveFloor = f }(archiveFloor)
	archiveFloor = 1 << 20
	bomb := gzipped(t, make([]byte, 64<<20)) // ~64 KiB inflating to 64 MiB
	dir := t.TempDir()
	in := filepath.Join(dir, "bomb.tar.gz")
	if err := os.WriteFile(in, bomb, 0o644); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(dir, "tmp")
	_, err := Open(context.Background(), "", Options{Input: in, TempDir: tmp})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "decompression bomb") {
		t.Fatalf("bomb: %v", err)
	}
	if ents, _ := os.ReadDir(tmp); len(ents) != 0 {
		t.Errorf("temporary files left: %v", ents)
	}
}

// TestStaleTempsRemoved: temporary copies left by processes that no longer
// run (and day-old ones of older versions) are removed by the next
// decompression; those of live processes are kept.
func TestStaleTempsRemoved(t *testing.T) {
	tmp := t.TempDir()
	touch := func(name string, age time.Duration) string {
		p := filepath.Join(tmp, name)
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		at := time.Now().Add(-age)
		os.Chtimes(p, at, at)
		return p
	}
	dead := touch("trawl-image-2147483646-1.tar", 0) // no such process
	live := touch("trawl-image-1-2.tar", 0)          // init always runs
	oldLegacy := touch("trawl-image-12345.tar", 48*time.Hour)
	newLegacy := touch("trawl-image-67890.tar", time.Minute)
	other := touch("notes.txt", 48*time.Hour)

	seed := seedArchives(t)[0]
	in := filepath.Join(t.TempDir(), "img.tar.gz")
	if err := os.WriteFile(in, gzipped(t, seed), 0o644); err != nil {
		t.Fatal(err)
	}
	img, err := Open(context.Background(), "", Options{Input: in, TempDir: tmp})
	if err != nil {
		t.Fatal(err)
	}
	img.Close()
	for p, want := range map[string]bool{dead: false, live: true, oldLegacy: false, newLegacy: true, other: true} {
		if _, err := os.Stat(p); (err == nil) != want {
			t.Errorf("%s: exists=%v, want %v", filepath.Base(p), err == nil, want)
		}
	}
}

// TestTempDirOnlyWhenNeeded: a plain tar needs no temporary directory (a
// read-only or broken cache directory does not stop it); a compressed one
// says which directory it could not use.
func TestTempDirOnlyWhenNeeded(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(blocker, "tmp") // cannot be created
	seed := seedArchives(t)[0]
	plain := filepath.Join(dir, "img.tar")
	os.WriteFile(plain, seed, 0o644)
	img, err := Open(context.Background(), "", Options{Input: plain, TempDir: tmp})
	if err != nil {
		t.Fatalf("plain tar with an unusable temp dir: %v", err)
	}
	img.Close()
	gz := filepath.Join(dir, "img.tar.gz")
	os.WriteFile(gz, gzipped(t, seed), 0o644)
	_, err = Open(context.Background(), "", Options{Input: gz, TempDir: tmp})
	if err == nil || errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "temporary directory") {
		t.Fatalf("compressed archive with an unusable temp dir: %v", err)
	}
}
