package bun

import (
	"bytes"
	"fmt"
	"testing"
)

// BenchmarkParseLarge parses a bun.lock of 20,000 packages (about 3.4 MB),
// each depending on the next, the root on the first 100.
func BenchmarkParseLarge(b *testing.B) {
	const n = 20000
	var buf bytes.Buffer
	buf.WriteString("{\n  \"lockfileVersion\": 1,\n  \"workspaces\": {\n    \"\": {\n      \"name\": \"app\",\n      \"dependencies\": {\n")
	for i := range 100 {
		fmt.Fprintf(&buf, "        \"pkg-%d\": \"^1.0.0\",\n", i)
	}
	buf.WriteString("      },\n    },\n  },\n  \"packages\": {\n")
	for i := range n {
		fmt.Fprintf(&buf, "    \"pkg-%d\": [\"pkg-%d@1.%d.0\", \"\", { \"dependencies\": { \"pkg-%d\": \"1.%d.0\" } }, \"sha512-%064d\"],\n\n", i, i, i, (i+1)%n, (i+1)%n, i)
	}
	buf.WriteString("  }\n}\n")
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
