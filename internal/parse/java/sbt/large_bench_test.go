package sbt

import (
	"bytes"
	"context"
	"fmt"
	"testing"
)

// BenchmarkParseLarge parses a build.sbt.lock of 30,000 dependencies
// (about 6.9 MB).
func BenchmarkParseLarge(b *testing.B) {
	const n = 30000
	var buf bytes.Buffer
	buf.WriteString("{\n  \"lockVersion\": 1,\n  \"timestamp\": \"2024-01-01T00:00:00Z\",\n  \"configurations\": [\"compile\", \"runtime\", \"test\"],\n  \"dependencies\": [\n")
	for i := range n {
		if i > 0 {
			buf.WriteString(",\n")
		}
		conf := `"compile", "runtime", "test"`
		if i%10 == 0 {
			conf = `"test"`
		}
		fmt.Fprintf(&buf, "    {\"org\": \"org.example%d\", \"name\": \"lib-%d_2.13\", \"version\": \"1.%d.0\", \"artifacts\": [{\"name\": \"lib-%d_2.13.jar\", \"hash\": \"sha1:%040x\"}], \"configurations\": [%s]}", i%97, i, i, i, i, conf)
	}
	buf.WriteString("\n  ]\n}\n")
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
