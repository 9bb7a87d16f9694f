package packaging

import (
	"bytes"
	"fmt"
	"testing"
)

// BenchmarkParseLarge parses one METADATA file made large (about 1.6 MB):
// 200 classifiers, 2,000 Requires-Dist lines and a 20,000-line
// description body. A METADATA file describes a single distribution.
func BenchmarkParseLarge(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("Metadata-Version: 2.1\nName: Requests_Toolbelt\nVersion: 1.0.0\nSummary: A utility belt\nLicense: Apache 2.0\n")
	for i := range 200 {
		fmt.Fprintf(&buf, "Classifier: Topic :: Benchmark :: Item %d\n", i)
	}
	buf.WriteString("Classifier: License :: OSI Approved :: Apache Software License\n")
	for i := range 2000 {
		fmt.Fprintf(&buf, "Requires-Dist: dep-%d (<3.0.0,>=1.%d) ; extra == \"all\"\n", i, i)
	}
	buf.WriteString("Description-Content-Type: text/markdown\n\n")
	for i := range 20000 {
		fmt.Fprintf(&buf, "Line %d of the long description: with a colon, License: not a header.\n", i)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		p, err := Parse(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		if p.Version != "1.0.0" {
			b.Fatalf("got %s@%s", p.Name, p.Version)
		}
	}
}
