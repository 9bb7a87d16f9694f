package model

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// stringConsts returns the string constants of this package's source
// (test files excluded) whose names start with prefix, name → value.
func stringConsts(t *testing.T, prefix string) map[string]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, id := range vs.Names {
					if !strings.HasPrefix(id.Name, prefix) || i >= len(vs.Values) {
						continue
					}
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						continue
					}
					v, err := strconv.Unquote(lit.Value)
					if err != nil {
						t.Fatal(err)
					}
					out[id.Name] = v
				}
			}
		}
	}
	if len(out) == 0 {
		t.Fatalf("no %s* constants found: the test reads the wrong files", prefix)
	}
	return out
}

// TestPackageTypeTableComplete fails when a Type* constant is added
// without its row in the package type table, or a row names no constant.
func TestPackageTypeTableComplete(t *testing.T) {
	consts := stringConsts(t, "Type")
	rows := map[string]bool{}
	for _, r := range PackageTypes() {
		if rows[r.Type] {
			t.Errorf("package type %q has two rows", r.Type)
		}
		rows[r.Type] = true
	}
	names := map[string]bool{}
	for name, v := range consts {
		names[v] = true
		if !rows[v] {
			t.Errorf("%s = %q has no row in the package type table (types.go)", name, v)
		}
	}
	for typ := range rows {
		if !names[typ] {
			t.Errorf("row %q names no Type* constant", typ)
		}
	}
}

// TestOSFamilyTableComplete is the same for Family* constants.
func TestOSFamilyTableComplete(t *testing.T) {
	consts := stringConsts(t, "Family")
	rows := map[string]bool{}
	for _, f := range OSFamilies() {
		if rows[f.Family] {
			t.Errorf("family %q has two rows", f.Family)
		}
		rows[f.Family] = true
	}
	names := map[string]bool{}
	for name, v := range consts {
		names[v] = true
		if !rows[v] {
			t.Errorf("%s = %q has no row in the OS family table (types.go)", name, v)
		}
	}
	for fam := range rows {
		if !names[fam] {
			t.Errorf("row %q names no Family* constant", fam)
		}
	}
}

// TestPackageTypeRows checks what the rows promise one another.
func TestPackageTypeRows(t *testing.T) {
	defaults := map[string]string{}
	purlTypes := map[string]bool{}
	for _, r := range PackageTypes() {
		if r.PURLType != "" {
			purlTypes[r.PURLType] = true
		}
		if r.PURLDefault {
			if r.PURLType == "" {
				t.Errorf("%s: PURLDefault without a purl type", r.Type)
			}
			if prev, ok := defaults[r.PURLType]; ok {
				t.Errorf("purl type %q decodes to both %s and %s", r.PURLType, prev, r.Type)
			}
			defaults[r.PURLType] = r.Type
		}
		if r.OS && (r.Ecosystem != "" || r.Archive != "" || r.Target != "" || r.Language != "") {
			t.Errorf("%s: an OS type takes its ecosystem and archive from the OS family: %+v", r.Type, r)
		}
		if !r.OS && r.Language == "" {
			t.Errorf("%s: a language type without Language", r.Type)
		}
		if (r.Ecosystem == "") != (r.Archive == "") {
			t.Errorf("%s: ecosystem %q and archive %q: both or neither", r.Type, r.Ecosystem, r.Archive)
		}
		if got, ok := LookupPackageType(r.Type); !ok || got.Type != r.Type {
			t.Errorf("LookupPackageType(%q) = %+v, %v", r.Type, got, ok)
		}
		if r.PURLType != "" {
			if got, ok := PackageTypeForPURL(r.PURLType); !ok || got.PURLType != r.PURLType || !got.PURLDefault {
				t.Errorf("PackageTypeForPURL(%q) = %+v, %v", r.PURLType, got, ok)
			}
		}
	}
	for pt := range purlTypes {
		if _, ok := defaults[pt]; !ok {
			t.Errorf("purl type %q: no row has PURLDefault, so SBOM packages of this type cannot be decoded", pt)
		}
	}
	if _, ok := LookupPackageType("no-such-type"); ok || PackageTypeOf("no-such-type") != (PackageType{}) {
		t.Error("an unknown type has a row")
	}
	if _, ok := PackageTypeForPURL("generic"); ok {
		t.Error("purl type generic decodes to a package type")
	}
}

func TestOSFamilyRows(t *testing.T) {
	names := map[string]string{}
	for _, f := range OSFamilies() {
		if r, ok := LookupPackageType(f.PkgType); !ok || !r.OS {
			t.Errorf("%s: package type %q is not an OS type", f.Family, f.PkgType)
		}
		if f.PURLNamespace == "" {
			t.Errorf("%s: no purl namespace", f.Family)
		}
		for _, n := range append([]string{f.Family}, f.Aliases...) {
			if prev, ok := names[n]; ok {
				t.Errorf("name %q belongs to both %s and %s", n, prev, f.Family)
			}
			names[n] = f.Family
			if got, ok := LookupOSFamily(strings.ToUpper(n)); !ok || got.Family != f.Family {
				t.Errorf("LookupOSFamily(%q) = %q, %v; want %q", strings.ToUpper(n), got.Family, ok, f.Family)
			}
		}
	}
	if _, ok := LookupOSFamily("plan9"); ok {
		t.Error("an unknown family has a row")
	}
}

// TestDocsTables keeps the tables in docs/packages.md, between the
// "types-table" markers, equal to the Go tables. Its failure prints the
// text to paste.
func TestDocsTables(t *testing.T) {
	const begin, end = "<!-- types-table: begin -->\n", "<!-- types-table: end -->\n"
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "packages.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok1 := strings.Cut(string(doc), begin)
	got, _, ok2 := strings.Cut(rest, end)
	if !ok1 || !ok2 {
		t.Fatalf("docs/packages.md has no %q … %q section", begin, end)
	}
	if want := docsTables(); got != want {
		t.Errorf("docs/packages.md is out of date with types.go; its section should read:\n%s", want)
	}
}

func docsTables() string {
	or := func(s, dflt string) string {
		if s == "" {
			return dflt
		}
		return s
	}
	code := func(s string) string {
		if s == "" {
			return "—"
		}
		return "`" + s + "`"
	}
	var b strings.Builder
	b.WriteString("| package type | OS or language | matched in (OSV ecosystem) | DB archive | purl type | result target |\n|---|---|---|---|---|---|\n")
	for _, r := range PackageTypes() {
		lang, eco, archive, target := r.Language, or(r.Ecosystem, "—"), or(r.Archive, "—"), or(r.Target, "the file")
		if r.OS {
			lang, eco, archive, target = "OS", "the OS release's", "the OS family's", "the OS"
		}
		b.WriteString("| " + code(r.Type) + " | " + lang + " | " + eco + " | " + archive + " | " + code(r.PURLType) + " | " + target + " |\n")
	}
	b.WriteString("\n| OS family | package type | DB archive | purl namespace | other names read in SBOMs |\n|---|---|---|---|---|\n")
	for _, f := range OSFamilies() {
		b.WriteString("| " + code(f.Family) + " | " + code(f.PkgType) + " | " + or(f.Archive, "— (not downloaded by default)") + " | " + code(f.PURLNamespace) + " | " + or(strings.Join(f.Aliases, ", "), "—") + " |\n")
	}
	return b.String()
}
