package uv

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
	const (
		root     = model.RelationshipRoot
		direct   = model.RelationshipDirect
		indirect = model.RelationshipIndirect
	)
	pkg := func(name, version, rel string, dev bool, s, e int, deps ...string) model.Package {
		p := model.Package{ID: name + "@" + version, Name: name, Version: version, Ecosystem: "PyPI",
			Relationship: rel, Dev: dev, Locations: []model.Location{{StartLine: s, EndLine: e}}}
		if len(deps) > 0 {
			p.DependsOn = deps
		}
		return p
	}
	// Hand-checked against testdata/uv.lock: httpx is wanted with its
	// "socks" extra, so socksio is production and brotli (extra nobody
	// asked for) is reached by nothing; pytest and what it pulls in come
	// only from the dev group; numpy 2.2.0 is reached by nothing; the
	// pytest → numpy edge names its version.
	want := []model.Package{
		pkg("app", "0.1.0", root, false, 4, 20, "httpx@0.28.1", "orjson@3.10.12", "pytest@8.3.4"),
		pkg("brotli", "1.1.0", indirect, true, 48, 51),
		pkg("httpx", "0.28.1", direct, false, 22, 36, "idna@3.10"),
		pkg("idna", "3.10", indirect, false, 38, 41),
		pkg("iniconfig", "2.0.0", indirect, true, 67, 70),
		pkg("numpy", "2.0.2", indirect, true, 72, 75),
		pkg("numpy", "2.2.0", indirect, true, 77, 80),
		pkg("orjson", "3.10.12", direct, false, 53, 56),
		pkg("pytest", "8.3.4", direct, true, 58, 65, "iniconfig@2.0.0", "numpy@2.0.2"),
		pkg("socksio", "1.0.0", indirect, false, 43, 46),
	}
	data, err := os.ReadFile(filepath.Join("testdata", "uv.lock"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestParseNoRoot(t *testing.T) {
	got, err := Parse(strings.NewReader("[[package]]\nname = \"A_b\"\nversion = \"1\"\n\n[[package]]\nname = \"dyn\"\nsource = { editable = \"pkgs/dyn\" }\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []model.Package{{ID: "a-b@1", Name: "A_b", Version: "1", Ecosystem: "PyPI",
		Relationship: model.RelationshipIndirect, Locations: []model.Location{{StartLine: 1, EndLine: 3}}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{"[[package]\n", "[[package]]\nversion = \"1\"\n", "package = 1\n", "[[package]]\nname = \"a\"\ndependencies = 3\n"} {
		if _, err := Parse(strings.NewReader(in)); err == nil {
			t.Errorf("Parse(%q): want error", in)
		}
	}
}

func FuzzParse(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("testdata", "uv.lock"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
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

// TestParseMisshapenTable is a regression test: go-toml before v2.4 panicked
// decoding "[[package.0]]" into the lockfile struct.
func TestParseMisshapenTable(t *testing.T) {
	if _, err := Parse(strings.NewReader("[[package.0]]\n")); err == nil {
		t.Log("accepted (no packages) — fine as long as it does not panic")
	}
}
