// Package archtest holds tests of the code base's shape: which packages may
// import which. It has no code of its own.
package archtest

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/trawlsec/trawl"

// rule forbids packages under from (a module-relative prefix) to import
// anything under one of the prefixes in deny (import paths), except the
// packages under allow.
type rule struct {
	why   string
	from  []string
	deny  []string
	allow []string
}

var rules = []rule{
	{
		why:  "analyzers and parsers are pure functions of files: no detection, DB, reports or pipeline",
		from: []string{"internal/analyze", "internal/parse"},
		deny: []string{module + "/internal/match", module + "/internal/report", module + "/internal/vulndb",
			module + "/internal/app", module + "/internal/cli", module + "/internal/scan", module + "/internal/filter",
			module + "/internal/cache"},
	},
	{
		why:  "writers know only the report model",
		from: []string{"internal/report"},
		deny: []string{module + "/internal/analyze", module + "/internal/walk", module + "/internal/vulndb",
			module + "/internal/match", module + "/internal/scan", module + "/internal/app", module + "/internal/cli"},
	},
	{
		why:  "image sources hand out layers; they know nothing of analysis or detection",
		from: []string{"internal/source"},
		deny: []string{module + "/internal/analyze", module + "/internal/walk", module + "/internal/match",
			module + "/internal/vulndb", module + "/internal/report", module + "/internal/app"},
	},
	{
		why:  "detection never reaches back into analysis",
		from: []string{"internal/match", "internal/vulndb"},
		deny: []string{module + "/internal/analyze", module + "/internal/walk", module + "/internal/scan",
			module + "/internal/source", module + "/internal/app", module + "/internal/cli"},
	},
	{
		why:  "the public model is importable on its own",
		from: []string{"pkg"},
		deny: []string{module + "/internal"},
	},
	{
		why:   "OPA stays behind the misconfiguration engine",
		from:  []string{""},
		deny:  []string{"github.com/open-policy-agent/"},
		allow: []string{"internal/misconfig"},
	},
	{
		why:   "client-go stays behind the Kubernetes package",
		from:  []string{""},
		deny:  []string{"k8s.io/client-go"},
		allow: []string{"internal/k8s"},
	},
}

// under reports whether the module-relative dir is p or below it ("" is
// everything).
func under(dir, p string) bool {
	return p == "" || dir == p || strings.HasPrefix(dir, p+"/")
}

func TestImportDirections(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found: %v", err)
	}
	fset := token.NewFileSet()
	files := 0
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); p != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, filepath.Dir(p))
		dir := filepath.ToSlash(rel)
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		files++
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			for _, r := range rules {
				if !matchesAny(dir, r.from) || matchesAny(dir, r.allow) {
					continue
				}
				for _, d := range r.deny {
					if path == d || strings.HasPrefix(path, strings.TrimSuffix(d, "/")+"/") || (strings.HasSuffix(d, "/") && strings.HasPrefix(path, d)) {
						t.Errorf("%s imports %s: %s", filepath.ToSlash(must(filepath.Rel(root, p))), path, r.why)
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Fatalf("read only %d files: is the walk looking at the module?", files)
	}
}

func matchesAny(dir string, prefixes []string) bool {
	for _, p := range prefixes {
		if under(dir, p) {
			return true
		}
	}
	return false
}

func must(s string, err error) string {
	if err != nil {
		return err.Error()
	}
	return s
}
