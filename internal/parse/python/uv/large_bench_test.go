package uv

import (
	"bytes"
	"fmt"
	"testing"
)

// BenchmarkParseLarge parses a uv.lock of an editable project and 20,000
// registry packages (about 10.6 MB), each depending on the next.
func BenchmarkParseLarge(b *testing.B) {
	const n = 20000
	var buf bytes.Buffer
	buf.WriteString("version = 1\nrequires-python = \">=3.9\"\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\nsource = { editable = \".\" }\ndependencies = [\n    { name = \"pkg-0\" },\n]\n")
	for i := range n {
		fmt.Fprintf(&buf, "\n[[package]]\nname = \"pkg-%d\"\nversion = \"1.%d.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n", i, i)
		if i+1 < n {
			fmt.Fprintf(&buf, "dependencies = [\n    { name = \"pkg-%d\" },\n]\n", i+1)
		}
		fmt.Fprintf(&buf, "sdist = { url = \"https://files.pythonhosted.org/packages/pkg-%d-1.%d.0.tar.gz\", hash = \"sha256:%064x\", size = 12345 }\nwheels = [\n    { url = \"https://files.pythonhosted.org/packages/pkg_%d-1.%d.0-py3-none-any.whl\", hash = \"sha256:%064x\", size = 6789 },\n]\n", i, i, i, i, i, i+1)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		pkgs, err := Parse(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		if len(pkgs) != n+1 {
			b.Fatalf("got %d packages, want %d", len(pkgs), n+1)
		}
	}
}
