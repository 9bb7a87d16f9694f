package packagesprops

import (
	"bytes"
	"context"
	"fmt"
	"testing"
)

// BenchmarkParseLarge parses a Directory.Packages.props of 30,000
// PackageVersion items (about 2.2 MB).
func BenchmarkParseLarge(b *testing.B) {
	const n = 30000
	var buf bytes.Buffer
	buf.WriteString("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Project xmlns=\"http://schemas.microsoft.com/developer/msbuild/2003\">\n  <PropertyGroup><ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally></PropertyGroup>\n  <ItemGroup>\n")
	for i := range n {
		fmt.Fprintf(&buf, "    <PackageVersion Include=\"Example.Package%d\" Version=\"1.%d.0\" />\n", i, i)
	}
	buf.WriteString("  </ItemGroup>\n</Project>\n")
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
