package pylock

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/parse/python/pypi"
	"github.com/trawlsec/trawl/pkg/model"
)

func TestParse(t *testing.T) {
	pkg := func(name, version string, s, e int, deps ...string) model.Package {
		p := model.Package{ID: pypi.Normalize(name) + "@" + version, Name: name, Version: version, Ecosystem: "PyPI",
			Relationship: "unknown", Locations: []model.Location{{StartLine: s, EndLine: e}}}
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
			// Hand-checked: names normalised; idna is listed twice at one
			// version (kept once, first block); charset-normalizer 9.9 is
			// not locked; local-tool has no version; [tool.example] ends
			// the last block.
			file: "pylock.toml",
			want: []model.Package{
				pkg("charset-normalizer", "3.4.0", 21, 23),
				pkg("idna", "3.10", 26, 29),
				pkg("Requests", "2.32.3", 5, 19, "charset-normalizer@3.4.0", "idna@3.10"),
			},
		},
		{file: "empty.toml", want: []model.Package{}},
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
	for _, in := range []string{"[[packages]\n", "packages = 3\n", "packages = [1]\n", "[[packages]]\nname = 1\n",
		"[[packages]]\nname = \"a\"\nversion = 1\n", "[[packages.0]]\n"} {
		if _, err := Parse(strings.NewReader(in)); err == nil {
			t.Errorf("Parse(%q): want error", in)
		}
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, name := range files {
		if info, err := os.Stat(name); err != nil || info.IsDir() {
			continue
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
	})
}
