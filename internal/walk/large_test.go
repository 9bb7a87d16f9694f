package walk

import (
	"archive/tar"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/analyze/lang/golang"
)

// largeBinarySize is the size the test Go binary is padded to: over
// DefaultMaxFileSize, as kubelet or terraform are.
const largeBinarySize = 100 << 20

// buildLargeGoBinary builds a small program that depends on
// golang.org/x/sync (at the version trawl requires, so it comes from the
// module cache; no network) and returns its path.
func buildLargeGoBinary(t *testing.T) string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not on PATH: cannot build the test binary")
	}
	env := append(os.Environ(), "GOPROXY=off", "GOSUMDB=off", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local", "GOWORK=off", "CGO_ENABLED=0")
	// The version trawl itself requires (run in this package's directory).
	list := exec.Command(gobin, "list", "-m", "-f", "{{.Version}}", "golang.org/x/sync")
	list.Env = env
	v, err := list.Output()
	if err != nil {
		t.Fatalf("go list -m golang.org/x/sync: %v", err)
	}
	syncVersion := strings.TrimSpace(string(v))
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":  "module example.com/big\n\ngo 1.21\n\nrequire golang.org/x/sync " + syncVersion + "\n",
		"main.go": "package main\n\nimport \"golang.org/x/sync/errgroup\"\n\nfunc main() {\n\tvar g errgroup.Group\n\tg.Go(func() error { return nil })\n\t_ = g.Wait()\n}\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(dir, "big")
	cmd := exec.Command(gobin, "build", "-buildvcs=false", "-o", out, ".")
	cmd.Dir = dir
	cmd.Env = env
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	return out
}

// largeLayer streams a layer tar holding the binary at usr/local/bin/big,
// padded with zeros to largeBinarySize (an ELF is read by its headers, so
// trailing bytes keep it valid), without holding it in memory.
func largeLayer(t *testing.T, bin string) io.ReadCloser {
	t.Helper()
	f, err := os.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	go func() {
		defer f.Close()
		tw := tar.NewWriter(pw)
		err := tw.WriteHeader(&tar.Header{Name: "usr/local/bin/big", Typeflag: tar.TypeReg, Size: largeBinarySize, Mode: 0o755})
		if err == nil {
			_, err = io.Copy(tw, io.MultiReader(f, io.LimitReader(zeros{}, largeBinarySize-fi.Size())))
		}
		if err == nil {
			err = tw.Close()
		}
		pw.CloseWithError(err)
	}()
	return pr
}

// TestTarLargeGoBinary: a 100 MiB Go binary in a layer, over the in-memory
// cap, is analysed through a temp file (its modules reported) and the temp
// file is gone afterwards. It logs the peak RSS of the test process
// (docs/benchmarks.md), and, for comparison, that of the same walk with
// the cap raised so that the binary is read into memory.
func TestTarLargeGoBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a Go program and streams a 100 MiB layer")
	}
	bin := buildLargeGoBinary(t)
	tests := []struct {
		name        string
		maxFileSize int64
	}{
		{"spilled", 0},           // the default cap: random access through a temp file
		{"in memory", 128 << 20}, // the cap raised over the binary: read whole
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resetPeakRSS()
			tmp := t.TempDir()
			w := New([]analyze.Analyzer{golang.NewBinary()}, Options{MaxFileSize: tt.maxFileSize, TempDir: tmp})
			rc := largeLayer(t, bin)
			defer rc.Close()
			res, err := w.Tar(context.Background(), rc)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("peak RSS of the test process: %s", peakRSS())
			if len(res.Skipped) != 0 || len(res.Errors) != 0 {
				t.Fatalf("skipped %+v, errors %+v", res.Skipped, res.Errors)
			}
			if len(res.Applications) != 1 || res.Applications[0].FilePath != "usr/local/bin/big" {
				t.Fatalf("applications = %+v", res.Applications)
			}
			var names []string
			for _, p := range res.Applications[0].Packages {
				names = append(names, p.Name)
			}
			sort.Strings(names)
			if diff := cmp.Diff([]string{"example.com/big", "golang.org/x/sync", "stdlib"}, names); diff != "" {
				t.Errorf("modules (-want +got):\n%s", diff)
			}
			if left, _ := os.ReadDir(tmp); len(left) != 0 {
				t.Errorf("temp files left behind: %v", left)
			}
		})
	}
}

// resetPeakRSS resets the process's peak RSS (Linux; elsewhere a no-op).
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS reads the process's peak RSS since the last reset (Linux).
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
