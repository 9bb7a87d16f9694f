package npm

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/pkg/model"
)

func loc(s, e int) []model.Location { return []model.Location{{StartLine: s, EndLine: e}} }

func TestParseLockfile(t *testing.T) {
	const (
		direct   = model.RelationshipDirect
		indirect = model.RelationshipIndirect
		unknown  = model.RelationshipUnknown
	)
	pkg := func(name, version, rel string, dev bool, locs []model.Location, deps ...string) model.Package {
		p := model.Package{ID: name + "@" + version, Name: name, Version: version, Ecosystem: "npm",
			Relationship: rel, Dev: dev, Locations: locs}
		if len(deps) > 0 {
			p.DependsOn = deps
		}
		return p
	}
	withLicense := func(p model.Package, l ...string) model.Package { p.Licenses = l; return p }
	tests := []struct {
		file string
		want []model.Package
	}{
		{
			// Line numbers counted by hand in the fixture. The workspace
			// pkgs/w is reached through the link node_modules/w and is a
			// direct dependency of the root; the broken link (no
			// "resolved") is dropped; the root package is not reported.
			file: "v3-workspace.json",
			want: []model.Package{
				withLicense(pkg("a", "1.0.0", direct, false, loc(18, 24), "b@2.0.0"), "MIT"),
				pkg("b", "1.0.0", indirect, true, loc(28, 31)),
				pkg("b", "2.0.0", indirect, false, loc(25, 27)),
				pkg("d", "1.0.0", direct, true, loc(32, 38), "b@1.0.0"),
				pkg("w", "0.1.0", direct, false, loc(46, 51), "a@1.0.0"),
			},
		},
		{
			// v1: nested a/b shadows top-level b for a's requirement.
			file: "v1.json",
			want: []model.Package{
				pkg("a", "1.0.0", unknown, false, loc(7, 18), "b@2.0.0", "c@1.0.0"),
				pkg("b", "1.0.0", unknown, true, loc(19, 22)),
				pkg("b", "2.0.0", unknown, false, loc(14, 16)),
				pkg("c", "1.0.0", unknown, false, loc(23, 25)),
			},
		},
		{
			// x@1.0.0 is installed twice; one copy is not dev, so the
			// merged package is not dev and has both locations. The
			// v1-style "dependencies" section of a v2 file is ignored.
			file: "v2-dupes.json",
			want: []model.Package{
				withLicense(pkg("@s/real", "3.0.0", indirect, false, loc(8, 8)), "ISC"),
				pkg("x", "1.0.0", indirect, false, []model.Location{{StartLine: 5, EndLine: 5}, {StartLine: 7, EndLine: 7}}),
				pkg("y", "1.0.0", direct, false, loc(6, 6), "x@1.0.0"),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := ParseLockfile(f)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseLockfile mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseLockfileErrors(t *testing.T) {
	for _, in := range []string{
		``,
		`[]`,
		`{`,
		`{"packages": {"node_modules/a": {"version": 1}}}`,
		`{"lockfileVersion": 1, "dependencies": {"a": 3}}`,
		`{"lockfileVersion": "3"}`,
		`{"packages": []}`,
		`{"lockfileVersion": 1, "dependencies": {"a": {"version": "1", "dependencies": {"b": {"version": [}}}}}`,
	} {
		if _, err := ParseLockfile(strings.NewReader(in)); err == nil {
			t.Errorf("ParseLockfile(%q): want error", in)
		}
	}
}

func TestParseLockfileDeepNesting(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"lockfileVersion": 1, "dependencies": `)
	for range maxDepth + 10 {
		b.WriteString(`{"a": {"version": "1", "dependencies": `)
	}
	b.WriteString(`{}`)
	for range maxDepth + 10 {
		b.WriteString(`}}`)
	}
	b.WriteString(`}`)
	if _, err := ParseLockfile(strings.NewReader(b.String())); err == nil {
		t.Error("want an error for nesting beyond maxDepth")
	}
}

func TestParsePackageJSON(t *testing.T) {
	tests := []struct {
		file    string
		want    model.Package
		ok      bool
		wantErr bool
	}{
		{file: "string.json", ok: true, want: model.Package{ID: "left-pad@1.3.0", Name: "left-pad", Version: "1.3.0", Ecosystem: "npm", Licenses: []string{"WTFPL"}}},
		{file: "legacy-array.json", ok: true, want: model.Package{ID: "@scope/x@2.0.0", Name: "@scope/x", Version: "2.0.0", Ecosystem: "npm", Licenses: []string{"MIT", "Apache-2.0"}}},
		{file: "legacy-object.json", ok: true, want: model.Package{ID: "old@0.1.0", Name: "old", Version: "0.1.0", Ecosystem: "npm", Licenses: []string{"BSD"}}},
		{file: "no-version.json"},
		{file: "bad-name.json", wantErr: true},
		{file: "malformed.json", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "pkgjson", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got, ok, err := ParsePackageJSON(bytes.NewReader(data))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLicenseValue(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{`"MIT"`, []string{"MIT"}},
		{`" "`, nil},
		{`null`, nil},
		{`{"foo":"bar"}`, nil},
		{`[{"type":""},{"type":"MIT"}]`, []string{"MIT"}},
		{`["MIT","Apache2"]`, []string{"MIT", "Apache2"}},
		{`[]`, nil},
		{`42`, nil},
	}
	for _, tt := range tests {
		if got := licenseValue([]byte(tt.in)); !cmp.Equal(got, tt.want) {
			t.Errorf("licenseValue(%s) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzParseLockfile(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		pkgs, err := ParseLockfile(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, p := range pkgs {
			if p.ID != p.Name+"@"+p.Version {
				t.Fatalf("ID %q does not match %s@%s", p.ID, p.Name, p.Version)
			}
			for _, l := range p.Locations {
				if l.StartLine < 1 || l.EndLine < l.StartLine {
					t.Fatalf("bad location %+v", l)
				}
			}
		}
	})
}

func FuzzParsePackageJSON(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "pkgjson", "*.json"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, ok, err := ParsePackageJSON(bytes.NewReader(data))
		if err == nil && ok && (p.Name == "" || p.Version == "") {
			t.Fatalf("package without name or version: %+v", p)
		}
	})
}

// BenchmarkParseLockfile parses a lockfile v3 of about 10 MB built by
// repeating entries.
func BenchmarkParseLockfile(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("{\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"\": {\"dependencies\": {\"pkg-0\": \"1\"}}")
	for i := 0; buf.Len() < 10<<20; i++ {
		fmt.Fprintf(&buf, ",\n    \"node_modules/pkg-%d\": {\n      \"version\": \"1.0.%d\",\n      \"resolved\": \"https://registry.npmjs.org/pkg-%d/-/pkg-%d-1.0.%d.tgz\",\n      \"integrity\": \"sha512-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\",\n      \"license\": \"MIT\",\n      \"dependencies\": {\n        \"pkg-%d\": \"^1.0.0\"\n      }\n    }", i, i, i, i, i, i+1)
	}
	buf.WriteString("\n  }\n}\n")
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseLockfile(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

func TestParseLockfileVersionless(t *testing.T) {
	// A workspace folder without a version is no package; neither is a
	// v1 entry without one, but what is nested under it still is.
	v3 := `{"lockfileVersion": 3, "packages": {
"": {"workspaces": ["ws"]},
"node_modules/ws": {"resolved": "ws", "link": true},
"ws": {"dependencies": {"a": "1"}},
"node_modules/a": {"version": "1.0.0", "dependencies": {"ws": "*"}}}}`
	got, err := ParseLockfile(strings.NewReader(v3))
	if err != nil {
		t.Fatal(err)
	}
	want := []model.Package{{ID: "a@1.0.0", Name: "a", Version: "1.0.0", Ecosystem: "npm",
		Relationship: model.RelationshipIndirect, Locations: loc(5, 5)}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("v3 mismatch (-want +got):\n%s", diff)
	}

	v1 := `{"lockfileVersion": 1, "dependencies": {
"x": {"requires": {"b": "1"}, "dependencies": {
  "b": {"version": "1.0.0"}}}}}`
	got, err = ParseLockfile(strings.NewReader(v1))
	if err != nil {
		t.Fatal(err)
	}
	want = []model.Package{{ID: "b@1.0.0", Name: "b", Version: "1.0.0", Ecosystem: "npm",
		Relationship: model.RelationshipUnknown, Locations: loc(3, 3)}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("v1 mismatch (-want +got):\n%s", diff)
	}
}
