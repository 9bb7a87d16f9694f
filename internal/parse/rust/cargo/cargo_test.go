package cargo

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

func crate(name, version, rel string, start, end int, deps ...string) model.Package {
	return model.Package{
		ID: name + "@" + version, Name: name, Version: version, Relationship: rel,
		Ecosystem: "crates.io", DependsOn: deps,
		Locations: []model.Location{{StartLine: start, EndLine: end}},
	}
}

func TestParseLock(t *testing.T) {
	const crates = "registry+https://github.com/rust-lang/crates.io-index"
	tests := []struct {
		file        string
		wantVersion int
		want        []model.Package
		wantKinds   []string
		wantErr     bool
	}{
		{
			file:        "v1.lock",
			wantVersion: 1,
			want: []model.Package{
				crate("app", "0.1.0", model.RelationshipRoot, 1, 6, "libc@0.2.54"),
				// a [[package]] after [metadata]; triple-quoted version; the
				// dependency on an unlocked crate is dropped.
				crate("late", "1.0.0", model.RelationshipIndirect, 18, 25, "libc@0.2.54"),
				// the comment after the block does not extend it.
				crate("libc", "0.2.54", model.RelationshipDirect, 8, 11),
			},
			wantKinds: []string{SourcePath, SourceRegistry, SourceRegistry},
		},
		{
			file:        "v3.lock",
			wantVersion: 3,
			want: []model.Package{
				crate("app", "0.1.0", model.RelationshipRoot, 5, 11, "memchr@1.0.2", "regex@1.7.3"),
				crate("memchr", "1.0.2", model.RelationshipDirect, 13, 17),
				crate("memchr", "2.5.0", model.RelationshipIndirect, 19, 23),
				// "regex" (name only) resolves to the one locked regex.
				crate("regex", "1.7.3", model.RelationshipDirect, 25, 32, "memchr@2.5.0"),
			},
			wantKinds: []string{SourcePath, SourceRegistry, SourceRegistry, SourceRegistry},
		},
		{
			file:        "v4-workspace.lock",
			wantVersion: 4,
			want: []model.Package{
				// cli is local and nothing depends on it: root.
				crate("cli", "0.2.0", model.RelationshipRoot, 5, 11, "core@0.2.0", "forked@0.5.0"),
				// core is local and cli depends on it: workspace member.
				crate("core", "0.2.0", model.RelationshipWorkspace, 13, 18, "serde@1.0.1"),
				crate("forked", "0.5.0", model.RelationshipDirect, 20, 26, "serde@1.0.1"),
				// two serde 1.0.1: the git one only forked (not local) uses.
				crate("serde", "1.0.1", model.RelationshipIndirect, 28, 31),
				crate("serde", "1.0.1", model.RelationshipDirect, 33, 37),
			},
			wantKinds: []string{SourcePath, SourcePath, SourceGit, SourceGit, SourceRegistry},
		},
		{file: "empty.lock", wantVersion: 4},
		{file: "invalid.lock", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			l, err := ParseLock(context.Background(), f)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ParseLock = %+v, want error", l)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseLock: %v", err)
			}
			if l.Version != tt.wantVersion {
				t.Errorf("Version = %d, want %d", l.Version, tt.wantVersion)
			}
			var got []model.Package
			var kinds []string
			for _, c := range l.Crates {
				got = append(got, c.Package)
				kinds = append(kinds, c.Source.Kind)
				if c.Source.Kind == SourceRegistry && c.Source.Raw != crates {
					t.Errorf("%s: raw source %q", c.Package.ID, c.Source.Raw)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("packages mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantKinds, kinds); diff != "" {
				t.Errorf("source kinds mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseV2ShortForm(t *testing.T) {
	// No version key, no [metadata], short dependency strings: format 2.
	src := "[[package]]\nname = \"a\"\nversion = \"1.0.0\"\ndependencies = [\"b\"]\n\n" +
		"[[package]]\nname = \"b\"\nversion = \"2.0.0\"\nsource = \"sparse+https://index.crates.io/\"\n"
	l, err := ParseLock(context.Background(), strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if l.Version != 2 {
		t.Errorf("Version = %d, want 2", l.Version)
	}
	want := []model.Package{
		crate("a", "1.0.0", model.RelationshipRoot, 1, 4, "b@2.0.0"),
		crate("b", "2.0.0", model.RelationshipDirect, 6, 9),
	}
	pkgs, err := Parse(context.Background(), strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, pkgs); diff != "" {
		t.Errorf("Parse mismatch (-want +got):\n%s", diff)
	}
}

func TestParseLocationsDropped(t *testing.T) {
	// A "[[package]]" line inside a multi-line string makes the block scan
	// disagree with the document: locations are left out, not misplaced.
	src := "[[package]]\nname = \"a\"\nversion = \"1.0.0\"\nsource = \"registry+x\"\nchecksum = \"\"\"\n[[package]]\n\"\"\"\n"
	pkgs, err := Parse(context.Background(), strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) != 1 || pkgs[0].Locations != nil {
		t.Errorf("got %+v, want one package without locations", pkgs)
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.lock")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		pkgs, err := Parse(context.Background(), bytes.NewReader(data))
		if err != nil {
			return
		}
		ids := map[string]bool{}
		for _, p := range pkgs {
			ids[p.ID] = true
		}
		for _, p := range pkgs {
			for _, d := range p.DependsOn {
				if !ids[d] {
					t.Fatalf("%s depends on unknown %s", p.ID, d)
				}
			}
			for _, l := range p.Locations {
				if l.StartLine < 1 || l.EndLine < l.StartLine {
					t.Fatalf("%s: bad location %+v", p.ID, l)
				}
			}
		}
	})
}

// BenchmarkParseLarge parses a lock file of 5000 crates, each depending on
// the one before.
func BenchmarkParseLarge(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("version = 3\n\n[[package]]\nname = \"root\"\nversion = \"0.1.0\"\ndependencies = [\n \"crate0\",\n]\n")
	for i := range 5000 {
		fmt.Fprintf(&sb, "\n[[package]]\nname = \"crate%d\"\nversion = \"1.%d.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"%064d\"\n", i, i, i)
		if i+1 < 5000 {
			fmt.Fprintf(&sb, "dependencies = [\n \"crate%d\",\n]\n", i+1)
		}
	}
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		pkgs, err := Parse(context.Background(), bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		if len(pkgs) != 5001 {
			b.Fatalf("got %d packages", len(pkgs))
		}
	}
}
