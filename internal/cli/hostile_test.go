package cli

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/trawlsec/trawl/internal/fsutil"
)

// TestConfigFileRefusesUnboundedFiles: a config file that is a device, a
// FIFO with no writer (named, or found as trawl.yaml in the working
// directory), a directory or bigger than 1 MiB fails at once with one line
// naming it, instead of exhausting memory or hanging.
func TestConfigFileRefusesUnboundedFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	huge := filepath.Join(dir, "huge.yaml")
	os.WriteFile(huge, nil, 0o644)
	if err := os.Truncate(huge, 1<<30); err != nil {
		t.Fatal(err)
	}
	work := filepath.Join(dir, "work")
	os.Mkdir(work, 0o755)
	if err := syscall.Mkfifo(filepath.Join(work, "trawl.yaml"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, chdir string
		config      []string
		want        string
	}{
		{"device", "", []string{"-c", "/dev/zero"}, "config file /dev/zero: not a regular file"},
		{"named FIFO", "", []string{"--config", fifo}, "config file " + fifo + ": not a regular file"},
		{"trawl.yaml is a FIFO", work, nil, "config file trawl.yaml: not a regular file"},
		{"directory", "", []string{"-c", dir}, "config file " + dir + ": not a regular file"},
		{"too large", "", []string{"-c", huge}, "config file " + huge + ": 1073741824 bytes, larger than the 1048576-byte limit for config files"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.chdir != "" {
				t.Chdir(tc.chdir)
			}
			args := append([]string{"fs", "--scanners", "secret", "--cache-dir", t.TempDir(), "-q"}, tc.config...)
			_, errOut, code := run(t, append(args, dir)...)
			if code != 1 || strings.TrimSpace(errOut) != "trawl: error: "+tc.want {
				t.Errorf("exit %d, stderr %q, want %q", code, errOut, tc.want)
			}
		})
	}
}

// TestImplicitConfigMayNotWriteOutside reproduces a hostile trawl.yaml in
// the scanned project: found implicitly in the working directory, it may
// not point the report (or the DB) outside that directory; named with
// --config, or overridden with -o, it may.
func TestImplicitConfigMayNotWriteOutside(t *testing.T) {
	root := t.TempDir()
	work, home := filepath.Join(root, "work"), filepath.Join(root, "home")
	os.MkdirAll(filepath.Join(work, "reports"), 0o755)
	os.MkdirAll(home, 0o755)
	keys := filepath.Join(home, "authorized_keys")
	os.Symlink(home, filepath.Join(work, "escape")) // inside by name, outside once resolved
	t.Chdir(work)
	base := []string{"fs", "--scanners", "secret", "--cache-dir", filepath.Join(root, "cache"), "-q", "-f", "json"}

	for _, tc := range []struct {
		name, config string
		args         []string
		want         string // error text; "" for success
		written      string // file the report must be in
	}{
		{"output outside", "output: ../home/authorized_keys\n", nil, "config file trawl.yaml: output: ../home/authorized_keys is outside the working directory", ""},
		{"output through a symlink", "output: escape/authorized_keys\n", nil, "output: escape/authorized_keys is outside", ""},
		{"absolute output outside", "output: " + keys + "\n", nil, "is outside the working directory", ""},
		{"db path outside", "db:\n  path: ../home/authorized_keys\n", nil, "config file trawl.yaml: db.path: ../home/authorized_keys is outside", ""},
		{"output inside", "output: reports/r.json\n", nil, "", filepath.Join(work, "reports", "r.json")},
		{"named with --config", "output: ../home/r.json\n", []string{"--config", "trawl.yaml"}, "", filepath.Join(home, "r.json")},
		{"overridden with -o", "output: ../home/authorized_keys\n", []string{"-o", filepath.Join(root, "o.json")}, "", filepath.Join(root, "o.json")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(keys, []byte("ssh-ed25519 AAAA mine\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(work, "trawl.yaml"), []byte(tc.config), 0o644); err != nil {
				t.Fatal(err)
			}
			args := append(append(append([]string{}, base...), tc.args...), ".")
			_, errOut, code := run(t, args...)
			if tc.want != "" {
				if code != 1 || !strings.Contains(errOut, tc.want) || !strings.Contains(errOut, "--config") {
					t.Errorf("exit %d, stderr %q, want an error saying %q", code, errOut, tc.want)
				}
			} else if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if b, _ := os.ReadFile(keys); string(b) != "ssh-ed25519 AAAA mine\n" {
				t.Errorf("authorized_keys was overwritten: %.60q", b)
			}
			if tc.written != "" {
				if b, err := os.ReadFile(tc.written); err != nil || !strings.Contains(string(b), `"SchemaVersion"`) {
					t.Errorf("report not written to %s: %v", tc.written, err)
				}
			}
		})
	}
}

// TestCleanOnlyRemovesTrawlCaches reproduces "cache: dir: ../victim" in a
// trawl.yaml followed by clean --all, and checks clean on a marked cache,
// on a cache of an older trawl (no marker) and on a directory that holds
// something trawl did not write.
func TestCleanOnlyRemovesTrawlCaches(t *testing.T) {
	root := t.TempDir()
	write := func(dir string, names ...string) {
		for _, n := range names {
			p := filepath.Join(dir, filepath.FromSlash(n))
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.WriteFile(p, []byte("x"), 0o644)
		}
	}
	exists := func(p string) bool { _, err := os.Stat(p); return err == nil }

	t.Run("hostile trawl.yaml", func(t *testing.T) {
		work, victim := filepath.Join(root, "work"), filepath.Join(root, "victim")
		write(victim, "thesis.tex", "db/notes.txt")
		write(work, "trawl.yaml")
		os.WriteFile(filepath.Join(work, "trawl.yaml"), []byte("cache:\n  dir: ../victim\n"), 0o644)
		t.Chdir(work)
		_, errOut, code := run(t, "clean", "--all")
		if code != 1 || !strings.Contains(errOut, "refusing to clean ../victim") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
		if !exists(filepath.Join(victim, "thesis.tex")) || !exists(filepath.Join(victim, "db", "notes.txt")) {
			t.Fatal("clean --all deleted files it did not write")
		}
	})
	t.Run("marked cache", func(t *testing.T) {
		cache := filepath.Join(root, "marked")
		archive := writeArchive(t, testImage(t, alpineFiles))
		if _, errOut, code := run(t, "image", "--input", archive, "--cache-dir", cache, "--scanners", "secret", "-q"); code != 0 {
			t.Fatalf("scan: %s", errOut)
		}
		if !fsutil.IsCacheDir(cache) {
			t.Fatal("an image scan did not mark its cache directory")
		}
		if _, errOut, code := run(t, "clean", "--all", "--cache-dir", cache); code != 0 {
			t.Fatalf("clean --all: %s", errOut)
		}
		if exists(cache) {
			t.Error("the cache directory is still there")
		}
	})
	t.Run("cache of an older trawl", func(t *testing.T) {
		cache := filepath.Join(root, "legacy")
		write(cache, "scan/layers.db", "db/trawl.db", "db/trawl.db.update.json", "db/osv-cache/npm/all.zip", "tmp/trawl-image-1.tar")
		if _, errOut, code := run(t, "clean", "--all", "--cache-dir", cache); code != 0 {
			t.Fatalf("clean --all: %s", errOut)
		}
		if exists(cache) {
			t.Error("the cache directory is still there")
		}
	})
	t.Run("foreign file", func(t *testing.T) {
		cache := filepath.Join(root, "foreign")
		write(cache, "scan/layers.db", "scan/mine.txt")
		_, errOut, code := run(t, "clean", "--all", "--cache-dir", cache)
		if code != 1 || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, filepath.Join(cache, "scan", "mine.txt")) {
			t.Errorf("exit %d, stderr %q: want one line naming scan/mine.txt", code, errOut)
		}
		if !exists(filepath.Join(cache, "scan", "layers.db")) || !exists(filepath.Join(cache, "scan", "mine.txt")) {
			t.Error("a refused clean removed files")
		}
	})
}

// TestExitCodeRange: an exit status is one byte, so --exit-code 256 would
// exit 0 with findings; every source of the value (flag, environment,
// config) and every command taking it refuses anything outside 0–255.
func TestExitCodeRange(t *testing.T) {
	dir := t.TempDir()
	archive := writeArchive(t, testImage(t, alpineFiles))
	saved := filepath.Join(dir, "r.json")
	if _, errOut, code := run(t, append([]string{"image", "--input", archive, "-o", saved}, scanArgs(t)...)...); code != 0 {
		t.Fatalf("scan: %s", errOut)
	}
	cfg := filepath.Join(dir, "c.yaml")
	os.WriteFile(cfg, []byte("exit-code: 1000\n"), 0o644)
	for _, tc := range []struct {
		name string
		env  string
		args []string
		want string
	}{
		{"flag 256", "", []string{"image", "--input", archive, "--exit-code", "256"}, "--exit-code 256"},
		{"negative flag", "", []string{"image", "--input", archive, "--exit-code=-1"}, "--exit-code -1"},
		{"environment", "300", []string{"image", "--input", archive}, "--exit-code 300"},
		{"config file", "", []string{"image", "--input", archive, "--config", cfg}, "--exit-code 1000"},
		{"exit-on-eol", "", []string{"fs", "--exit-on-eol", "256", dir}, "--exit-on-eol 256"},
		{"convert", "", []string{"convert", "--exit-code", "512", saved}, "--exit-code 512"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.env != "" {
				t.Setenv("TRAWL_EXIT_CODE", tc.env)
			}
			args := tc.args
			if args[0] != "convert" {
				args = append(append([]string{args[0]}, scanArgs(t)...), args[1:]...)
			}
			_, errOut, code := run(t, args...)
			if code != 1 || !strings.Contains(errOut, tc.want) || !strings.Contains(errOut, "between 0 and 255") {
				t.Errorf("exit %d, stderr %q, want an error about %q", code, errOut, tc.want)
			}
		})
	}
	if _, _, code := run(t, append([]string{"image", "--input", archive, "--exit-code", "255"}, scanArgs(t)...)...); code != 255 {
		t.Errorf("--exit-code 255 with findings: exit %d", code)
	}
}

// TestErrorLineEscapesControlCharacters: a path with terminal escapes in
// an error reaches stderr escaped.
func TestErrorLineEscapesControlCharacters(t *testing.T) {
	dir := t.TempDir()
	evil := filepath.Join(dir, "x\x1b]0;pwned\x07\x1b[2J")
	_, errOut, code := run(t, append([]string{"fs"}, append(scanArgs(t), "--ignorefile", evil, dir)...)...)
	if code != 1 || strings.ContainsAny(errOut, "\x1b\x07") || !strings.Contains(errOut, `x\x1b]0;pwned\x07\x1b[2J`) {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}
