package pipenv

import (
	"bytes"
	"fmt"
	"testing"
)

// BenchmarkParseLarge parses a Pipfile.lock of 18,000 default and 2,000
// develop packages (about 5.6 MB).
func BenchmarkParseLarge(b *testing.B) {
	section := func(buf *bytes.Buffer, prefix string, n int) {
		for i := range n {
			if i > 0 {
				buf.WriteString(",\n")
			}
			fmt.Fprintf(buf, "        \"%s-%d\": {\n            \"hashes\": [\n                \"sha256:%064x\"\n            ],\n            \"index\": \"pypi\",\n            \"markers\": \"python_version >= '3.8'\",\n            \"version\": \"==1.%d.0\"\n        }", prefix, i, i, i)
		}
	}
	var buf bytes.Buffer
	buf.WriteString("{\n    \"_meta\": {\"pipfile-spec\": 6, \"requires\": {\"python_version\": \"3.11\"}},\n    \"default\": {\n")
	section(&buf, "pkg", 18000)
	buf.WriteString("\n    },\n    \"develop\": {\n")
	section(&buf, "devpkg", 2000)
	buf.WriteString("\n    }\n}\n")
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		pkgs, err := Parse(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		if len(pkgs) != 20000 {
			b.Fatalf("got %d packages, want 20000", len(pkgs))
		}
	}
}
