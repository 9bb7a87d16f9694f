package acceptance

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/analyze/lang/conan"
	"github.com/trawlsec/trawl/internal/analyze/lang/dotnet"
	"github.com/trawlsec/trawl/internal/analyze/lang/java"
	"github.com/trawlsec/trawl/pkg/model"
)

// pomPropertiesIn lists, independently of the jar parser, every
// pom.properties of the archive b and of the archives nested in it, as
// "filePath groupId:artifactId@version".
func pomPropertiesIn(t *testing.T, filePath string, b []byte) []string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("%s: %v", filePath, err)
	}
	var out []string
	for _, f := range zr.File {
		ext := strings.ToLower(path.Ext(f.Name))
		if path.Base(f.Name) != "pom.properties" && ext != ".jar" && ext != ".war" && ext != ".ear" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if ext != ".properties" {
			out = append(out, pomPropertiesIn(t, filePath+"/"+f.Name, data)...)
			continue
		}
		kv := map[string]string{}
		sc := bufio.NewScanner(bytes.NewReader(data))
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), "="); ok && !strings.HasPrefix(k, "#") {
				kv[strings.TrimSpace(k)] = strings.TrimSpace(v)
			}
		}
		out = append(out, fmt.Sprintf("%s %s:%s@%s", filePath, kv["groupId"], kv["artifactId"], kv["version"]))
	}
	return out
}

func TestJavaArchives(t *testing.T) {
	dir := corpus(t, "projects", "trivy-parser-testdata", "java", "jar", "testdata")
	// Archives without any pom.properties, identified from MANIFEST.MF or
	// the file name (checked by hand with unzip -p … META-INF/MANIFEST.MF):
	//   heuristic-1.0.0-SNAPSHOT.jar: the manifest has Manifest-Version
	//     only, so the file name gives artifactId and version;
	//   license-from-jenkins-plugin.jar: Implementation-Vendor-Id
	//     com.example, -Title jenkins-plugin, -Version 1.0.0;
	//   test.jar: Implementation-Title "Spring Framework" is prose, not an
	//     artifactId, and "test" carries no version: nothing is reported;
	//   gradle.war: manifest without identity, no version in the name.
	byHand := map[string][]string{
		"heuristic-1.0.0-SNAPSHOT.jar":    {"heuristic-1.0.0-SNAPSHOT.jar heuristic@1.0.0-SNAPSHOT"},
		"license-from-jenkins-plugin.jar": {"license-from-jenkins-plugin.jar com.example:jenkins-plugin@1.0.0"},
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	a := java.NewJar()
	n := 0
	for _, e := range entries {
		if !a.Required(e.Name(), nil) {
			continue
		}
		n++
		t.Run(e.Name(), func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			// The same coordinates found twice in one archive (gizmo has
			// jackson-databind under bar/foo and foo/bar) are one package.
			want := slices.Compact(slices.Sorted(slices.Values(append(pomPropertiesIn(t, e.Name(), b), byHand[e.Name()]...))))
			res, err := a.Analyze(context.Background(), analyze.Input{Path: e.Name(), Content: b})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			if res != nil {
				if len(res.Warnings) != 0 {
					t.Errorf("warnings: %+v", res.Warnings)
				}
				sum := sha1.Sum(b)
				for _, set := range res.Applications {
					if set.Type != model.TypeJar || set.FilePath != e.Name() {
						t.Errorf("set %s %s", set.Type, set.FilePath)
					}
					for _, p := range set.Packages {
						got = append(got, p.FilePath+" "+p.ID)
						if p.Ecosystem != "Maven" || p.ID != p.Name+"@"+p.Version {
							t.Errorf("bad package %+v", p)
						}
						// Plugin-License-Name and Plugin-License-Name-2 of its
						// manifest (unzip -p).
						if p.ID == "com.example:jenkins-plugin@1.0.0" && strings.Join(p.Licenses, "|") != "Apache License, Version 2.0|MIT License" {
							t.Errorf("%s: licences %q", p.ID, p.Licenses)
						}
						if p.FilePath == e.Name() && p.Digest != "sha1:"+hex.EncodeToString(sum[:]) {
							t.Errorf("%s: digest %s", p.ID, p.Digest)
						}
					}
				}
			}
			sort.Strings(got)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("packages:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
	if n < 8 {
		t.Errorf("only %d archives in %s", n, dir)
	}
}

// lockCase is a lock file of the corpus with its expected packages, each
// "ID relationship" plus " dev" for development-only packages.
type lockCase struct {
	elem    []string
	a       analyze.Analyzer
	as      string // path handed to the analyzer, when the corpus name differs
	typ     string
	want    []string
	wantErr bool
}

func runLockCases(t *testing.T, cases []lockCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(strings.Join(tc.elem, "/"), func(t *testing.T) {
			file := corpus(t, tc.elem...)
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			p := tc.as
			if p == "" {
				p = strings.Join(tc.elem[1:], "/")
			}
			if !tc.a.Required(p, nil) {
				t.Fatalf("%s does not want %s", tc.a.Name(), p)
			}
			res, err := tc.a.Analyze(context.Background(), analyze.Input{Path: p, Content: b})
			if tc.wantErr {
				if err == nil {
					t.Fatalf("Analyze = %+v, want error", res)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			if res != nil {
				for _, set := range res.Applications {
					if set.Type != tc.typ || set.FilePath != p {
						t.Errorf("set %s %s, want %s %s", set.Type, set.FilePath, tc.typ, p)
					}
					for _, pkg := range set.Packages {
						s := strings.TrimSpace(pkg.ID + " " + pkg.Relationship)
						if pkg.Dev {
							s += " dev"
						}
						got = append(got, s)
						if pkg.ID != pkg.Name+"@"+pkg.Version || pkg.Ecosystem == "" {
							t.Errorf("bad package %+v", pkg)
						}
					}
				}
			}
			sort.Strings(got)
			want := append([]string(nil), tc.want...)
			sort.Strings(want)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("packages:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

func TestJavaLockfiles(t *testing.T) {
	runLockCases(t, []lockCase{
		// pom.xml: javax.servlet-api is provided and the two junit
		// artifacts are test-scoped (${junit.version} = 5.7.1): all dev.
		{elem: []string{"projects", "trivy-fixtures", "pom", "pom.xml"}, a: java.NewPom(), typ: model.TypePom, want: []string{
			"com.example:log4shell@1.0-SNAPSHOT root",
			"com.fasterxml.jackson.core:jackson-databind@2.9.1 direct",
			"javax.servlet:javax.servlet-api@4.0.1 direct dev",
			"org.junit.jupiter:junit-jupiter-api@5.7.1 direct dev",
			"org.junit.jupiter:junit-jupiter-engine@5.7.1 direct dev",
		}},
		// ${api.version} = 1.7.30; example-provided is provided (dev).
		{elem: []string{"projects", "trivy-parser-testdata", "java", "pom", "testdata", "happy", "pom.xml"}, a: java.NewPom(), typ: model.TypePom, want: []string{
			"com.example:happy@1.0.0 root",
			"org.example:example-api@1.7.30 direct",
			"org.example:example-provided@999 direct dev",
			"org.example:example-runtime@1.0.0 direct",
		}},
		{elem: []string{"projects", "trivy-fixtures", "gradle", "gradle.lockfile"}, a: java.NewGradle(), typ: model.TypeGradle, want: []string{
			"com.fasterxml.jackson.core:jackson-databind@2.9.1",
		}},
		// The commented-out grpc-api line and "empty=" are not packages.
		{elem: []string{"projects", "trivy-parser-testdata", "gradle", "lockfile", "testdata", "happy.lockfile"}, as: "gradle.lockfile", a: java.NewGradle(), typ: model.TypeGradle, want: []string{
			"cglib:cglib-nodep@2.1.2",
			"junit:junit@4.13.2",
			"org.springframework:spring-asm@3.1.3.RELEASE",
			"org.springframework:spring-beans@5.0.5.RELEASE",
		}},
		{elem: []string{"projects", "trivy-parser-testdata", "gradle", "lockfile", "testdata", "empty.lockfile"}, as: "empty.gradle.lockfile", a: java.NewGradle(), typ: model.TypeGradle},
		{elem: []string{"projects", "trivy-fixtures", "sbt", "build.sbt.lock"}, a: java.NewSbt(), typ: "sbt", want: []string{
			"com.fasterxml.jackson.core:jackson-databind@2.9.1",
		}},
		// scalatest-core is locked for the test configuration only.
		{elem: []string{"projects", "trivy-parser-testdata", "sbt", "lockfile", "testdata", "v1_happy.sbt.lock"}, as: "build.sbt.lock", a: java.NewSbt(), typ: "sbt", want: []string{
			"org.apache.commons:commons-lang3@3.9",
			"org.scala-lang:scala-library@2.12.10",
			"org.typelevel:cats-core_2.12@2.9.0",
			"org.scalatest:scalatest-core_2.13@3.2.15 dev",
		}},
		{elem: []string{"projects", "trivy-parser-testdata", "sbt", "lockfile", "testdata", "empty.sbt.lock"}, as: "build.sbt.lock", a: java.NewSbt(), typ: "sbt"},
	})
}

// nugetLockWant derives the expected packages of a packages.lock.json with
// a generic JSON decode: every non-Project entry of every framework, Direct
// ones direct and the others indirect.
func nugetLockWant(t *testing.T, elem ...string) []string {
	t.Helper()
	b, err := os.ReadFile(corpus(t, elem...))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Dependencies map[string]map[string]map[string]any
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	rel := map[string]string{}
	for _, deps := range doc.Dependencies {
		for name, d := range deps {
			if d["type"] == "Project" {
				continue
			}
			id := fmt.Sprintf("%s@%v", name, d["resolved"])
			if d["type"] == "Direct" || rel[id] == "" {
				rel[id] = map[bool]string{true: "direct", false: "indirect"}[d["type"] == "Direct"]
			}
		}
	}
	var out []string
	for id, r := range rel {
		out = append(out, id+" "+r)
	}
	return out
}

func TestDotnet(t *testing.T) {
	nl := func(name string) []string {
		return []string{"projects", "trivy-parser-testdata", "nuget", "lock", "testdata", name}
	}
	cd := func(name string) []string {
		return []string{"projects", "trivy-parser-testdata", "dotnet", "core_deps", "testdata", name}
	}
	pp := func(name string) []string {
		return []string{"projects", "trivy-parser-testdata", "nuget", "packagesprops", "testdata", name}
	}
	cfg := func(name string) []string {
		return []string{"projects", "trivy-parser-testdata", "nuget", "config", "testdata", name}
	}
	cases := []lockCase{
		{elem: []string{"projects", "trivy-fixtures", "nuget", "packages.lock.json"}, a: dotnet.NewNugetLock(), typ: model.TypeNuget, want: []string{
			"Newtonsoft.Json@12.0.3 direct", "NuGet.Frameworks@5.7.0 direct",
		}},
	}
	for _, name := range []string{"packages_lock_simple.json", "packages_lock_legacy.json", "packages_lock_subdependencies.json", "packages_lock_multi.json"} {
		cases = append(cases, lockCase{elem: nl(name), as: "packages.lock.json", a: dotnet.NewNugetLock(), typ: model.TypeNuget, want: nugetLockWant(t, nl(name)...)})
	}
	cases = append(cases,
		// deps.json without "targets": every library; the one project is the
		// root (Trivy PR #10954 falls back to the first project).
		lockCase{elem: []string{"projects", "trivy-fixtures", "dotnet", "datacollector.deps.json"}, a: dotnet.NewDepsJSON(), typ: model.TypeDotNetCore, want: []string{
			"Newtonsoft.Json@9.0.1", "Microsoft.VisualStudio.TestPlatform.Common@17.2.0-release-20220408-11 root",
		}},
		lockCase{elem: cd("happy.deps.json"), as: "app/happy.deps.json", a: dotnet.NewDepsJSON(), typ: model.TypeDotNetCore, want: []string{
			"ExampleApp1@1.0.0 root", "Newtonsoft.Json@13.0.1 direct",
		}},
		// Libraries of the runtime target with runtime assets only:
		// Microsoft.NETCore.App (dependencies only), NETCore.Platforms ({}),
		// NETStandard.Library, System.Net.Http and Collections.Immutable
		// (absent from the target) are not loaded at run time.
		lockCase{elem: cd("without-runtime.deps.json"), as: "app/hello2.deps.json", a: dotnet.NewDepsJSON(), typ: model.TypeDotNetCore, want: []string{
			"hello2@1.0.0 root", "JsonDiffPatch@2.0.61 direct", "Libuv@1.9.1 indirect",
		}},
		// Runtime packs are reported without their "runtimepack." prefix.
		lockCase{elem: cd("self-contained.deps.json"), as: "app/ExampleApp1.deps.json", a: dotnet.NewDepsJSON(), typ: model.TypeDotNetCore, want: []string{
			"ExampleApp1@1.0.0 root", "Newtonsoft.Json@13.0.1 direct",
			"Microsoft.NETCore.App.Runtime.linux-x64@8.0.0 direct", "Microsoft.AspNetCore.App.Runtime.linux-x64@8.0.0 direct",
		}},
		// Web is the only project nothing references; Api, which Web
		// references, is direct and Data indirect (Trivy PR #10954).
		lockCase{elem: cd("multi-project.deps.json"), as: "app/Web.deps.json", a: dotnet.NewDepsJSON(), typ: model.TypeDotNetCore, want: []string{
			"Web@1.0.0 root", "Api@1.0.0 direct", "Data@1.0.0 indirect", "Newtonsoft.Json@13.0.3 direct",
		}},
		// Two unreferenced projects: the first in sorted order is the root
		// (Trivy PR #10954), the other an indirect package.
		lockCase{elem: cd("ambiguous-root.deps.json"), as: "app/Web.deps.json", a: dotnet.NewDepsJSON(), typ: model.TypeDotNetCore, want: []string{
			"Web@1.0.0 root", "Worker@1.0.0 indirect", "Newtonsoft.Json@13.0.3 direct",
		}},
		// runtimeTarget v5.0 is not among the targets (v6.0): all libraries.
		lockCase{elem: cd("missing-target.deps.json"), as: "app/x.deps.json", a: dotnet.NewDepsJSON(), typ: model.TypeDotNetCore, want: []string{
			"ExampleApp1@1.0.0 root", "Newtonsoft.Json@13.0.1",
		}},
		lockCase{elem: cd("no-libraries.deps.json"), as: "app/x.deps.json", a: dotnet.NewDepsJSON(), typ: model.TypeDotNetCore},
		lockCase{elem: cd("invalid.deps.json"), as: "app/x.deps.json", a: dotnet.NewDepsJSON(), wantErr: true},
		lockCase{elem: cfg("packages.config"), as: "packages.config", a: dotnet.NewNugetConfig(), typ: model.TypeNuget, want: []string{
			"Microsoft.AspNet.WebApi@5.2.2 direct", "Newtonsoft.Json@6.0.4 direct",
		}},
		lockCase{elem: cfg("dev_dependency.config"), as: "packages.config", a: dotnet.NewNugetConfig(), typ: model.TypeNuget, want: []string{
			"Microsoft.Net.Compilers@1.0.0 direct dev", "Newtonsoft.Json@8.0.3 direct",
		}},
		lockCase{elem: cfg("malformed_xml.config"), as: "packages.config", a: dotnet.NewNugetConfig(), wantErr: true},
		lockCase{elem: []string{"projects", "trivy-fixtures", "packagesprops", "Directory.Packages.props"}, a: dotnet.NewPackagesProps(), typ: "packages-props", want: []string{
			"Newtonsoft.Json@9.0.1",
		}},
		// " 6.2.3" and "PackageThree " are trimmed.
		lockCase{elem: pp("Directory.Packages.props"), as: "Directory.Packages.props", a: dotnet.NewPackagesProps(), typ: "packages-props", want: []string{
			"PackageOne@6.2.3", "PackageTwo@6.0.0", "PackageThree@2.4.1",
		}},
		// Update= items; WrongAttribute, WrongEntry and Package3 (no
		// version) are not packages.
		lockCase{elem: pp("packages.props"), as: "Packages.props", a: dotnet.NewPackagesProps(), typ: "packages-props", want: []string{
			"Microsoft.Extensions.Configuration@2.1.1", "Microsoft.Extensions.DependencyInjection.Abstractions@2.2.1", "Microsoft.Extensions.Http@3.2.1",
		}},
		lockCase{elem: pp("several_item_groups"), as: "Directory.Packages.props", a: dotnet.NewPackagesProps(), typ: "packages-props", want: []string{
			"PackageOne@6.2.3", "PackageTwo@6.0.0", "PackageThree@2.4.1",
		}},
		// $(…) names and versions and empty attributes are skipped.
		lockCase{elem: pp("variables_and_empty"), as: "Directory.Packages.props", a: dotnet.NewPackagesProps(), typ: "packages-props", want: []string{
			"PackageFour@2.4.1",
		}},
		// Items outside an <ItemGroup> are not items.
		lockCase{elem: pp("no_item_group.props"), as: "Directory.Packages.props", a: dotnet.NewPackagesProps(), typ: "packages-props"},
		lockCase{elem: pp("no_project.props"), as: "Directory.Packages.props", a: dotnet.NewPackagesProps(), wantErr: true},
	)
	runLockCases(t, cases)
}

func TestConan(t *testing.T) {
	c := func(name string) []string {
		return []string{"projects", "trivy-parser-testdata", "c", "conan", "testdata", name}
	}
	runLockCases(t, []lockCase{
		// Node 0 (conanfile.txt) requires node 1 (poco); poco requires pcre,
		// zlib, expat, sqlite3, openssl; pcre requires bzip2 and zlib.
		{elem: []string{"projects", "trivy-fixtures", "conan", "conan.lock"}, a: conan.NewLock(), typ: model.TypeConanLock, want: []string{
			"poco@1.9.4 direct", "pcre@8.43 indirect", "bzip2@1.0.8 indirect", "zlib@1.2.12 indirect",
			"expat@2.4.8 indirect", "sqlite3@3.39.2 indirect", "openssl@1.1.1q indirect",
		}},
		{elem: c("happy_v1_case1.lock"), as: "conan.lock", a: conan.NewLock(), typ: model.TypeConanLock, want: []string{
			"pkga@0.0.1 direct", "pkgb@system indirect", "pkgc@0.1.1 direct",
		}},
		{elem: c("happy_v1_case2.lock"), as: "conan.lock", a: conan.NewLock(), typ: model.TypeConanLock, want: []string{
			"openssl@3.0.3 direct", "zlib@1.2.12 indirect",
		}},
		// Conan 2: requires, and build_requires as development packages.
		{elem: c("happy_v2.lock"), as: "conan.lock", a: conan.NewLock(), typ: model.TypeConanLock, want: []string{
			"sound32@1.0", "matrix@1.3", "automake@1.16.5 dev", "autoconf@2.71 dev",
		}},
		{elem: c("empty_v1.lock"), as: "conan.lock", a: conan.NewLock(), typ: model.TypeConanLock},
		// "wrong/ref/format" is a warning, not a package.
		{elem: c("sad_v1.lock"), as: "conan.lock", a: conan.NewLock(), typ: model.TypeConanLock},
	})
}
