package pom

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

// describe renders packages as "ID relationship [dev] [deps] [lines]".
func describe(res *Resolved) []string {
	var out []string
	for _, p := range res.Packages {
		s := p.ID + " " + p.Relationship
		if p.Dev {
			s += " dev"
		}
		if len(p.DependsOn) > 0 {
			s += " -> " + strings.Join(p.DependsOn, ",")
		}
		for _, l := range p.Locations {
			s += fmt.Sprintf(" @%d-%d", l.StartLine, l.EndLine)
		}
		if len(p.Licenses) > 0 {
			s += " (" + strings.Join(p.Licenses, ",") + ")"
		}
		out = append(out, s)
	}
	return out
}

type resolveCase struct {
	name     string
	dir      string
	file     string
	repo     fs.FS
	want     []string
	warnings []string // substrings, in order
	modules  []string
}

func TestResolve(t *testing.T) {
	repo := os.DirFS("testdata/repo")
	tests := []resolveCase{
		{
			// Expected by hand from the fixtures. core's version is the
			// aggregator's ${core.version} (2.0, overriding corp-parent's
			// 1.0; the explicit entry beats the BOM's 0.1); acme-logging's
			// is the BOM's ${acme.version}; junit's comes from corp-parent's
			// properties through two parents. app excludes org.lib:excluded
			// below core, lib does not (reaching it through
			// util→deep→core). util is 0.9 below core in app's tree
			// (nearest wins; 0.9 is not in the repository) and [1.0] in lib.
			name: "multi-module with parents, BOM and local repository", dir: "testdata/multimodule", file: "pom.xml", repo: repo,
			want: []string{
				"com.acme:acme-logging@3.1 direct",
				"com.example:aggregator@1.4.0 root (Apache-2.0)",
				"com.example:app@1.4.0 workspace -> com.acme:acme-logging@3.1,com.example:lib@1.4.0,org.lib:core@2.0 (Apache-2.0)",
				"com.example:lib@1.4.0 workspace -> org.lib:util@1.0 (Apache-2.0)",
				"javax.servlet:servlet-api@2.5 direct dev",
				"junit:junit@4.13.2 direct dev",
				"org.lib:core@2.0 direct -> org.lib:excluded@1,org.lib:util@0.9,org.lib:util@1.0",
				"org.lib:deep@3.0 indirect -> org.lib:core@2.0",
				"org.lib:excluded@1 indirect",
				"org.lib:util@0.9 indirect",
				"org.lib:util@1.0 direct -> org.lib:deep@3.0",
			},
			warnings: []string{
				"com.acme:missing-bom:9 not in the local repository",
				"from.env:env (app/pom.xml): version \"${env.LIB_VERSION}\"",
				"org.lib:ranged (lib/pom.xml): version \"[1.0,2.0)\"",
				"parent org.lib:deep:3.0 not found",
				"module missing: missing/pom.xml not found",
			},
			modules: []string{"app/pom.xml", "lib/pom.xml"},
		},
		{
			// The same module on its own, without the repository: no
			// BOM (acme-logging unresolved), no corp-parent (junit
			// unresolved), no transitive dependencies.
			name: "module without repository", dir: "testdata/multimodule", file: "app/pom.xml",
			want: []string{
				"com.example:app@1.4.0 root -> com.example:lib@1.4.0,org.lib:core@2.0",
				"com.example:lib@1.4.0 direct @24-28",
				"javax.servlet:servlet-api@2.5 direct dev @35-40",
				"org.lib:core@2.0 direct @10-19",
			},
			warnings: []string{
				"parent org.corp:corp-parent:5 not found",
				"com.acme:acme-bom:1.0 not in the local repository",
				"com.acme:missing-bom:9 not in the local repository",
				"com.acme:acme-logging (app/pom.xml): version \"\"",
				"junit:junit (app/pom.xml): version \"${junit.version}\"",
				"from.env:env",
			},
		},
		{
			// sub is not loop's parent (wrong artifactId), loop is sub's;
			// the module cycle (sub → .. → sub) ends.
			name: "loops", dir: "testdata/loop", file: "pom.xml",
			want: []string{
				"a:b@1 direct",
				"x:loop@1 root",
				"x:sub@1 workspace -> a:b@1",
			},
			warnings: []string{"parent x:loop:1 not found"},
			modules:  []string{"sub/pom.xml"},
		},
	}
	tests = append(tests, resolveCase{
		// 1.0-SNAPSHOT's POM is the build maven-metadata.xml names (the
		// pom without classifier, build 3).
		name: "snapshot from maven-metadata.xml", dir: "testdata", file: "snapshot.xml", repo: os.DirFS("testdata/snaprepo"),
		want: []string{
			"org.lib:from-build-3@1 indirect",
			"org.lib:snap@1.0-SNAPSHOT direct -> org.lib:from-build-3@1 @2-2",
			"x:snapshot@1 root -> org.lib:snap@1.0-SNAPSHOT",
		},
	})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := NewResolver(os.DirFS(tt.dir), tt.repo).Resolve(context.Background(), tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, describe(res)); diff != "" {
				t.Errorf("packages (-want +got):\n%s", diff)
			}
			if len(res.Warnings) != len(tt.warnings) {
				t.Errorf("warnings:\n%s", strings.Join(res.Warnings, "\n"))
			} else {
				for i, w := range tt.warnings {
					if !strings.Contains(res.Warnings[i], w) {
						t.Errorf("warning %d = %q, want it to contain %q", i, res.Warnings[i], w)
					}
				}
			}
			if diff := cmp.Diff(tt.modules, res.Modules); diff != "" {
				t.Errorf("modules (-want +got):\n%s", diff)
			}
			for _, p := range res.Packages {
				if p.ID != p.Name+"@"+p.Version || p.Ecosystem != Ecosystem || unresolved(p.Version) {
					t.Errorf("bad package %+v", p)
				}
			}
		})
	}
}

func TestResolveErrors(t *testing.T) {
	files := fstest.MapFS{"bad/pom.xml": {Data: []byte("<notpom/>")}}
	r := NewResolver(files, nil)
	if _, err := r.Resolve(context.Background(), "bad/pom.xml"); err == nil || !strings.Contains(err.Error(), "bad/pom.xml") {
		t.Errorf("want an error naming the file, got %v", err)
	}
	if _, err := r.Resolve(context.Background(), "none/pom.xml"); err == nil {
		t.Error("want an error for a missing file")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := NewResolver(os.DirFS("testdata/multimodule"), nil).Resolve(ctx, "pom.xml"); err == nil {
		t.Error("want the context's error")
	}
}

func TestRepoPath(t *testing.T) {
	for in, want := range map[[3]string]string{
		{"org.lib", "core", "2.0"}:  "org/lib/core/2.0/core-2.0.pom",
		{"org.lib", "core", ".."}:   "",
		{"org/../x", "core", "1"}:   "",
		{"org.lib", "core", "${v}"}: "",
		{"", "core", "1"}:           "",
	} {
		if got := repoPath(in[0], in[1], in[2]); got != want {
			t.Errorf("repoPath%v = %q, want %q", in, got, want)
		}
	}
}

func TestPinned(t *testing.T) {
	for in, want := range map[string]string{"1.0": "1.0", "[1.2.3]": "1.2.3", " [ 2 ] ": "2", "[1,2)": "", "(,1.0]": "", "${x}": "", "": ""} {
		got, ok := pinned(in)
		if got != want || ok != (want != "") {
			t.Errorf("pinned(%q) = %q %v", in, got, ok)
		}
	}
}

func FuzzResolve(f *testing.F) {
	for _, p := range []string{"testdata/multimodule/pom.xml", "testdata/multimodule/app/pom.xml", "testdata/loop/pom.xml"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	parent, err := os.ReadFile("testdata/multimodule/pom.xml")
	if err != nil {
		f.Fatal(err)
	}
	repo := os.DirFS("testdata/repo")
	f.Fuzz(func(t *testing.T, b []byte) {
		files := fstest.MapFS{"m/pom.xml": {Data: b}, "pom.xml": {Data: parent}, "m/sub/pom.xml": {Data: b}}
		res, err := NewResolver(files, repo).Resolve(context.Background(), "m/pom.xml")
		if err != nil {
			return
		}
		ids := map[string]bool{}
		for _, p := range res.Packages {
			if p.Name == "" || unresolved(p.Version) || ids[p.ID] {
				t.Fatalf("bad package %+v", p)
			}
			ids[p.ID] = true
		}
		if !sort.SliceIsSorted(res.Packages, func(i, j int) bool { return res.Packages[i].ID < res.Packages[j].ID }) {
			t.Fatal("packages not sorted")
		}
	})
}
