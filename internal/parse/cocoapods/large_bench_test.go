package cocoapods

import (
	"bytes"
	"fmt"
	"testing"
)

// BenchmarkParseLarge parses a Podfile.lock of 20,000 pods (about 1.3 MB),
// each depending on the next.
func BenchmarkParseLarge(b *testing.B) {
	const n = 20000
	var buf bytes.Buffer
	buf.WriteString("PODS:\n")
	for i := range n {
		fmt.Fprintf(&buf, "  - Pod%d (1.%d.0):\n    - Pod%d (~> 1.0)\n", i, i, (i+1)%n)
	}
	buf.WriteString("\nDEPENDENCIES:\n")
	for i := range 100 {
		fmt.Fprintf(&buf, "  - Pod%d (~> 1.0)\n", i)
	}
	buf.WriteString("\nSPEC REPOS:\n  trunk:\n")
	for i := range n {
		fmt.Fprintf(&buf, "    - Pod%d\n", i)
	}
	buf.WriteString("\nPODFILE CHECKSUM: 2acff18c7f9246879b6a1a2d04e5decbc9410ef4\n\nCOCOAPODS: 1.12.1\n")
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
