package php

import (
	"bytes"
	"fmt"
	"testing"
)

// composerPackages writes n composer package objects, each requiring the
// next, as the body of a JSON array.
func composerPackages(buf *bytes.Buffer, prefix string, n int) {
	for i := range n {
		if i > 0 {
			buf.WriteString(",\n")
		}
		fmt.Fprintf(buf, "        {\n            \"name\": \"%s/pkg-%d\",\n            \"version\": \"1.%d.0\",\n            \"version_normalized\": \"1.%d.0.0\",\n            \"require\": {\"php\": \">=8.0\", \"%s/pkg-%d\": \"^1.0\"},\n            \"license\": [\"MIT\"],\n            \"description\": \"A package used to benchmark the composer parsers\"\n        }", prefix, i, i, i, prefix, (i+1)%n)
	}
}

// BenchmarkParseLockfile parses a composer.lock of 18,000 packages and
// 2,000 dev packages (about 6 MB).
func BenchmarkParseLockfile(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("{\n    \"_readme\": [\"This file locks the dependencies\"],\n    \"content-hash\": \"abc\",\n    \"packages\": [\n")
	composerPackages(&buf, "vendor", 18000)
	buf.WriteString("\n    ],\n    \"packages-dev\": [\n")
	composerPackages(&buf, "devvendor", 2000)
	buf.WriteString("\n    ],\n    \"aliases\": [],\n    \"platform\": {\"php\": \">=8.1\"}\n}\n")
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		pkgs, err := ParseLockfile(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		if len(pkgs) != 20000 {
			b.Fatalf("got %d packages, want 20000", len(pkgs))
		}
	}
}

// BenchmarkParseInstalled parses a v2 vendor/composer/installed.json of
// 20,000 packages (about 6 MB).
func BenchmarkParseInstalled(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("{\n    \"packages\": [\n")
	composerPackages(&buf, "vendor", 20000)
	buf.WriteString("\n    ],\n    \"dev\": true,\n    \"dev-package-names\": [\"vendor/pkg-1\"]\n}\n")
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		pkgs, err := ParseInstalled(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		if len(pkgs) != 20000 {
			b.Fatalf("got %d packages, want 20000", len(pkgs))
		}
	}
}
