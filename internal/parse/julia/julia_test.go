package julia

import (
	"bytes"
	"github.com/trawlsec/trawl/internal/analyze"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/pkg/model"
)

func TestParse(t *testing.T) {
	pkg := func(name, version string, s, e int, deps ...string) model.Package {
		p := model.Package{ID: name + "@" + version, Name: name, Version: version, Ecosystem: "Julia",
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
			// Hand-checked: Dates and Printf are stdlib entries without a
			// version and no julia_version to fall back on: "unknown";
			// Local's deps table names JSON by UUID.
			file: "v1.toml",
			want: []model.Package{
				pkg("Dates", "unknown", 3, 5, "Printf@unknown"),
				pkg("JSON", "0.21.4", 7, 11, "Dates@unknown", "Parsers@2.4.2"),
				pkg("Local", "0.1.0", 21, 26, "JSON@0.21.4"),
				pkg("Parsers", "2.4.2", 13, 16, "Dates@unknown"),
				pkg("Printf", "unknown", 18, 19),
			},
		},
		{
			// Hand-checked: LinearAlgebra takes julia_version 1.9.0;
			// the weak dependency ChainRulesCore is not locked; Shadow
			// depends on the Twin whose UUID its table names.
			file: "v2.toml",
			want: []model.Package{
				pkg("AbstractFFTs", "1.3.1", 7, 17, "LinearAlgebra@1.9.0"),
				pkg("LinearAlgebra", "1.9.0", 19, 20),
				pkg("Shadow", "2.0.0", 22, 27, "Twin@1.0.0"),
				pkg("Twin", "1.0.0", 29, 31),
				pkg("Twin", "1.1.0", 33, 35),
			},
		},
		{file: "project_only.toml"},
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
	for _, in := range []string{"[[A]\n", "A = [1]\n", "manifest_format = \"2.0\"\ndeps = {A = [3]}\n"} {
		if _, err := Parse(strings.NewReader(in)); err == nil {
			t.Errorf("Parse(%q): want error", in)
		}
	}
}

func TestParseDuplicate(t *testing.T) {
	// Two entries with one name and no deps table: a by-name dependency
	// on them is ambiguous and dropped; equal name@version is kept once.
	in := "julia_version = \"1.10.0\"\nmanifest_format = \"2.0\"\n[[deps.A]]\ndeps = [\"B\"]\nuuid = \"1\"\n[[deps.B]]\nuuid = \"2\"\n[[deps.B]]\nuuid = \"3\"\n"
	got, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range got {
		ids = append(ids, p.ID)
		if len(p.DependsOn) != 0 {
			t.Errorf("%s: unexpected DependsOn %v", p.ID, p.DependsOn)
		}
	}
	if diff := cmp.Diff([]string{"A@1.10.0", "B@1.10.0"}, ids); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
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
		_, _ = Direct(bytes.NewReader(data))
	})
}

func TestDirect(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "Project.toml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	direct, err := Direct(f)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]bool{"JSON": true, "Local": true}, direct); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	pkgs := []model.Package{{Name: "JSON"}, {Name: "Parsers"}}
	analyze.MarkDirect(pkgs, direct, nil)
	if pkgs[0].Relationship != model.RelationshipDirect || pkgs[1].Relationship != model.RelationshipIndirect {
		t.Errorf("MarkDirect: got %q, %q", pkgs[0].Relationship, pkgs[1].Relationship)
	}
	if _, err := Direct(strings.NewReader("[deps\n")); err == nil {
		t.Error("Direct: want error for malformed TOML")
	}
}
