package swift

import (
	"bytes"
	"fmt"
	"testing"
)

// BenchmarkParseLarge parses a v2 Package.resolved of 20,000 pins (about
// 5 MB).
func BenchmarkParseLarge(b *testing.B) {
	const n = 20000
	var buf bytes.Buffer
	buf.WriteString("{\n  \"pins\" : [\n")
	for i := range n {
		if i > 0 {
			buf.WriteString(",\n")
		}
		fmt.Fprintf(&buf, "    {\n      \"identity\" : \"swift-pkg-%d\",\n      \"kind\" : \"remoteSourceControl\",\n      \"location\" : \"https://github.com/example/swift-pkg-%d.git\",\n      \"state\" : {\n        \"revision\" : \"%040x\",\n        \"version\" : \"1.%d.0\"\n      }\n    }", i, i, i, i)
	}
	buf.WriteString("\n  ],\n  \"version\" : 2\n}\n")
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
