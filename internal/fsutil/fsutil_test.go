package fsutil

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestReadFileLimited(t *testing.T) {
	dir := t.TempDir()
	normal := filepath.Join(dir, "ok.yaml")
	os.WriteFile(normal, []byte("format: json\n"), 0o644)
	link := filepath.Join(dir, "link.yaml")
	os.Symlink(normal, link)
	sparse := filepath.Join(dir, "huge.json")
	os.WriteFile(sparse, nil, 0o644)
	if err := os.Truncate(sparse, 1<<40); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path string
		want       string // substring of the error; "" for success
		is         error
	}{
		{"normal file", normal, "", nil},
		{"symlink to a regular file", link, "", nil},
		{"device", "/dev/zero", "/dev/zero: not a regular file", ErrNotRegular},
		{"fifo without a writer", fifo, fifo + ": not a regular file", ErrNotRegular},
		{"directory", dir, dir + ": not a regular file", ErrNotRegular},
		{"sparse file over the limit", sparse, sparse + ": 1099511627776 bytes, larger than the 1024-byte limit for test files", ErrTooLarge},
		{"missing", filepath.Join(dir, "nope"), "no such file", fs.ErrNotExist},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := ReadFileLimited(tc.path, 1024, "test files")
			if tc.want == "" {
				if err != nil || string(b) != "format: json\n" {
					t.Fatalf("got %q, %v", b, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, tc.is) {
				t.Fatalf("err = %v, want %q (is %v)", err, tc.want, tc.is)
			}
		})
	}
}

func TestReadFileLimitedExactLimit(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	os.WriteFile(p, []byte("12345"), 0o644)
	if b, err := ReadFileLimited(p, 5, "x"); err != nil || string(b) != "12345" {
		t.Errorf("at the limit: %q %v", b, err)
	}
	if _, err := ReadFileLimited(p, 4, "x"); !errors.Is(err, ErrTooLarge) {
		t.Errorf("over the limit: %v", err)
	}
}

// writeTree creates files (ending in "/" for directories) under dir.
func writeTree(t *testing.T, dir string, names ...string) {
	t.Helper()
	for _, n := range names {
		p := filepath.Join(dir, filepath.FromSlash(n))
		if strings.HasSuffix(n, "/") {
			os.MkdirAll(p, 0o755)
			continue
		}
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

var trawlFiles = []string{"scan/layers.db", "tmp/trawl-image-1.tar", "tmp/", "db/trawl.db", "db/trawl.db.update.json",
	"db/.trawl.db.tmp-9", "db/osv-cache/PyPI/all.zip", "db/osv-cache/Go/.all.zip.tmp-3"}

func TestCleanCacheDir(t *testing.T) {
	for _, tc := range []struct {
		name    string
		files   []string
		marked  bool
		wantErr string   // "" for success
		remain  []string // relative paths left afterwards (nil: dir gone)
	}{
		{name: "marked cache", files: trawlFiles, marked: true},
		{name: "legacy cache without marker", files: trawlFiles},
		{name: "unmarked dir with a foreign file", files: append([]string{"notes.txt"}, trawlFiles...), wantErr: "notes.txt, which trawl did not write"},
		{name: "unmarked dir with a foreign file deep inside", files: append([]string{"db/osv-cache/PyPI/keep.me"}, trawlFiles...), wantErr: "keep.me"},
		{name: "unmarked dir holding nothing of trawl", files: []string{"authorized_keys"}, wantErr: "holds nothing trawl writes"},
		{name: "marked cache with a foreign file", files: append([]string{"db/mine.txt"}, trawlFiles...), marked: true,
			remain: []string{CacheMarker, "db/mine.txt"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "cache")
			writeTree(t, dir, tc.files...)
			if tc.marked {
				if err := MarkCacheDir(dir); err != nil {
					t.Fatal(err)
				}
			}
			left, err := CleanCacheDir(dir)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), dir) {
					t.Fatalf("err = %v, want one naming %s and %q", err, dir, tc.wantErr)
				}
				for _, f := range tc.files { // nothing was removed
					if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
						t.Errorf("%s removed although clean was refused", f)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					rel, _ := filepath.Rel(dir, p)
					got = append(got, filepath.ToSlash(rel))
				}
				return nil
			})
			if strings.Join(got, ",") != strings.Join(tc.remain, ",") {
				t.Errorf("left %v, want %v", got, tc.remain)
			}
			if tc.remain == nil {
				if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("the emptied cache dir is still there: %v", err)
				}
			} else if len(left) != len(tc.remain)-1 {
				t.Errorf("reported foreign entries %v", left)
			}
		})
	}
}

func TestMarkCacheDirOfDB(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "cache", "db"), 0o755)
	os.MkdirAll(filepath.Join(root, "elsewhere"), 0o755)
	MarkCacheDirOfDB(filepath.Join(root, "cache", "db", "trawl.db"))
	MarkCacheDirOfDB(filepath.Join(root, "elsewhere", "my.db"))
	if !IsCacheDir(filepath.Join(root, "cache")) {
		t.Error("the DB's cache dir is not marked")
	}
	if IsCacheDir(root) || IsCacheDir(filepath.Join(root, "elsewhere")) {
		t.Error("a directory outside the cache layout was marked")
	}
}
