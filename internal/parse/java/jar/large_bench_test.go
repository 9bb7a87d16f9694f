package jar

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkParseShaded parses a shaded jar with 5,000 pom.properties (one
// per shaded artifact) and 20,000 class-like entries of 200 bytes (about
// 8.5 MB).
func BenchmarkParseShaded(b *testing.B) {
	const n = 5000
	entries := []entry{{name: "META-INF/MANIFEST.MF", data: []byte("Manifest-Version: 1.0\r\nImplementation-Title: fat\r\nImplementation-Version: 1.0\r\n\r\n")}}
	class := make([]byte, 200)
	for i := range class {
		class[i] = byte(i * 7)
	}
	for i := range n {
		g, a := fmt.Sprintf("org.shaded%d", i%97), fmt.Sprintf("lib%d", i)
		entries = append(entries, entry{name: "META-INF/maven/" + g + "/" + a + "/pom.properties", data: props(g, a, fmt.Sprintf("1.%d.0", i))})
		for c := range 4 {
			entries = append(entries, entry{name: fmt.Sprintf("org/shaded/lib%d/C%d.class", i, c), data: class})
		}
	}
	data := mkzip(b, entries...)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := Parse(context.Background(), "fat-1.0.jar", data, Limits{})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Packages) < n {
			b.Fatalf("got %d packages (%d warnings)", len(res.Packages), len(res.Warnings))
		}
	}
}
