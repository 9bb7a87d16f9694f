package depsjson

import (
	"bytes"
	"context"
	"fmt"
	"testing"
)

// BenchmarkParseLarge parses a .deps.json with 20,000 runtime packages in
// the runtime target and in libraries (about 9.4 MB), each depending on the
// next.
func BenchmarkParseLarge(b *testing.B) {
	const n = 20000
	var buf bytes.Buffer
	buf.WriteString("{\n  \"runtimeTarget\": {\"name\": \".NETCoreApp,Version=v8.0\"},\n  \"targets\": {\n    \".NETCoreApp,Version=v8.0\": {\n      \"App/1.0.0\": {\"dependencies\": {\"Example.Package0\": \"1.0.0\"}, \"runtime\": {\"App.dll\": {}}}")
	for i := range n {
		fmt.Fprintf(&buf, ",\n      \"Example.Package%d/1.%d.0\": {\n        \"dependencies\": {\"Example.Package%d\": \"1.%d.0\"},\n        \"runtime\": {\"lib/net8.0/Example.Package%d.dll\": {\"assemblyVersion\": \"1.%d.0.0\", \"fileVersion\": \"1.%d.0.0\"}}\n      }", i, i, (i+1)%n, (i+1)%n, i, i, i)
	}
	buf.WriteString("\n    }\n  },\n  \"libraries\": {\n    \"App/1.0.0\": {\"type\": \"project\", \"serviceable\": false, \"sha512\": \"\"}")
	for i := range n {
		fmt.Fprintf(&buf, ",\n    \"Example.Package%d/1.%d.0\": {\n      \"type\": \"package\",\n      \"serviceable\": true,\n      \"sha512\": \"sha512-%064x\",\n      \"path\": \"example.package%d/1.%d.0\"\n    }", i, i, i, i, i)
	}
	buf.WriteString("\n  }\n}\n")
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		pkgs, err := Parse(context.Background(), data)
		if err != nil {
			b.Fatal(err)
		}
		if len(pkgs) < n {
			b.Fatalf("got %d packages, want at least %d", len(pkgs), n)
		}
	}
}
