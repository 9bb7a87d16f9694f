package pip

import (
	"bytes"
	"fmt"
	"testing"
)

// BenchmarkParseLarge parses a requirements.txt of 20,000 pinned
// requirements (about 4.5 MB) with extras, markers, hashes and line
// continuations.
func BenchmarkParseLarge(b *testing.B) {
	const n = 20000
	var buf bytes.Buffer
	buf.WriteString("# generated\n-i https://pypi.org/simple\n")
	for i := range n {
		fmt.Fprintf(&buf, "pkg-%d[extra]==1.%d.0 ; python_version >= \"3.8\" \\\n    --hash=sha256:%064x \\\n    --hash=sha256:%064x\n", i, i, i, i+1)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		f, err := Parse(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		if len(f.Packages) != n {
			b.Fatalf("got %d packages, want %d", len(f.Packages), n)
		}
	}
}
