package poetry

import (
	"bytes"
	"fmt"
	"github.com/trawlsec/trawl/internal/analyze"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/parse/python/pypi"
	"github.com/trawlsec/trawl/pkg/model"
)

func TestParse(t *testing.T) {
	pkg := func(name, version string, dev bool, s, e int, deps ...string) model.Package {
		p := model.Package{ID: pypi.Normalize(name) + "@" + version, Name: name, Version: version, Ecosystem: "PyPI",
			Dev: dev, Relationship: model.RelationshipUnknown, Locations: []model.Location{{StartLine: s, EndLine: e}}}
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
			// Hand-checked: names normalised; pytest's groups lack "main"
			// so it is dev; zope.interface is locked twice and the first
			// constraint ">=5,<6" picks 5.4.0; "missing" is not locked.
			file: "v2.lock",
			want: []model.Package{
				pkg("Click", "8.1.8", false, 3, 19, "colorama@0.4.6", "zope-interface@5.4.0"),
				pkg("colorama", "0.4.6", false, 21, 27),
				pkg("pytest", "8.0.0", true, 29, 37, "colorama@0.4.6"),
				pkg("zope.interface", "5.4.0", false, 39, 42),
				pkg("zope.interface", "6.1", false, 44, 47),
			},
		},
		{
			// Poetry 1.x categories; [metadata.files] ends the last block.
			file: "v1.lock",
			want: []model.Package{
				pkg("click", "7.0", true, 11, 16),
				pkg("flask", "1.0.3", false, 1, 9, "click@7.0"),
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
	for _, in := range []string{"[[package]\n", "[[package]]\nname = \"a\"\n", "package = 3\n"} {
		if _, err := Parse(strings.NewReader(in)); err == nil {
			t.Errorf("Parse(%q): want error", in)
		}
	}
}

func TestDirect(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "pyproject.toml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := Direct(f)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"requests": true, "idna": true, "sphinx": true, "pytest": true, "flask": true, "ruff": true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	pkgs := []model.Package{{Name: "flask"}, {Name: "click"}}
	analyze.MarkDirect(pkgs, got, nil)
	if pkgs[0].Relationship != model.RelationshipDirect || pkgs[1].Relationship != model.RelationshipIndirect {
		t.Errorf("MarkDirect: got %q, %q", pkgs[0].Relationship, pkgs[1].Relationship)
	}
	if _, err := Direct(strings.NewReader("[project\n")); err == nil {
		t.Error("Direct: want error for malformed TOML")
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, name := range files {
		if fi, err := os.Stat(name); err != nil || fi.IsDir() {
			continue // testdata/fuzz holds the fuzzer's own corpus
		}
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
			if p.Name == "" || p.Version == "" {
				t.Fatalf("bad package %+v", p)
			}
		}
		_, _ = Direct(bytes.NewReader(data))
	})
}

// BenchmarkParse parses a poetry.lock of about 2 MB built by repeating
// entries.
func BenchmarkParse(b *testing.B) {
	var buf bytes.Buffer
	for i := 0; buf.Len() < 2<<20; i++ {
		fmt.Fprintf(&buf, "[[package]]\nname = \"pkg-%d\"\nversion = \"1.0.%d\"\ndescription = \"x\"\noptional = false\npython-versions = \">=3.8\"\ngroups = [\"main\"]\nfiles = [\n    {file = \"pkg-%d-1.0.%d.tar.gz\", hash = \"sha256:aaaa\"},\n]\n\n[package.dependencies]\npkg-%d = \">=1.0\"\n\n", i, i, i, i, i+1)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

// TestParseMisshapenTable is a regression test: go-toml before v2.4 panicked
// decoding "[[package.0]]" into the lockfile struct.
func TestParseMisshapenTable(t *testing.T) {
	if _, err := Parse(strings.NewReader("[[package.0]]\n")); err == nil {
		t.Log("accepted (no packages) — fine as long as it does not panic")
	}
}
