package julia

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
	pkg := func(id, name, version string, s, e int, deps ...string) model.Package {
		p := model.Package{ID: id, Name: name, Version: version, Ecosystem: "Julia",
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
				pkg("ade2ca70-3891-5945-98fb-dc099432e06a", "Dates", "unknown", 3, 5, "de0858da-6303-5e67-8744-51eddeeeb8d7"),
				pkg("682c06a0-de6a-54ab-a142-c8b1cf79cde6", "JSON", "0.21.4", 7, 11, "69de0a69-1ddd-5017-9359-2bf0b02dc9f0", "ade2ca70-3891-5945-98fb-dc099432e06a"),
				pkg("2a550a13-6bab-4a91-a4ee-dff34d6b99d0", "Local", "0.1.0", 21, 26, "682c06a0-de6a-54ab-a142-c8b1cf79cde6"),
				pkg("69de0a69-1ddd-5017-9359-2bf0b02dc9f0", "Parsers", "2.4.2", 13, 16, "ade2ca70-3891-5945-98fb-dc099432e06a"),
				pkg("de0858da-6303-5e67-8744-51eddeeeb8d7", "Printf", "unknown", 18, 19),
			},
		},
		{
			// Hand-checked: LinearAlgebra takes julia_version 1.9.0;
			// the weak dependency ChainRulesCore is not locked; Shadow
			// depends on the Twin whose UUID its table names.
			file: "v2.toml",
			want: []model.Package{
				pkg("621f4979-c628-5d54-868e-fcf4e3e8185c", "AbstractFFTs", "1.3.1", 7, 17, "37e2e46d-f89d-539d-b4ee-838fcccc9c8e"),
				pkg("37e2e46d-f89d-539d-b4ee-838fcccc9c8e", "LinearAlgebra", "1.9.0", 19, 20),
				pkg("ead4f63c-334e-11e9-00e6-e7f0a5f21b60", "Shadow", "2.0.0", 22, 27, "f41f7b98-334e-11e9-1257-49272045fb24"),
				pkg("f41f7b98-334e-11e9-1257-49272045fb24", "Twin", "1.0.0", 29, 31),
				pkg("edca9bc6-334e-11e9-3554-9595dbb4349c", "Twin", "1.1.0", 33, 35),
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
	// on them is ambiguous and dropped; both are packages (Trivy reports
	// every entry, by UUID).
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
	if diff := cmp.Diff([]string{"1", "2", "3"}, ids); diff != "" {
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
		if proj, err := ParseProject(bytes.NewReader(data)); err == nil {
			MarkDirect(pkgs, proj)
		}
	})
}

func TestMarkDirect(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "Project.toml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	proj, err := ParseProject(f)
	if err != nil {
		t.Fatal(err)
	}
	want := &Project{
		Deps:   map[string]string{"JSON": "682c06a0-de6a-54ab-a142-c8b1cf79cde6", "Local": "2a550a13-6bab-4a91-a4ee-dff34d6b99d0"},
		Extras: map[string]string{"Test": "8dfed614-e22c-5e08-85e1-65c5234f0b40"},
	}
	if diff := cmp.Diff(want, proj); diff != "" {
		t.Errorf("ParseProject (-want +got):\n%s", diff)
	}
	// Two packages named B: the project names the one with UUID b2; A's B
	// is b1, indirect. Test is an extra (dev) and brings in Random, which
	// nothing else needs.
	pkgs := []model.Package{
		{ID: "a", Name: "A", DependsOn: []string{"b1"}},
		{ID: "b1", Name: "B"},
		{ID: "b2", Name: "B"},
		{ID: "t", Name: "Test", DependsOn: []string{"r", "b1"}},
		{ID: "r", Name: "Random"},
	}
	MarkDirect(pkgs, &Project{Deps: map[string]string{"A": "a", "B": "b2"}, Extras: map[string]string{"Test": "t"}})
	got := map[string]string{}
	for _, p := range pkgs {
		got[p.ID] = p.Relationship
		if p.Dev {
			got[p.ID] += " dev"
		}
	}
	wantRel := map[string]string{"a": "direct", "b1": "indirect", "b2": "direct", "t": "indirect dev", "r": "indirect dev"}
	if diff := cmp.Diff(wantRel, got); diff != "" {
		t.Errorf("MarkDirect (-want +got):\n%s", diff)
	}
	if _, err := ParseProject(strings.NewReader("[deps\n")); err == nil {
		t.Error("ParseProject: want error for malformed TOML")
	}
}
