package conda

import (
	"bytes"
	"fmt"
	"testing"
)

// BenchmarkParseMetaLarge parses one conda-meta/*.json made large (about
// 3.7 MB) by 50,000 entries in "files" and 5,000 in "paths_data", as in
// big packages; a conda-meta file describes a single package.
func BenchmarkParseMetaLarge(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("{\n  \"build\": \"h5eee18b_0\",\n  \"build_number\": 0,\n  \"channel\": \"https://repo.anaconda.com/pkgs/main/linux-64\",\n  \"depends\": [\n    \"libgcc-ng >=11.2.0\"\n  ],\n  \"files\": [\n")
	for i := range 50000 {
		if i > 0 {
			buf.WriteString(",\n")
		}
		fmt.Fprintf(&buf, "    \"lib/python3.11/site-packages/bench/module_%d.py\"", i)
	}
	buf.WriteString("\n  ],\n  \"paths_data\": {\"paths\": [\n")
	for i := range 5000 {
		if i > 0 {
			buf.WriteString(",\n")
		}
		fmt.Fprintf(&buf, "    {\"_path\": \"lib/x%d.so\", \"path_type\": \"hardlink\", \"sha256\": \"%064x\", \"size_in_bytes\": %d}", i, i, i)
	}
	buf.WriteString("\n  ], \"paths_version\": 1},\n  \"fn\": \"zlib-1.2.13-h5eee18b_0.conda\",\n  \"license\": \"Zlib\",\n  \"name\": \"zlib\",\n  \"version\": \"1.2.13\"\n}\n")
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		p, err := ParseMeta(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		if p.Name != "zlib" || p.Version != "1.2.13" {
			b.Fatalf("got %s@%s", p.Name, p.Version)
		}
	}
}

// BenchmarkParseEnvironmentLarge parses an environment.yml of 15,000
// conda and 5,000 pip pins (about 0.7 MB).
func BenchmarkParseEnvironmentLarge(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("name: bench\nchannels:\n  - conda-forge\n  - defaults\ndependencies:\n")
	for i := range 15000 {
		fmt.Fprintf(&buf, "  - pkg-%d=1.%d.0=py311h%06x_0\n", i, i, i)
	}
	buf.WriteString("  - pip:\n")
	for i := range 5000 {
		fmt.Fprintf(&buf, "      - pypkg-%d==2.%d.0\n", i, i)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		env, err := ParseEnvironment(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		if len(env.Conda) != 15000 || len(env.Pip) != 5000 {
			b.Fatalf("got %d conda, %d pip packages", len(env.Conda), len(env.Pip))
		}
	}
}
