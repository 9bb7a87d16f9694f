package gradle

import (
	"bytes"
	"context"
	"fmt"
	"testing"
)

// BenchmarkParseLarge parses a gradle.lockfile of 50,000 dependencies
// (about 6 MB).
func BenchmarkParseLarge(b *testing.B) {
	const n = 50000
	var buf bytes.Buffer
	buf.WriteString("# This is a Gradle generated file for dependency locking.\n# Manual edits can break the build and are not advised.\n# This file is expected to be part of source control.\n")
	for i := range n {
		fmt.Fprintf(&buf, "org.example.group%d:artifact-%d:1.%d.0=compileClasspath,runtimeClasspath,testCompileClasspath,testRuntimeClasspath\n", i%97, i, i)
	}
	buf.WriteString("empty=annotationProcessor,testAnnotationProcessor\n")
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
