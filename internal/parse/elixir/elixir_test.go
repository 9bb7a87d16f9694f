package elixir

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
	pkg := func(name, version string, line int, deps ...string) model.Package {
		p := model.Package{ID: name + "@" + version, Name: name, Version: version, Ecosystem: "Hex",
			Relationship: "unknown", Locations: []model.Location{{StartLine: line, EndLine: line}}}
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
			// Hand-checked: my_fork is a git dependency without a version;
			// ecto's optional jason is not locked.
			file: "mix.lock",
			want: []model.Package{
				pkg("decimal", "2.1.1", 2),
				pkg("ecto", "3.10.3", 3, "decimal@2.1.1", "telemetry@1.2.1"),
				pkg("telemetry", "1.2.1", 5),
			},
		},
		{file: "empty.mix.lock", want: []model.Package{}},
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

func TestParseLines(t *testing.T) {
	for _, in := range []string{
		`"a" {:hex, :a, "1"}`, `"a": {:hex, a, "1"}`, `"a": {:hex, :a, 1}`, `"a": {:hex, :a, ""}`,
		`"": {:hex, :a, "1"}`, `"a": {:hex, :a}`, `"a`, `"a": {:hex, :, "1"}`,
	} {
		if got, err := Parse(strings.NewReader(in)); err != nil || len(got) != 0 {
			t.Errorf("Parse(%q) = %v, %v; want nothing", in, got, err)
		}
	}
	if _, err := Parse(strings.NewReader(strings.Repeat("x", 17<<20))); err == nil {
		t.Error("want error for an over-long line")
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
			if p.Name == "" || p.Version == "" || strings.Contains(p.Version, `"`) {
				t.Fatalf("bad package %+v", p)
			}
		}
	})
}
