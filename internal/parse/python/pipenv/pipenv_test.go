package pipenv

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
	data, err := os.ReadFile(filepath.Join("testdata", "Pipfile.lock"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	pkg := func(name, version string, dev bool, locs ...model.Location) model.Package {
		return model.Package{ID: pypi.Normalize(name) + "@" + version, Name: name, Version: version, Ecosystem: "PyPI",
			Dev: dev, Relationship: model.RelationshipUnknown, Locations: locs}
	}
	l := func(s, e int) model.Location { return model.Location{StartLine: s, EndLine: e} }
	// Hand-checked: "local" has no version; six is in both sections, so
	// not dev, with both locations.
	want := []model.Package{
		pkg("Flask", "2.0.0", false, l(4, 7)),
		pkg("pytest", "7.0.0", true, l(12, 14)),
		pkg("six", "1.16.0", false, l(8, 8), l(15, 15)),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{``, `[]`, `{"default": []}`, `{"default": {"a": {"version": 1}}}`, `{"default": {}`, `{"develop": {"a": 1}}`} {
		if _, err := Parse(strings.NewReader(in)); err == nil {
			t.Errorf("Parse(%q): want error", in)
		}
	}
}

func FuzzParse(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("testdata", "Pipfile.lock"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(`{"default": {}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		pkgs, err := Parse(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, p := range pkgs {
			if p.Version == "" || len(p.Locations) == 0 || p.Locations[0].StartLine < 1 {
				t.Fatalf("bad package %+v", p)
			}
		}
	})
}
