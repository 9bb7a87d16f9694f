package all

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/secret"
)

const module = "github.com/trawlsec/trawl"

// declaredAnalyzers finds every analyzer type under internal/analyze by
// reading the source: the result types of exported New… constructors (the
// convention every analyzer package follows). The list in all.go must not
// forget one.
func declaredAnalyzers(t *testing.T) []string {
	t.Helper()
	var out []string
	root := ".."
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return err
		}
		if filepath.Base(filepath.Dir(p)) == "all" || filepath.Dir(p) == root {
			return nil
		}
		// lockfile.New builds the analyzers that lockfile analyzer packages
		// embed in their own types; it declares no analyzer of its own.
		if filepath.ToSlash(filepath.Dir(p)) == root+"/lang/lockfile" {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || !strings.HasPrefix(fn.Name.Name, "New") || fn.Type.Results == nil || len(fn.Type.Results.List) != 1 {
				continue
			}
			typ := fn.Type.Results.List[0].Type
			if star, ok := typ.(*ast.StarExpr); ok {
				typ = star.X
			}
			dir, _ := filepath.Rel(root, filepath.Dir(p))
			pkg := module + "/internal/analyze/" + filepath.ToSlash(dir)
			switch typ := typ.(type) {
			case *ast.Ident:
				if ast.IsExported(typ.Name) {
					out = append(out, pkg+"."+typ.Name)
				}
			case *ast.SelectorExpr:
				// A constructor returning analyze.Analyzer hides its
				// concrete type: the package must then be listed.
				if typ.Sel.Name == "Analyzer" {
					out = append(out, pkg+".*")
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return slices.Compact(out)
}

func typeName(a analyze.Analyzer) string {
	t := reflect.TypeOf(a)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if !ast.IsExported(t.Name()) {
		return t.PkgPath() + ".*"
	}
	return t.PkgPath() + "." + t.Name()
}

func TestEveryAnalyzerListed(t *testing.T) {
	s, err := secret.NewScanner(secret.Config{})
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	names := map[string]string{}
	for _, target := range []string{TargetImage, TargetFS, TargetRootfs, TargetRepo} {
		for _, a := range ForTarget(target, Options{OSPackages: true, LangPackages: true, Secrets: s, Misconfig: true, Forensics: true, LicenseFull: true}) {
			tn := typeName(a)
			listed[tn] = true
			if other, ok := names[a.Name()]; ok && other != tn {
				t.Errorf("analyzers %s and %s share the name %q (cache keys would collide)", other, tn, a.Name())
			}
			names[a.Name()] = tn
		}
	}
	var got []string
	for n := range listed {
		got = append(got, n)
	}
	sort.Strings(got)
	if diff := cmp.Diff(declaredAnalyzers(t), got); diff != "" {
		t.Errorf("analyzers declared (-) but not run by any target (+ listed but not found):\n%s", diff)
	}
}

func TestTargetRules(t *testing.T) {
	has := func(list []analyze.Analyzer, name string) bool {
		for _, a := range list {
			if a.Name() == name {
				return true
			}
		}
		return false
	}
	img := ForTarget(TargetImage, Options{OSPackages: true, LangPackages: true})
	fsys := ForTarget(TargetFS, Options{OSPackages: true, LangPackages: true})
	for _, tc := range []struct {
		list []analyze.Analyzer
		name string
		want bool
	}{
		{img, "dpkg", true}, {fsys, "dpkg", false},
		{img, "gobinary", true}, {fsys, "gobinary", true},
		{img, "pom", false}, {fsys, "pom", true},
		{img, "dotnet-csproj", false}, {fsys, "dotnet-csproj", true},
		{img, "os-release", true},
	} {
		if has(tc.list, tc.name) != tc.want {
			t.Errorf("%s present = %v, want %v", tc.name, !tc.want, tc.want)
		}
	}
	if len(ForTarget(TargetImage, Options{})) != 1 {
		t.Error("with no package types and no secrets, only OS detection should run")
	}
}

// TestConfigOnlyWithMisconfig: configuration files are kept for every
// target when the misconfiguration scanner is on, and only then.
func TestConfigOnlyWithMisconfig(t *testing.T) {
	for _, target := range []string{TargetImage, TargetFS, TargetRootfs, TargetRepo} {
		has := func(o Options) bool {
			for _, a := range ForTarget(target, o) {
				if a.Name() == "config" {
					return true
				}
			}
			return false
		}
		if !has(Options{Misconfig: true}) || has(Options{OSPackages: true, LangPackages: true}) {
			t.Errorf("%s: config analyzer with misconfig %v, without %v", target, has(Options{Misconfig: true}), has(Options{OSPackages: true, LangPackages: true}))
		}
	}
}

// TestForensicsTargets: the forensics analyzer runs for images and root
// filesystems only, when asked, and brings the OS package databases it
// needs for file ownership even with --pkg-types library.
func TestForensicsTargets(t *testing.T) {
	names := func(list []analyze.Analyzer) map[string]bool {
		out := map[string]bool{}
		for _, a := range list {
			out[a.Name()] = true
		}
		return out
	}
	for _, tc := range []struct {
		target    string
		o         Options
		forensics bool
		dpkg      bool
	}{
		{TargetImage, Options{LangPackages: true, Forensics: true}, true, true},
		{TargetRootfs, Options{Forensics: true}, true, true},
		{TargetImage, Options{LangPackages: true}, false, false},
		{TargetFS, Options{LangPackages: true, Forensics: true}, false, false},
		{TargetRepo, Options{Forensics: true}, false, false},
	} {
		got := names(ForTarget(tc.target, tc.o))
		if got["forensics"] != tc.forensics || got["dpkg"] != tc.dpkg {
			t.Errorf("%s %+v: forensics %v dpkg %v, want %v %v", tc.target, tc.o, got["forensics"], got["dpkg"], tc.forensics, tc.dpkg)
		}
	}
}
