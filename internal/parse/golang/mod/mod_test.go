package mod

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/trawlsec/trawl/pkg/model"
)

func pkg(name, version, rel string, line int, deps ...string) model.Package {
	p := model.Package{ID: ID(name, version), Name: name, Version: version, Relationship: rel, Ecosystem: "Go", DependsOn: deps}
	if line > 0 {
		p.Locations = []model.Location{{StartLine: line, EndLine: line}}
	}
	return p
}

func TestParse(t *testing.T) {
	tests := []struct {
		dir     string
		opts    Options
		want    []model.Package
		wantErr bool
	}{
		{
			dir: "normal",
			want: []model.Package{
				pkg("example.com/app", "", model.RelationshipRoot, 1, "example.com/direct@v1.2.3", "example.com/two@v2.0.0+incompatible"),
				pkg("example.com/direct", "v1.2.3", model.RelationshipDirect, 7),
				pkg("example.com/ind", "v0.0.0-20240603093900-cf8a8d29271d", model.RelationshipIndirect, 10),
				pkg("example.com/two", "v2.0.0+incompatible", model.RelationshipDirect, 11),
			},
		},
		{
			// comprehensive: the toolchain directive (go1.22.5) names stdlib.
			dir:  "normal",
			opts: Options{Comprehensive: true},
			want: []model.Package{
				pkg("example.com/app", "", model.RelationshipRoot, 1, "example.com/direct@v1.2.3", "example.com/two@v2.0.0+incompatible", "stdlib@v1.22.5"),
				pkg("example.com/direct", "v1.2.3", model.RelationshipDirect, 7),
				pkg("example.com/ind", "v0.0.0-20240603093900-cf8a8d29271d", model.RelationshipIndirect, 10),
				pkg("example.com/two", "v2.0.0+incompatible", model.RelationshipDirect, 11),
				pkg("stdlib", "v1.22.5", model.RelationshipDirect, 0),
			},
		},
		{
			// comprehensive without toolchain: "go 1.21" is a minimum toolchain → v1.21.0.
			dir:  "gotoolchain",
			opts: Options{Comprehensive: true},
			want: []model.Package{
				pkg("example.com/dep", "v1.0.0", model.RelationshipDirect, 5),
				pkg("example.com/tc", "", model.RelationshipRoot, 1, "example.com/dep@v1.0.0", "stdlib@v1.21.0"),
				pkg("stdlib", "v1.21.0", model.RelationshipDirect, 0),
			},
		},
		{
			// go 1.16 is below 1.21: no stdlib even in comprehensive mode.
			dir:  "go116",
			opts: Options{Comprehensive: true},
			want: []model.Package{
				pkg("example.com/direct", "v1.0.0", model.RelationshipDirect, 5),
				pkg("example.com/listed", "v0.1.0", model.RelationshipIndirect, 7),
				pkg("example.com/old", "", model.RelationshipRoot, 1, "example.com/direct@v1.0.0"),
			},
		},
		{
			dir: "replace",
			want: []model.Package{
				pkg("example.com/app", "", model.RelationshipRoot, 1,
					"example.com/fork@v1.0.1", "example.com/mismatch@v1.2.0", "example.com/pinned@v1.1.1"),
				// swapped => fork v1.0.1 (unversioned old side matches any version).
				pkg("example.com/fork", "v1.0.1", model.RelationshipDirect, 6),
				// replace names v1.9.9, required is v1.2.0: not applied.
				pkg("example.com/mismatch", "v1.2.0", model.RelationshipDirect, 8),
				pkg("example.com/pinned", "v1.1.1", model.RelationshipDirect, 7),
				// example.com/local => ./local is left out; example.com/excluded
				// v0.9.0 is excluded.
			},
		},
		{
			dir: "nogo",
			want: []model.Package{
				pkg("example.com/dep", "v1.0.0", model.RelationshipDirect, 3),
				pkg("example.com/nogo", "", model.RelationshipRoot, 1, "example.com/dep@v1.0.0"),
			},
		},
		{dir: "invalid", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%v", tt.dir, tt.opts.Comprehensive), func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", tt.dir, "go.mod"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := Parse(context.Background(), f, tt.opts)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("Parse = %v, want error", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseWithSum(t *testing.T) {
	open := func(name string) *os.File {
		f, err := os.Open(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	got, err := ParseWithSum(context.Background(), open("go116/go.mod"), open("go116/go.sum"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []model.Package{
		pkg("example.com/direct", "v1.0.0", model.RelationshipDirect, 5),
		// only in go.sum: highest version listed (v1.10.0 > v1.9.0 by semver), line 3.
		pkg("example.com/extra", "v1.10.0", model.RelationshipIndirect, 3),
		pkg("example.com/listed", "v0.1.0", model.RelationshipIndirect, 7),
		// the go.sum line for the main module itself is ignored.
		pkg("example.com/old", "", model.RelationshipRoot, 1, "example.com/direct@v1.0.0"),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseWithSum mismatch (-want +got):\n%s", diff)
	}

	// go 1.17+: go.sum is not consulted.
	got, err = ParseWithSum(context.Background(), open("replace/go.mod"), strings.NewReader("example.com/zzz v1.0.0 h1:x=\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range got {
		if p.Name == "example.com/zzz" {
			t.Errorf("go.sum merged into a go 1.17 module: %v", got)
		}
	}
}

func TestNeedsSum(t *testing.T) {
	tests := map[string]bool{"": true, "1.16": true, "1.9": true, "1.17": false, "1.22.0": false, "1.21rc1": false, "2.0": false, "junk": false}
	for v, want := range tests {
		if got := (&File{GoVersion: v}).NeedsSum(); got != want {
			t.Errorf("NeedsSum(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestToolchainVersionFromGoLine(t *testing.T) {
	tests := map[string]string{
		"go 1.22\n":                            "1.22.0",
		"go 1.22.3\n":                          "1.22.3",
		"go 1.22rc1\n":                         "1.22rc1",
		"go 1.20\n":                            "",
		"go 1.21\ntoolchain go1.23.4\n":        "1.23.4",
		"go 1.21\ntoolchain go1.22.5-custom\n": "1.22.5",
		"toolchain default\n":                  "",
	}
	for src, want := range tests {
		f, err := ParseFile(context.Background(), strings.NewReader("module m\n"+src), Options{Comprehensive: true})
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		got := ""
		for _, p := range f.Packages {
			if p.Name == "stdlib" {
				got = strings.TrimPrefix(p.Version, "v")
			}
		}
		if got != want {
			t.Errorf("stdlib for %q = %q, want %q", src, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*/go.*")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		pkgs, err := Parse(context.Background(), bytes.NewReader(data), Options{Comprehensive: true})
		if err == nil {
			for _, p := range pkgs {
				if p.Name == "" {
					t.Fatalf("empty name in %v", pkgs)
				}
			}
		}
		if _, err := ParseSum(context.Background(), bytes.NewReader(data)); err != nil {
			t.Fatalf("ParseSum: %v", err)
		}
	})
}

func TestParseSum(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []model.Package
	}{
		{
			name: "highest version wins, go.mod-only lines count",
			src: "example.com/a v1.9.0 h1:x=\nexample.com/a v1.9.0/go.mod h1:x=\nexample.com/a v1.10.0/go.mod h1:x=\n" +
				"example.com/b v0.1.0 h1:x=\n",
			want: []model.Package{
				pkg("example.com/a", "v1.10.0", model.RelationshipIndirect, 3),
				pkg("example.com/b", "v0.1.0", model.RelationshipIndirect, 4),
			},
		},
		{
			name: "malformed lines skipped",
			src:  "\n# comment\nexample.com/a\nexample.com/a junk h1:x=\n/bad v1.0.0 h1:x=\nexample.com/ok v1.0.0+incompatible h1:x=\n",
			want: []model.Package{pkg("example.com/ok", "v1.0.0+incompatible", model.RelationshipIndirect, 6)},
		},
		{name: "empty", src: "", want: []model.Package{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSum(context.Background(), strings.NewReader(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseSum mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
