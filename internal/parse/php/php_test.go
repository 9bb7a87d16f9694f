package php

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

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func pkg(name, version string, dev bool, lic []string, s, e int, deps ...string) model.Package {
	p := model.Package{ID: name + "@" + version, Name: name, Version: version, Ecosystem: "Packagist",
		Relationship: model.RelationshipUnknown, Dev: dev, Licenses: lic,
		Locations: []model.Location{{StartLine: s, EndLine: e}}}
	if len(deps) > 0 {
		p.DependsOn = deps
	}
	return p
}

func TestParse(t *testing.T) {
	mit := []string{"MIT"}
	tests := []struct {
		file string
		want []model.Package
	}{
		{
			// Hand-checked: the name is lower-cased; "php" and "ext-json"
			// are platform requirements; sebastian/diff is not locked;
			// the licence is a string for psr/log.
			file: "composer.lock",
			want: []model.Package{
				pkg("monolog/monolog", "2.9.1", false, mit, 5, 13, "psr/log@3.0.0"),
				pkg("phpunit/phpunit", "10.1.0", true, []string{"BSD-3-Clause", "MIT"}, 22, 27, "psr/log@3.0.0"),
				pkg("psr/log", "3.0.0", false, mit, 14, 19),
			},
		},
		{
			file: "installed_v1.json",
			want: []model.Package{
				pkg("psr/container", "1.1.2", false, nil, 7, 11, "psr/log@1.1.4"),
				pkg("psr/log", "1.1.4", false, mit, 2, 6),
			},
		},
		{
			file: "installed_v2.json",
			want: []model.Package{
				pkg("phpunit/phpunit", "10.1.0", true, nil, 9, 13, "psr/log@3.0.0"),
				pkg("psr/log", "3.0.0", false, mit, 3, 8),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			parse := ParseLockfile
			if strings.HasPrefix(tt.file, "installed") {
				parse = ParseInstalled
			}
			got, err := parse(bytes.NewReader(readFile(t, tt.file)))
			if err != nil {
				t.Fatal(err)
			}
			// The parser sorts by ID; the table is in that order.
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{"", "[", "{\"packages\": {}}", "{\"packages\": [1]}", "{\"packages\": []", string(readFile(t, "noversion.lock"))} {
		if _, err := ParseLockfile(strings.NewReader(in)); err == nil {
			t.Errorf("ParseLockfile(%q): want error", in)
		}
	}
	for _, in := range []string{"", "[{]", "\"x\"", "{\"packages\": [{\"name\": \"a/b\"}]}", "{\"dev-package-names\": 3}"} {
		if _, err := ParseInstalled(strings.NewReader(in)); err == nil {
			t.Errorf("ParseInstalled(%q): want error", in)
		}
	}
	if got, err := ParseLockfile(strings.NewReader(`{"packages": null, "packages-dev": []}`)); err != nil || len(got) != 0 {
		t.Errorf("null packages: got %v, %v", got, err)
	}
}

func TestDirect(t *testing.T) {
	got, err := Direct(bytes.NewReader(readFile(t, "composer.json")))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"php": true, "monolog/monolog": true, "phpunit/phpunit": true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	pkgs := []model.Package{{Name: "monolog/monolog"}, {Name: "psr/log"}}
	analyze.MarkDirect(pkgs, got, nil)
	if pkgs[0].Relationship != model.RelationshipDirect || pkgs[1].Relationship != model.RelationshipIndirect {
		t.Errorf("MarkDirect: got %q, %q", pkgs[0].Relationship, pkgs[1].Relationship)
	}
	if _, err := Direct(strings.NewReader("{")); err == nil {
		t.Error("Direct: want error")
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
		for _, parse := range []func(r *bytes.Reader) ([]model.Package, error){
			func(r *bytes.Reader) ([]model.Package, error) { return ParseLockfile(r) },
			func(r *bytes.Reader) ([]model.Package, error) { return ParseInstalled(r) },
		} {
			pkgs, err := parse(bytes.NewReader(data))
			if err != nil {
				continue
			}
			for _, p := range pkgs {
				if p.Name == "" || p.Version == "" || p.Locations[0].StartLine > p.Locations[0].EndLine {
					t.Fatalf("bad package %+v", p)
				}
			}
		}
		_, _ = Direct(bytes.NewReader(data))
	})
}
