package pnpm

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/pkg/model"
)

func TestParse(t *testing.T) {
	const (
		direct   = model.RelationshipDirect
		indirect = model.RelationshipIndirect
	)
	pkg := func(name, version, rel string, dev bool, s, e int, deps ...string) model.Package {
		p := model.Package{ID: name + "@" + version, Name: name, Version: version, Ecosystem: "npm",
			Relationship: rel, Dev: dev, Locations: []model.Location{{StartLine: s, EndLine: e}}}
		if len(deps) > 0 {
			p.DependsOn = deps
		}
		return p
	}
	tests := []struct {
		file string
		want []model.Package
	}{
		{
			// v5: "/" separates name and version, "_" starts peers;
			// jest and ms are only reached from devDependencies.
			file: "v5.yaml",
			want: []model.Package{
				pkg("@scope/a", "1.0.0", direct, false, 20, 26, "lodash@4.17.21"),
				pkg("jest", "29.0.0", direct, true, 28, 32, "ms@2.1.3"),
				pkg("lodash", "4.17.21", direct, false, 16, 18),
				pkg("ms", "2.1.3", indirect, true, 34, 36),
			},
		},
		{
			// v6: ms is a devDependency but debug (production) needs it,
			// so it is not dev; the tarball names itself; link: is local.
			file: "v6.yaml",
			want: []model.Package{
				pkg("debug", "4.3.4", direct, false, 21, 25, "ms@2.1.2"),
				pkg("ms", "2.1.2", direct, false, 27, 29),
				pkg("pkg", "3.0.0", direct, false, 31, 35),
			},
		},
		{
			// v9, second document: graph in snapshots, locations from
			// packages; react is direct for the packages/lib importer.
			file: "v9.yaml",
			want: []model.Package{
				pkg("jest-runner", "27.5.1", direct, true, 31, 32, "loose-envify@1.4.0"),
				pkg("loose-envify", "1.4.0", indirect, false, 34, 36),
				pkg("react", "18.2.0", direct, false, 43, 44, "loose-envify@1.4.0"),
				pkg("react-dom", "18.2.0", direct, false, 38, 41, "loose-envify@1.4.0", "react@18.2.0"),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got, err := Parse(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{"a: [\n", "hello\n", "lockfileVersion: 9\nsnapshots:\n  a@1: [x]\n", "packages: {}\n", "lockfileVersion: abc\n", "lockfileVersion: '6.0'\npackages: [1]\n"} {
		if _, err := Parse(strings.NewReader(in)); err == nil {
			t.Errorf("Parse(%q): want error", in)
		}
	}
}

func TestParseDepPath(t *testing.T) {
	tests := []struct {
		key           string
		ver           float64
		name, version string
	}{
		{"/lodash/4.17.21", 5.4, "lodash", "4.17.21"},
		{"registry.npmjs.org/@babel/core/7.21.0_x@1", 5.3, "@babel/core", "7.21.0"},
		{"/@babel/core@7.21.0(x@1)", 6, "@babel/core", "7.21.0"},
		{"@babel/core@7.21.0(x@1)", 9, "@babel/core", "7.21.0"},
		{"@codeload.github.com/a/b/tar.gz/abc", 6, "", ""},
		{"/@scope", 6, "", ""},
		{"pkg@file:../x", 9, "", ""},
	}
	for _, tt := range tests {
		n, v := parseDepPath(tt.key, tt.ver)
		if n != tt.name || v != tt.version {
			t.Errorf("parseDepPath(%q, %v) = %q, %q; want %q, %q", tt.key, tt.ver, n, v, tt.name, tt.version)
		}
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		pkgs, err := Parse(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, p := range pkgs {
			if p.Name == "" || p.Version == "" || p.ID != p.Name+"@"+p.Version {
				t.Fatalf("bad package %+v", p)
			}
		}
	})
}

// BenchmarkParse parses a v9 pnpm-lock.yaml of about 5 MB built by
// repeating entries.
func BenchmarkParse(b *testing.B) {
	var pk, snap bytes.Buffer
	for i := 0; pk.Len()+snap.Len() < 5<<20; i++ {
		fmt.Fprintf(&pk, "  pkg-%d@1.0.%d:\n    resolution: {integrity: sha512-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==}\n    engines: {node: '>=8'}\n\n", i, i)
		fmt.Fprintf(&snap, "  pkg-%d@1.0.%d:\n    dependencies:\n      pkg-%d: 1.0.%d\n\n", i, i, i+1, i+1)
	}
	data := []byte("lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      pkg-0:\n        specifier: ^1\n        version: 1.0.0\n\npackages:\n\n" + pk.String() + "snapshots:\n\n" + snap.String())
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
