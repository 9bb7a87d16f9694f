package swift

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
	pkg := func(name, version string, s, e int) model.Package {
		return model.Package{ID: name + "@" + version, Name: name, Version: version, Ecosystem: "SwiftURL",
			Relationship: "unknown", Locations: []model.Location{{StartLine: s, EndLine: e}}}
	}
	tests := []struct {
		file string
		want []model.Package
	}{
		{
			// Quick is pinned to a branch, Pinned to a bare revision
			// (left out).
			file: "v1-Package.resolved",
			want: []model.Package{
				pkg("github.com/Quick/Nimble", "9.2.1", 4, 12),
				pkg("github.com/Quick/Quick", "main", 13, 21),
			},
		},
		{
			file: "v2-Package.resolved",
			want: []model.Package{
				pkg("github.com/apple/swift-log", "1.5.3", 3, 11),
				pkg("gitlab.example.com/team/private-kit", "0.4.0", 12, 20),
			},
		},
		{file: "v3-Package.resolved", want: []model.Package{pkg("github.com/apple/swift-collections", "1.1.0", 4, 12)}},
		{file: "empty-Package.resolved"},
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

func TestName(t *testing.T) {
	for in, want := range map[string]string{
		"https://github.com/apple/swift-nio.git":   "github.com/apple/swift-nio",
		"https://github.com/apple/swift-nio":       "github.com/apple/swift-nio",
		"http://example.com/a/b/":                  "example.com/a/b",
		"ssh://git@github.com/apple/swift-nio.git": "github.com/apple/swift-nio",
		"git@github.com:apple/swift-nio.git":       "github.com/apple/swift-nio",
		"/local/path/pkg":                          "/local/path/pkg",
	} {
		if got := Name(in); got != want {
			t.Errorf("Name(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{"", "[]", `{"pins": {}}`, `{"pins": [1]}`, `{"object": []}`, `{"pins": []`, `{"object": 3}`} {
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
			if p.Name == "" || p.Version == "" || p.Locations[0].StartLine > p.Locations[0].EndLine {
				t.Fatalf("bad package %+v", p)
			}
		}
	})
}
