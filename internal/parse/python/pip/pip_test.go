package pip

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
	pkg := func(name, version string, locs ...model.Location) model.Package {
		return model.Package{ID: pypi.Normalize(name) + "@" + version, Name: name, Version: version, Ecosystem: "PyPI",
			Relationship: model.RelationshipUnknown, Locations: locs}
	}
	l := func(s, e int) model.Location { return model.Location{StartLine: s, EndLine: e} }
	tests := []struct {
		file string
		want *File
	}{
		{
			// Hand-checked against testdata/mixed.txt: only "==" pins to
			// one version are packages; Flask and flask are the same
			// project (two locations); the hash continuation spans 9-11.
			file: "mixed.txt",
			want: &File{
				Packages: []model.Package{
					pkg("Flask", "2.0.0", l(7, 7), l(20, 20)),
					pkg("requests", "2.31.0", l(8, 8)),
					pkg("Zope.Interface", "5.4.0", l(9, 11)),
					pkg("MarkupSafe", "2.0.0", l(12, 12)),
				},
				Includes: []string{"base.txt", "dev.txt", "constraints.txt"},
			},
		},
		{
			file: "utf16.txt",
			want: &File{Packages: []model.Package{pkg("attrs", "20.3.0", l(1, 1)), pkg("six", "1.16.0", l(2, 2))}},
		},
		{file: "unpinned.txt", want: &File{}},
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
	for _, in := range []string{"\xff\xfea\x00b", strings.Repeat("a", maxLine+1)} {
		if _, err := Parse(strings.NewReader(in)); err == nil {
			t.Errorf("Parse(%.20q…): want error", in)
		}
	}
}

func TestPinned(t *testing.T) {
	tests := []struct {
		line, name, version string
		ok                  bool
	}{
		{"a==1", "a", "1", true},
		{"a == v1.0", "a", "v1.0", true},
		{"a==1.0+local.1", "a", "1.0+local.1", true},
		{"a==1!2.0.post1", "a", "1!2.0.post1", true},
		{"a[x]==1", "a", "1", true},
		{"a[x==1", "", "", false},
		{"a==", "", "", false},
		{"==1", "", "", false},
		{"a==1.*", "", "", false},
		{"a~=1.0", "", "", false},
		{"-e .", "", "", false},
	}
	for _, tt := range tests {
		n, v, ok := pinned(tt.line)
		if n != tt.name || v != tt.version || ok != tt.ok {
			t.Errorf("pinned(%q) = %q, %q, %v; want %q, %q, %v", tt.line, n, v, ok, tt.name, tt.version, tt.ok)
		}
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, p := range file.Packages {
			if p.Name == "" || p.Version == "" || strings.Contains(p.Version, "*") {
				t.Fatalf("bad package %+v", p)
			}
			for _, l := range p.Locations {
				if l.StartLine < 1 || l.EndLine < l.StartLine {
					t.Fatalf("bad location %+v", l)
				}
			}
		}
	})
}
