package dart

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/pkg/model"
)

func TestParse(t *testing.T) {
	pkg := func(name, version, rel string, dev bool, s, e int) model.Package {
		return model.Package{ID: name + "@" + version, Name: name, Version: version, Ecosystem: "Pub",
			Relationship: rel, Dev: dev, Locations: []model.Location{{StartLine: s, EndLine: e}}}
	}
	tests := []struct {
		file string
		want []model.Package
	}{
		{
			// Hand-checked against the dependency: lines of the fixture;
			// meta's flow-style description ends on its version line.
			file: "pubspec.lock",
			want: []model.Package{
				pkg("async", "2.11.0", "indirect", false, 3, 10),
				pkg("flutter_lints", "2.0.3", "direct", true, 11, 17),
				pkg("flutter_test", "0.0.0", "direct", true, 18, 22),
				pkg("http", "1.1.0", "direct", false, 23, 29),
				pkg("meta", "1.9.1", "direct", false, 30, 34),
				pkg("path_local", "0.1.0", "direct", false, 35, 41),
			},
		},
		{file: "empty.lock"},
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
	for _, in := range []string{"[not yaml\n", "- a\n", "packages: [1]\n", "packages:\n  a: [1]\n"} {
		if _, err := Parse(strings.NewReader(in)); err == nil {
			t.Errorf("Parse(%q): want error", in)
		}
	}
	if got, err := Parse(strings.NewReader("")); err != nil || got != nil {
		t.Errorf("empty input: got %v, %v", got, err)
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
