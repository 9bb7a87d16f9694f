package julia

import (
	"bytes"
	"fmt"
	"testing"
)

// BenchmarkParseLarge parses a v2 Manifest.toml of 20,000 packages (about
// 3.3 MB), each depending on the next. The time grows with the square of
// the entry count: go-toml's duplicate-key tracker scans all earlier
// [[deps.*]] keys for every new one (see docs/benchmarks.md).
func BenchmarkParseLarge(b *testing.B) {
	const n = 20000
	var buf bytes.Buffer
	buf.WriteString("# This file is machine-generated - editing it directly is not advised\n\njulia_version = \"1.9.0\"\nmanifest_format = \"2.0\"\nproject_hash = \"f0a796fb78285c02ad123fec6e14c8bac09a2ccc\"\n")
	for i := range n {
		fmt.Fprintf(&buf, "\n[[deps.Pkg%d]]\ndeps = [\"Pkg%d\"]\ngit-tree-sha1 = \"%040x\"\nuuid = \"%08x-c628-5d54-868e-fcf4e3e8185c\"\nversion = \"1.%d.0\"\n", i, (i+1)%n, i, i, i)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		pkgs, err := Parse(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		if len(pkgs) != n {
			b.Fatalf("got %d packages, want %d", len(pkgs), n)
		}
	}
}
