package nugetconfig

import (
	"bytes"
	"context"
	"fmt"
	"testing"
)

// BenchmarkParseLarge parses a packages.config of 30,000 packages (about
// 2.5 MB).
func BenchmarkParseLarge(b *testing.B) {
	const n = 30000
	var buf bytes.Buffer
	buf.WriteString("\ufeff<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<packages>\n")
	for i := range n {
		fmt.Fprintf(&buf, "  <package id=\"Example.Package%d\" version=\"1.%d.0\" targetFramework=\"net46\" />\n", i, i)
	}
	buf.WriteString("</packages>\n")
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
