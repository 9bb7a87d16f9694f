package elixir

import (
	"bytes"
	"fmt"
	"testing"
)

// BenchmarkParseLarge parses a mix.lock of 20,000 hex packages (about
// 6 MB), each depending on the next.
func BenchmarkParseLarge(b *testing.B) {
	const n = 20000
	var buf bytes.Buffer
	buf.WriteString("%{\n")
	for i := range n {
		fmt.Fprintf(&buf, "  \"pkg_%d\": {:hex, :pkg_%d, \"1.%d.0\", \"%064x\", [:mix], [{:pkg_%d, \"~> 1.0\", [hex: :pkg_%d, repo: \"hexpm\", optional: false]}], \"hexpm\", \"%064x\"},\n", i, i, i, i, (i+1)%n, (i+1)%n, i+1)
	}
	buf.WriteString("}\n")
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
