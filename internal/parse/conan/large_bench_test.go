package conan

import (
	"bytes"
	"context"
	"fmt"
	"testing"
)

// BenchmarkParseV1Large parses a v1 conan.lock (graph_lock) of 20,000
// nodes (about 2.5 MB), each requiring the next.
func BenchmarkParseV1Large(b *testing.B) {
	const n = 20000
	var buf bytes.Buffer
	buf.WriteString("{\n \"graph_lock\": {\n  \"nodes\": {\n   \"0\": {\n    \"requires\": [\"1\"],\n    \"path\": \"conanfile.txt\"\n   }")
	for i := 1; i <= n; i++ {
		req := ""
		if i < n {
			req = fmt.Sprintf(",\n    \"requires\": [\"%d\"]", i+1)
		}
		fmt.Fprintf(&buf, ",\n   \"%d\": {\n    \"ref\": \"pkg%d/1.%d.0@user/testing#%032x\"%s\n   }", i, i, i, i, req)
	}
	buf.WriteString("\n  }\n },\n \"version\": \"0.4\"\n}\n")
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := Parse(context.Background(), data)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Packages) != n {
			b.Fatalf("got %d packages, want %d", len(res.Packages), n)
		}
	}
}

// BenchmarkParseV2Large parses a v2 conan.lock of 50,000 requires and
// 5,000 build_requires (about 4.5 MB).
func BenchmarkParseV2Large(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("{\n    \"version\": \"0.5\",\n    \"requires\": [\n")
	for i := range 50000 {
		if i > 0 {
			buf.WriteString(",\n")
		}
		fmt.Fprintf(&buf, "        \"pkg%d/1.%d.0#%032x%%1675278904.0791488\"", i, i, i)
	}
	buf.WriteString("\n    ],\n    \"build_requires\": [\n")
	for i := range 5000 {
		if i > 0 {
			buf.WriteString(",\n")
		}
		fmt.Fprintf(&buf, "        \"tool%d/2.%d.0#%032x%%1701120593.68\"", i, i, i)
	}
	buf.WriteString("\n    ],\n    \"python_requires\": []\n}\n")
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := Parse(context.Background(), data)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Packages) != 55000 {
			b.Fatalf("got %d packages, want 55000", len(res.Packages))
		}
	}
}
