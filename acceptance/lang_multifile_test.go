package acceptance

import (
	"archive/tar"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/analyze/lang/dotnet"
	"github.com/trawlsec/trawl/internal/analyze/lang/java"
	"github.com/trawlsec/trawl/internal/walk"
	"github.com/trawlsec/trawl/pkg/model"
)

// setLines renders the package set of file in res as
// "ID relationship [dev] [-> DependsOn]" lines, sorted.
func setLines(t *testing.T, res *analyze.LayerResult, typ, file string) []string {
	t.Helper()
	var out []string
	for _, set := range res.Applications {
		if set.FilePath != file {
			continue
		}
		if set.Type != typ {
			t.Errorf("%s: type %s, want %s", file, set.Type, typ)
		}
		for _, p := range set.Packages {
			s := p.ID + " " + p.Relationship
			if p.Dev {
				s += " dev"
			}
			if len(p.DependsOn) > 0 {
				s += " -> " + strings.Join(p.DependsOn, ",")
			}
			out = append(out, s)
			if p.ID != p.Name+"@"+p.Version || p.Ecosystem == "" {
				t.Errorf("bad package %+v", p)
			}
		}
	}
	sort.Strings(out)
	return out
}

// TestLangPomResolution walks cases of Trivy's pom parser testdata with
// the pom post-analyzer and the cases' shared local repository
// (testdata/repository). Every expectation was checked by hand against
// the case's POMs and the repository POMs named in the comment.
func TestLangPomResolution(t *testing.T) {
	base := corpus(t, "projects", "trivy-parser-testdata", "java", "pom", "testdata")
	repo := filepath.Join(base, "repository")
	cases := []struct {
		dir      string
		want     []string
		warnings []string // substrings of the warnings on pom.xml, in order
	}{
		// ${api.version}=1.7.30; provided scope → dev; the repository's
		// example-api 1.7.30 has no dependencies.
		{dir: "happy", want: []string{
			"com.example:happy@1.0.0 root -> org.example:example-api@1.7.30,org.example:example-runtime@1.0.0",
			"org.example:example-api@1.7.30 direct",
			"org.example:example-provided@999 direct dev",
			"org.example:example-runtime@1.0.0 direct",
		}},
		// example-nested 3.3.3 → example-dependency 1.2.3 → example-api
		// 2.0.0, excluded by the direct dependency's <exclusions>.
		{dir: "exclusions", want: []string{
			"com.example:exclusions@3.0.0 root -> org.example:example-nested@3.3.3",
			"org.example:example-dependency@1.2.3 indirect",
			"org.example:example-nested@3.3.3 direct -> org.example:example-dependency@1.2.3",
		}},
		// nested 3.3.3 asks for example-dependency 1.2.3; the root's
		// dependencyManagement says 1.2.4, whose POM asks for [2.0.0].
		{dir: "root-pom-dep-management", want: []string{
			"com.example:root-pom-dep-management@1.0.0 root -> org.example:example-nested@3.3.3",
			"org.example:example-api@2.0.0 indirect",
			"org.example:example-dependency@1.2.4 indirect -> org.example:example-api@2.0.0",
			"org.example:example-nested@3.3.3 direct -> org.example:example-dependency@1.2.4",
		}},
		// nested 3.3.4 wants [1.2.3], the direct 1.2.4 is nearer and wins.
		{dir: "hard-requirement", want: []string{
			"com.example:hard@1.0.0 root -> org.example:example-dependency@1.2.4,org.example:example-nested@3.3.4",
			"org.example:example-api@2.0.0 indirect",
			"org.example:example-dependency@1.2.4 direct -> org.example:example-api@2.0.0",
			"org.example:example-nested@3.3.4 direct -> org.example:example-dependency@1.2.4",
		}},
		// example-dependency 1.2.3 wants api 2.0.0; the direct 1.7.30 wins.
		{dir: "soft-requirement", want: []string{
			"com.example:soft@1.0.0 root -> org.example:example-api@1.7.30,org.example:example-dependency@1.2.3",
			"org.example:example-api@1.7.30 direct",
			"org.example:example-dependency@1.2.3 direct -> org.example:example-api@1.7.30",
		}},
		// BOM example-dependency-management 3.3.3 imports
		// example-dependency-management2 1.1.1 (its own property), which
		// manages example-api at its ${project.managed.version} 1.7.30.
		{dir: "import-dependency-management", want: []string{
			"com.example:import@2.0.0 root -> org.example:example-api@1.7.30",
			"org.example:example-api@1.7.30 direct",
		}},
		// Parent at ./parent: groupId, version and ${api.version} come
		// from it; the child's own example-api declaration wins.
		{dir: "parent-relative-path", want: []string{
			"com.example:child@1.0.0 root -> org.example:example-api@1.7.30",
			"org.example:example-api@1.7.30 direct",
		}},
		// The module's dependency tree is in the aggregator's set.
		{dir: "multi-module", want: []string{
			"com.example:aggregation@1.0.0 root",
			"com.example:module@1.1.1 workspace -> org.example:example-dependency@1.2.3",
			"org.example:example-api@2.0.0 indirect",
			"org.example:example-dependency@1.2.3 direct -> org.example:example-api@2.0.0",
		}},
		// module-2 is listed at the root but lives under module-1;
		// module-2 depends on module-1.
		{dir: "modules-infinity-loop", want: []string{
			"org.example:module-1@2.0.0 workspace",
			"org.example:module-2@3.0.0 workspace -> org.example:module-1@2.0.0",
			"org.example:root@1.0.0 root",
		}, warnings: []string{"module module-2: module-2/pom.xml not found"}},
		// The repository holds 2.17.0-SNAPSHOT as build
		// 20240312.035235-10 (maven-metadata.xml), whose POM (like 1.2.3's)
		// depends on example-api 2.0.0.
		{dir: "snapshot/with-maven-metadata", want: []string{
			"com.example:happy@1.0.0 root -> org.example:example-dependency@2.17.0-SNAPSHOT",
			"org.example:example-api@2.0.0 indirect",
			"org.example:example-dependency@2.17.0-SNAPSHOT direct -> org.example:example-api@2.0.0",
		}},
		// Not in the repository: reported, no transitive dependencies.
		{dir: "not-found-dependency", want: []string{
			"com.example:not-found-dependency@1.0.0 root -> org.example:example-not-found@999",
			"org.example:example-not-found@999 direct",
		}},
		// A version range is not guessed.
		{dir: "version-requirement", want: []string{"com.example:hard@1.0.0 root"},
			warnings: []string{`dependency org.example:example-api (pom.xml): version "(,1.0]" not resolvable`}},
		// The parent's version is ${revision}-${changelist}, defined
		// nowhere: no parent, no project version.
		{dir: "offline", want: []string{"org.example:example-offline@2.3.4 direct"},
			warnings: []string{"parent com.example:parent:${revision}-${changelist} not found", "project com.example:child (pom.xml)"}},
		// The root manages example-nested-scope-empty as test (so it and
		// what it brings are dev) and, through transitive management,
		// example-api-compile as test; the parent's explicit scopes win
		// over the root's management for the other two.
		{dir: "inherit-scopes-in-parents-from-root", want: []string{
			"com.example:inherit-scopes-in-parents-from-root@0.1.0 root -> org.example:example-nested-scope-compile@1.0.0,org.example:example-nested-scope-runtime@1.0.0",
			"org.example:example-api-compile@3.0.0 indirect dev",
			"org.example:example-api-empty@3.0.0 indirect dev",
			"org.example:example-api-runtime@3.0.0 indirect",
			"org.example:example-nested-scope-compile@1.0.0 direct -> org.example:example-scope-compile@2.0.0",
			"org.example:example-nested-scope-empty@1.0.0 direct dev -> org.example:example-scope-empty@2.0.0",
			"org.example:example-nested-scope-runtime@1.0.0 direct -> org.example:example-scope-runtime@2.0.0",
			"org.example:example-scope-compile@2.0.0 indirect -> org.example:example-api-compile@3.0.0",
			"org.example:example-scope-empty@2.0.0 indirect dev -> org.example:example-api-empty@3.0.0",
			"org.example:example-scope-runtime@2.0.0 indirect -> org.example:example-api-runtime@3.0.0",
		}},
	}
	for _, tc := range cases {
		t.Run(tc.dir, func(t *testing.T) {
			res, err := walk.New([]analyze.Analyzer{java.NewPomWithRepository(repo)}, walk.Options{}).Dir(context.Background(), filepath.Join(base, tc.dir))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, setLines(t, res, model.TypePom, "pom.xml")); diff != "" {
				t.Errorf("packages (-want +got):\n%s", diff)
			}
			var warnings []string
			for _, w := range res.Warnings {
				if w.Path == "pom.xml" {
					warnings = append(warnings, w.Reason)
				}
			}
			if len(warnings) != len(tc.warnings) {
				t.Fatalf("warnings:\n%s", strings.Join(warnings, "\n"))
			}
			for i, w := range tc.warnings {
				if !strings.Contains(warnings[i], w) {
					t.Errorf("warning %q, want it to contain %q", warnings[i], w)
				}
			}
		})
	}
}

// TestLangPomFixture: trivy-fixtures/pom through the walker, without a
// local repository (the same packages as the pom.xml alone).
func TestLangPomFixture(t *testing.T) {
	res, err := walk.New([]analyze.Analyzer{java.NewPom()}, walk.Options{}).Dir(context.Background(), corpus(t, "projects", "trivy-fixtures", "pom"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"com.example:log4shell@1.0-SNAPSHOT root -> com.fasterxml.jackson.core:jackson-databind@2.9.1",
		"com.fasterxml.jackson.core:jackson-databind@2.9.1 direct",
		"javax.servlet:javax.servlet-api@4.0.1 direct dev",
		"org.junit.jupiter:junit-jupiter-api@5.7.1 direct dev",
		"org.junit.jupiter:junit-jupiter-engine@5.7.1 direct dev",
	}
	if diff := cmp.Diff(want, setLines(t, res, model.TypePom, "pom.xml")); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
}

// TestLangCsproj: the corpus has no *.csproj, so a layer pairs the
// corpus Directory.Packages.props (Newtonsoft.Json 9.0.1) with project
// files written here: one taking the central version, one overriding it,
// one in a directory the props file does not cover.
func TestLangCsproj(t *testing.T) {
	props, err := os.ReadFile(corpus(t, "projects", "trivy-fixtures", "packagesprops", "Directory.Packages.props"))
	if err != nil {
		t.Fatal(err)
	}
	ref := func(attrs string) string {
		return "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <ItemGroup>\n    <PackageReference Include=\"Newtonsoft.Json\"" + attrs + " />\n  </ItemGroup>\n</Project>\n"
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range []struct{ name, body string }{
		{"src/Directory.Packages.props", string(props)},
		{"src/App/App.csproj", ref("")},
		{"src/Tool/Tool.csproj", ref(` VersionOverride="13.0.3"`)},
		{"other/Other.csproj", ref("")},
	} {
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: 0o644, Size: int64(len(f.body)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(f.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	res, err := walk.New([]analyze.Analyzer{dotnet.NewCsproj(), dotnet.NewPackagesProps()}, walk.Options{}).Tar(context.Background(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string][]string{
		"src/App/App.csproj":   {"Newtonsoft.Json@9.0.1 direct"},
		"src/Tool/Tool.csproj": {"Newtonsoft.Json@13.0.3 direct"},
		"other/Other.csproj":   nil, // no props file above it: no version
	} {
		if diff := cmp.Diff(want, setLines(t, res, dotnet.TypeCsproj, file)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", file, diff)
		}
	}
	if len(res.Warnings) != 1 || res.Warnings[0].Path != "other/Other.csproj" {
		t.Errorf("warnings = %+v", res.Warnings)
	}
	if got := setLines(t, res, dotnet.TypePackagesProps, "src/Directory.Packages.props"); len(got) != 1 || !strings.HasPrefix(got[0], "Newtonsoft.Json@9.0.1") {
		t.Errorf("packages-props set = %v", got)
	}
}
