package nugetlock

import (
	"bytes"
	"context"
	"fmt"
	"testing"
)

// BenchmarkParseLarge parses a packages.lock.json of 20,000 packages in
// one target framework (about 5 MB), each depending on the next.
func BenchmarkParseLarge(b *testing.B) {
	const n = 20000
	var buf bytes.Buffer
	buf.WriteString("{\n  \"version\": 1,\n  \"dependencies\": {\n    \"net8.0\": {\n")
	for i := range n {
		if i > 0 {
			buf.WriteString(",\n")
		}
		typ, req := "Transitive", ""
		if i%100 == 0 {
			typ, req = "Direct", fmt.Sprintf("        \"requested\": \"[1.%d.0, )\",\n", i)
		}
		fmt.Fprintf(&buf, "      \"Example.Package%d\": {\n        \"type\": \"%s\",\n%s        \"resolved\": \"1.%d.0\",\n        \"contentHash\": \"%064x==\",\n        \"dependencies\": {\n          \"Example.Package%d\": \"1.%d.0\"\n        }\n      }", i, typ, req, i, i, (i+1)%n, (i+1)%n)
	}
	buf.WriteString("\n    }\n  }\n}\n")
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		pkgs, err := Parse(context.Background(), data)
		if err != nil {
			b.Fatal(err)
		}
		if len(pkgs) != n {
			b.Fatalf("got %d packages, want %d", len(pkgs), n)
		}
	}
}
