package pylock

import (
	"bytes"
	"fmt"
	"testing"
)

// BenchmarkParseLarge parses a pylock.toml of 20,000 packages (about
// 6.6 MB), each with a wheel and depending on the next.
func BenchmarkParseLarge(b *testing.B) {
	const n = 20000
	var buf bytes.Buffer
	buf.WriteString("lock-version = \"1.0\"\ncreated-by = \"uv\"\nrequires-python = \">=3.9\"\n")
	for i := range n {
		fmt.Fprintf(&buf, "\n[[packages]]\nname = \"pkg-%d\"\nversion = \"1.%d.0\"\ndependencies = [\n  { name = \"pkg-%d\" },\n]\n\n[[packages.wheels]]\nname = \"pkg_%d-1.%d.0-py3-none-any.whl\"\nurl = \"https://files.example/pkg_%d-1.%d.0-py3-none-any.whl\"\n\n[packages.wheels.hashes]\nsha256 = \"%064x\"\n", i, i, (i+1)%n, i, i, i, i, i)
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
