package pom

import (
	"bytes"
	"context"
	"fmt"
	"testing"
)

// BenchmarkParseLarge parses a pom.xml with 1,000 properties, 5,000 managed
// dependencies and 10,000 dependencies whose versions come from
// properties and dependencyManagement (about 2.2 MB).
func BenchmarkParseLarge(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>org.example</groupId>\n  <artifactId>app</artifactId>\n  <version>1.0.0</version>\n  <properties>\n")
	for i := range 1000 {
		fmt.Fprintf(&buf, "    <lib%d.version>1.%d.0</lib%d.version>\n", i, i, i)
	}
	buf.WriteString("  </properties>\n  <dependencyManagement>\n    <dependencies>\n")
	for i := range 5000 {
		fmt.Fprintf(&buf, "      <dependency>\n        <groupId>org.managed</groupId>\n        <artifactId>managed%d</artifactId>\n        <version>2.%d.0</version>\n      </dependency>\n", i, i)
	}
	buf.WriteString("    </dependencies>\n  </dependencyManagement>\n  <dependencies>\n")
	for i := range 10000 {
		if i%2 == 0 {
			fmt.Fprintf(&buf, "    <dependency>\n      <groupId>org.lib%d</groupId>\n      <artifactId>lib%d</artifactId>\n      <version>${lib%d.version}</version>\n    </dependency>\n", i, i, i%1000)
		} else {
			fmt.Fprintf(&buf, "    <dependency>\n      <groupId>org.managed</groupId>\n      <artifactId>managed%d</artifactId>\n    </dependency>\n", i%5000)
		}
	}
	buf.WriteString("  </dependencies>\n</project>\n")
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := Parse(context.Background(), data)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Packages) < 5000 {
			b.Fatalf("got %d packages (%d warnings)", len(res.Packages), len(res.Warnings))
		}
	}
}
