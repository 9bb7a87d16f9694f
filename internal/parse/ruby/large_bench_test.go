package ruby

import (
	"bytes"
	"fmt"
	"testing"
)

// BenchmarkParseLockfile parses a Gemfile.lock of 20,000 gems (about
// 1 MB), each depending on the next.
func BenchmarkParseLockfile(b *testing.B) {
	const n = 20000
	var buf bytes.Buffer
	buf.WriteString("GEM\n  remote: https://rubygems.org/\n  specs:\n")
	for i := range n {
		fmt.Fprintf(&buf, "    gem%d (1.%d.0)\n      gem%d (~> 1.0)\n", i, i, (i+1)%n)
	}
	buf.WriteString("\nPLATFORMS\n  x86_64-linux\n\nDEPENDENCIES\n")
	for i := range 100 {
		fmt.Fprintf(&buf, "  gem%d (~> 1.0)\n", i)
	}
	buf.WriteString("\nBUNDLED WITH\n   2.4.10\n")
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		pkgs, err := ParseLockfile(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		if len(pkgs) != n {
			b.Fatalf("got %d packages, want %d", len(pkgs), n)
		}
	}
}

// BenchmarkParseGemspec parses one installed gemspec made large (about
// 1.3 MB) by 20,000 dependency lines; a gemspec describes a single gem.
func BenchmarkParseGemspec(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("# -*- encoding: utf-8 -*-\n# stub: rack 2.2.4 ruby lib\n\nGem::Specification.new do |s|\n  s.name = \"rack\".freeze\n  s.version = \"2.2.4\"\n\n  s.required_rubygems_version = Gem::Requirement.new(\">= 0\".freeze) if s.respond_to? :required_rubygems_version=\n  s.authors = [\"Leah Neukirchen\".freeze]\n  s.licenses = [\"MIT\".freeze, \"Ruby\".freeze]\n  s.summary = \"A modular Ruby webserver interface\".freeze\n")
	for i := range 20000 {
		fmt.Fprintf(&buf, "  s.add_runtime_dependency(%%q<dep%d>.freeze, [\">= 1.%d\"])\n", i, i)
	}
	buf.WriteString("end\n")
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		p, err := ParseGemspec(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		if p.Name != "rack" || p.Version != "2.2.4" {
			b.Fatalf("got %s@%s", p.Name, p.Version)
		}
	}
}
