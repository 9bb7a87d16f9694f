package csproj

import (
	"bytes"
	"context"
	"fmt"
	"testing"
)

// BenchmarkParseLarge parses and resolves a .csproj with 20,000
// PackageReferences (about 1.3 MB), half of them versioned centrally.
func BenchmarkParseLarge(b *testing.B) {
	const n = 20000
	var buf bytes.Buffer
	buf.WriteString("<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n  </PropertyGroup>\n  <ItemGroup>\n")
	central := make(map[string]string)
	for i := range n {
		if i%2 == 0 {
			fmt.Fprintf(&buf, "    <PackageReference Include=\"Example.Package%d\" Version=\"1.%d.0\" />\n", i, i)
		} else {
			fmt.Fprintf(&buf, "    <PackageReference Include=\"Example.Package%d\" />\n", i)
			central[fmt.Sprintf("example.package%d", i)] = fmt.Sprintf("2.%d.0", i)
		}
	}
	buf.WriteString("  </ItemGroup>\n</Project>\n")
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		refs, err := Parse(context.Background(), data)
		if err != nil {
			b.Fatal(err)
		}
		pkgs, _ := Resolve(refs, central)
		if len(pkgs) != n {
			b.Fatalf("got %d packages, want %d", len(pkgs), n)
		}
	}
}
