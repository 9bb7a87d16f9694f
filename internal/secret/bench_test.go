package secret

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Benchmarks over a large real tree: $GOROOT/src, or $TRAWL_BENCH_TREE.
// Besides Go's wall-clock MB/s they report MB/s-cpu (bytes over the
// process's CPU time), which stays meaningful on a loaded machine, and
// files/s. The command and figures are in docs/secrets.md.

func benchTree(tb testing.TB) string {
	tb.Helper()
	root := os.Getenv("TRAWL_BENCH_TREE")
	if root == "" {
		out, err := exec.Command("go", "env", "GOROOT").Output()
		if err != nil {
			tb.Skipf("go env GOROOT: %v", err)
		}
		root = filepath.Join(strings.TrimSpace(string(out)), "src")
	}
	if _, err := os.Stat(root); err != nil {
		tb.Skipf("benchmark tree %s: %v", root, err)
	}
	return root
}

// treeFiles lists the regular files of at most 10 MB under root.
func treeFiles(tb testing.TB, root string) (paths []string, total int64) {
	tb.Helper()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil || info.Size() > 10<<20 {
			return nil
		}
		paths = append(paths, p)
		total += info.Size()
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if len(paths) == 0 {
		tb.Skipf("no files under %s", root)
	}
	return paths, total
}

func loadTree(tb testing.TB, root string) (rel []string, contents [][]byte, total int64) {
	tb.Helper()
	paths, _ := treeFiles(tb, root)
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		r, _ := filepath.Rel(root, p)
		rel = append(rel, filepath.ToSlash(r))
		contents = append(contents, b)
		total += int64(len(b))
	}
	return rel, contents, total
}

type meter struct {
	b     *testing.B
	cpu0  time.Duration
	bytes int64
	files int
}

func startMeter(b *testing.B, bytes int64, files int) *meter {
	b.SetBytes(bytes)
	b.ReportAllocs()
	b.ResetTimer()
	return &meter{b: b, cpu0: cpuTime(), bytes: bytes, files: files}
}

func (m *meter) stop() {
	m.b.StopTimer()
	cpu := (cpuTime() - m.cpu0).Seconds()
	n := float64(m.b.N)
	m.b.ReportMetric(float64(m.files)*n/m.b.Elapsed().Seconds(), "files/s")
	if cpu > 0 {
		m.b.ReportMetric(float64(m.bytes)*n/cpu/1e6, "MB/s-cpu")
	}
}

// BenchmarkPrefilter is the keyword pass alone: the cost every text file
// pays whether or not it holds a secret.
func BenchmarkPrefilter(b *testing.B) {
	s := builtinScanner(b)
	_, contents, total := loadTree(b, benchTree(b))
	var hits []hit
	m := startMeter(b, total, len(contents))
	for range b.N {
		for _, c := range contents {
			hits = s.kw.find(c, hits[:0])
		}
	}
	m.stop()
}

// BenchmarkPrefilterDFA is the same pass with the Aho-Corasick DFA that
// serves as the fallback for keyword sets the table cannot hold.
func BenchmarkPrefilterDFA(b *testing.B) {
	s := builtinScanner(b)
	var kws []string
	for _, r := range s.rules {
		kws = append(kws, r.Keywords...)
	}
	dfa := newKeywordMatcher(kws)
	_, contents, total := loadTree(b, benchTree(b))
	var hits []hit
	m := startMeter(b, total, len(contents))
	for range b.N {
		for _, c := range contents {
			hits = dfa.find(c, hits[:0])
		}
	}
	m.stop()
}

// BenchmarkScan is the whole scan of files held in memory: binary check,
// prefilter, regexps on keyword lines, allow rules, rendering.
func BenchmarkScan(b *testing.B) {
	s := builtinScanner(b)
	paths, contents, total := loadTree(b, benchTree(b))
	n := 0
	m := startMeter(b, total, len(contents))
	for range b.N {
		n = 0
		for i, c := range contents {
			n += len(s.Scan(paths[i], c))
		}
	}
	m.stop()
	b.ReportMetric(float64(n), "findings")
}

// BenchmarkScanStream reads each file, scans it and drops it, as the walker
// does: memory stays independent of the number of files (measure peak RSS
// with /usr/bin/time -v on the test binary).
func BenchmarkScanStream(b *testing.B) {
	s := builtinScanner(b)
	root := benchTree(b)
	paths, total := treeFiles(b, root)
	m := startMeter(b, total, len(paths))
	for range b.N {
		for _, p := range paths {
			c, err := os.ReadFile(p)
			if err != nil {
				continue
			}
			s.Scan(p[len(root):], c)
		}
	}
	m.stop()
}

// BenchmarkRequired is the walker-side path check over every path of the
// tree (skip patterns and built-in allow rules, no regexp).
func BenchmarkRequired(b *testing.B) {
	s := builtinScanner(b)
	root := benchTree(b)
	paths, _ := treeFiles(b, root)
	rel := make([]string, len(paths))
	for i, p := range paths {
		r, _ := filepath.Rel(root, p)
		rel[i] = filepath.ToSlash(r)
	}
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for range b.N {
		n = 0
		for _, p := range rel {
			if s.Required(p) {
				n++
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(rel)), "ns/path")
	b.ReportMetric(float64(n), "required")
}
