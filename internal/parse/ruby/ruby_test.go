package ruby

import (
	"bytes"
	"errors"
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

func TestParseLockfile(t *testing.T) {
	pkg := func(name, version, rel string, line int, deps ...string) model.Package {
		p := model.Package{ID: name + "@" + version, Name: name, Version: version, Ecosystem: "RubyGems",
			Relationship: rel, Locations: []model.Location{{StartLine: line, EndLine: line}}}
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
			// Hand-checked: nokogiri is locked for two platforms and kept
			// once (first line, platform dropped); "widget!" names a git
			// gem; mustermann is not locked so it is not in DependsOn;
			// the CHECKSUMS section has no spec lines.
			file: "Gemfile.lock",
			want: []model.Package{
				pkg("nokogiri", "1.13.6", "direct", 11, "racc@1.6.0"),
				pkg("racc", "1.6.0", "indirect", 15),
				pkg("rack", "2.2.4", "indirect", 16),
				pkg("sinatra", "2.2.0", "direct", 17, "rack@2.2.4"),
				pkg("widget", "0.3.0", "direct", 5, "rack@2.2.4"),
			},
		},
		{file: "empty.lock", want: []model.Package{}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := ParseLockfile(bytes.NewReader(readFile(t, tt.file)))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseGemspec(t *testing.T) {
	tests := []struct {
		file    string
		want    model.Package
		wantErr bool
	}{
		{file: "rack.gemspec", want: model.Package{ID: "rack@2.2.4", Name: "rack", Version: "2.2.4",
			Ecosystem: "RubyGems", Relationship: "unknown", Licenses: []string{"MIT", "Ruby"}}},
		// Single-quoted name with a comment; the first name wins.
		{file: "single.gemspec", want: model.Package{ID: "puma@6.4.0", Name: "puma", Version: "6.4.0",
			Ecosystem: "RubyGems", Relationship: "unknown", Licenses: []string{"BSD-3-Clause"}}},
		// RubyGems 1.x wrote %q{} literals.
		{file: "old.gemspec", want: model.Package{ID: "rake@0.8.7", Name: "rake", Version: "0.8.7",
			Ecosystem: "RubyGems", Relationship: "unknown", Licenses: []string{"MIT"}}},
		{file: "noversion.gemspec", wantErr: true},
		{file: "wrongvar.gemspec", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := ParseGemspec(bytes.NewReader(readFile(t, tt.file)))
			if tt.wantErr {
				if !errors.Is(err, ErrGemspec) {
					t.Fatalf("want ErrGemspec, got %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseLockfileLongLine(t *testing.T) {
	in := "GEM\n  specs:\n    a (1.0)\n      " + strings.Repeat("x", 17<<20) + "\n"
	if _, err := ParseLockfile(strings.NewReader(in)); err == nil {
		t.Error("want error for a line over the scanner limit")
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
		pkgs, err := ParseLockfile(bytes.NewReader(data))
		if err == nil {
			for _, p := range pkgs {
				if p.Name == "" || p.Version == "" || p.ID != p.Name+"@"+p.Version {
					t.Fatalf("bad package %+v", p)
				}
			}
		}
		if p, err := ParseGemspec(bytes.NewReader(data)); err == nil && (p.Name == "" || p.Version == "") {
			t.Fatalf("bad gemspec package %+v", p)
		}
	})
}
