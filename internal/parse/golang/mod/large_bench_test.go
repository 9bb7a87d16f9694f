package mod

import (
	"bytes"
	"context"
	"fmt"
	"testing"
)

// BenchmarkParseLarge parses a go.mod with 20,000 requirements (direct and
// indirect) and 200 replace directives, with its go.sum (40,000 lines),
// about 4.2 MB together.
func BenchmarkParseLarge(b *testing.B) {
	const n = 20000
	var mod, sum bytes.Buffer
	mod.WriteString("module example.com/app\n\ngo 1.22\n\ntoolchain go1.22.5\n\nrequire (\n")
	for i := range n {
		ind := ""
		if i%10 != 0 {
			ind = " // indirect"
		}
		fmt.Fprintf(&mod, "\texample.com/mod%d v1.%d.0%s\n", i, i, ind)
		fmt.Fprintf(&sum, "example.com/mod%d v1.%d.0 h1:%043x=\nexample.com/mod%d v1.%d.0/go.mod h1:%043x=\n", i, i, i, i, i, i+1)
	}
	mod.WriteString(")\n\n")
	for i := range 200 {
		fmt.Fprintf(&mod, "replace example.com/mod%d => example.com/fork%d v1.%d.1\n", i*7, i, i)
	}
	gomod, gosum := mod.Bytes(), sum.Bytes()
	b.SetBytes(int64(len(gomod) + len(gosum)))
	b.ReportAllocs()
	for b.Loop() {
		pkgs, err := ParseWithSum(context.Background(), bytes.NewReader(gomod), bytes.NewReader(gosum), Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(pkgs) < n {
			b.Fatalf("got %d packages, want at least %d", len(pkgs), n)
		}
	}
}
