package bun

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
			// Hand-checked: @types/bun is a root devDependency, so it and
			// everything only it reaches (bun-types, the nested ms 2.0.0)
			// are Dev; typescript is a peer dependency (direct, not Dev);
			// lib is a workspace member taking its workspace's version and
			// dependencies; express's debug is not locked.
			file: "bun.lock",
			want: []model.Package{
				pkg("@types/bun", "1.2.14", "direct", true, 27, 27, "bun-types@1.2.14"),
				pkg("bun-types", "1.2.14", "indirect", true, 29, 29, "ms@2.0.0"),
				pkg("express", "4.18.2", "direct", false, 33, 35, "ms@2.1.3"),
				pkg("lib", "0.2.0", "workspace", false, 37, 37, "ms@2.1.3"),
				pkg("ms", "2.0.0", "indirect", true, 31, 31),
				pkg("ms", "2.1.3", "indirect", false, 40, 40),
				pkg("typescript", "5.8.3", "direct", false, 42, 42),
			},
		},
		{file: "empty.lock", want: []model.Package{}},
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

func TestPlainJSON(t *testing.T) {
	in := "{\"a\": \"x // y, ]\", // c\n \"b\": [1, 2, /* z\n */ ],\n}"
	want := "{\"a\": \"x // y, ]\",     \n \"b\": [1, 2      \n    ] \n}"
	if got := string(plainJSON([]byte(in))); got != want {
		t.Errorf("plainJSON:\n got %q\nwant %q", got, want)
	}
}

func TestSplitKey(t *testing.T) {
	got := splitKey("a/@s/b/c/@t")
	if diff := cmp.Diff([]string{"a", "@s/b", "c", "@t"}, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{"", "[]", `{"packages": []}`, `{"packages": {"a": []}}`, `{"packages": {"a": [1]}}`,
		`{"packages": {"a": ["a@1", {"dependencies": 3}]}}`, `{"workspaces": 3}`, `{"packages": {}`} {
		if _, err := Parse(strings.NewReader(in)); err == nil {
			t.Errorf("Parse(%q): want error", in)
		}
	}
	// Entries without a version are skipped.
	got, err := Parse(strings.NewReader(`{"packages": {"a": ["a"], "b": ["@b"], "c": ["c@"]}}`))
	if err != nil || len(got) != 0 {
		t.Errorf("versionless entries: got %v, %v", got, err)
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
		if len(plainJSON(data)) != len(data) {
			t.Fatal("plainJSON changed the length")
		}
		pkgs, err := Parse(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, p := range pkgs {
			if p.Name == "" || p.Version == "" || p.Locations[0].StartLine > p.Locations[0].EndLine {
				t.Fatalf("bad package %+v", p)
			}
		}
	})
}
