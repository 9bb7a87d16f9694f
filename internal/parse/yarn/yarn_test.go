package yarn

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

func TestParse(t *testing.T) {
	pkg := func(name, version, rel string, locs []model.Location, deps ...string) model.Package {
		p := model.Package{ID: name + "@" + version, Name: name, Version: version, Ecosystem: "npm",
			Relationship: rel, Locations: locs}
		if len(deps) > 0 {
			p.DependsOn = deps
		}
		return p
	}
	l := func(s, e int) []model.Location { return []model.Location{{StartLine: s, EndLine: e}} }
	const (
		unknown  = model.RelationshipUnknown
		direct   = model.RelationshipDirect
		indirect = model.RelationshipIndirect
	)
	tests := []struct {
		file string
		want []model.Package
	}{
		{
			// Hand-checked: two patterns resolve to one code-frame entry;
			// the alias my-alias@npm:lodash is lodash; file: and git
			// entries are not registry packages; classic lockfiles do
			// not say what is direct.
			file: "classic.lock",
			want: []model.Package{
				pkg("@babel/code-frame", "7.8.3", unknown, l(5, 10), "@babel/highlight@7.9.0"),
				pkg("@babel/highlight", "7.9.0", unknown, l(12, 15), "js-tokens@4.0.0"),
				pkg("js-tokens", "4.0.0", unknown, l(17, 18)),
				pkg("lodash", "4.17.21", unknown, l(20, 21)),
			},
		},
		{
			// Hand-checked: the root workspace's dependencies are direct;
			// the patched fsevents is the same package as the unpatched
			// entry (two locations); the alias pretty → chalk resolves
			// to chalk; workspaces are not packages.
			file: "berry.lock",
			want: []model.Package{
				pkg("chalk", "4.1.2", direct, l(48, 52)),
				pkg("debug", "4.3.4", direct, l(18, 28), "ms@2.1.2"),
				pkg("fsevents", "2.1.3", direct, []model.Location{{StartLine: 30, EndLine: 34}, {StartLine: 36, EndLine: 40}}),
				pkg("ms", "2.1.2", indirect, l(42, 46)),
			},
		},
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
	for _, in := range []string{
		"{\"json\": true}\n",
		"  version \"1\"\n",
		"nopattern:\n  version \"1\"\n",
		"a@^1:\n  resolved \"x\"\n",
		strings.Repeat("a", maxLine+1),
	} {
		if _, err := Parse(strings.NewReader(in)); err == nil {
			t.Errorf("Parse(%.30q): want error", in)
		}
	}
}

func TestSplitPattern(t *testing.T) {
	tests := []struct{ in, name, rng string }{
		{"a@^1", "a", "^1"},
		{"@s/a@npm:^1", "@s/a", "npm:^1"},
		{"alias@npm:real@^1", "alias", "npm:real@^1"},
	}
	for _, tt := range tests {
		n, r, ok := splitPattern(tt.in)
		if !ok || n != tt.name || r != tt.rng {
			t.Errorf("splitPattern(%q) = %q, %q, %v", tt.in, n, r, ok)
		}
	}
	for _, bad := range []string{"", "@", "abc", "@scope"} {
		if _, _, ok := splitPattern(bad); ok {
			t.Errorf("splitPattern(%q): want !ok", bad)
		}
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.lock"))
	for _, name := range files {
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
			if p.Name == "" || p.Version == "" || p.ID != p.Name+"@"+p.Version {
				t.Fatalf("bad package %+v", p)
			}
		}
	})
}

func TestParseWithManifest(t *testing.T) {
	lock, err := os.ReadFile(filepath.Join("testdata", "classic.lock"))
	if err != nil {
		t.Fatal(err)
	}
	// lodash (the alias my-alias) is a production dependency,
	// @babel/code-frame a dev one that pulls in highlight and js-tokens.
	pj := `{"dependencies": {"my-alias": "npm:lodash@^4.17.0", "missing": "^1"}, "devDependencies": {"@babel/code-frame": "^7.8.3"}}`
	got, err := ParseWithManifest(bytes.NewReader(lock), strings.NewReader(pj))
	if err != nil {
		t.Fatal(err)
	}
	type rel struct {
		Rel string
		Dev bool
	}
	gotRel := map[string]rel{}
	for _, p := range got {
		gotRel[p.ID] = rel{p.Relationship, p.Dev}
	}
	want := map[string]rel{
		"@babel/code-frame@7.8.3": {model.RelationshipDirect, true},
		"@babel/highlight@7.9.0":  {model.RelationshipIndirect, true},
		"js-tokens@4.0.0":         {model.RelationshipIndirect, true},
		"lodash@4.17.21":          {model.RelationshipDirect, false},
	}
	if diff := cmp.Diff(want, gotRel); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	if _, err := ParseWithManifest(bytes.NewReader(lock), strings.NewReader("{")); err == nil {
		t.Error("want error for malformed package.json")
	}
}

// BenchmarkParse parses a classic yarn.lock of about 5 MB built by
// repeating entries.
func BenchmarkParse(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("# yarn lockfile v1\n\n")
	for i := 0; buf.Len() < 5<<20; i++ {
		fmt.Fprintf(&buf, "pkg-%d@^1.0.0, pkg-%d@^1.0.1:\n  version \"1.0.%d\"\n  resolved \"https://registry.yarnpkg.com/pkg-%d/-/pkg-%d-1.0.%d.tgz#abc\"\n  integrity sha512-AAAA==\n  dependencies:\n    pkg-%d \"^1.0.0\"\n\n", i, i, i, i, i, i, i+1)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
