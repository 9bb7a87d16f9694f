package golang

import (
	"context"
	"io/fs"
	"os"
	"slices"
	"testing"
	"testing/fstest"
)

// licenseText reads one of the classifier's embedded licence texts.
func licenseText(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../../../license/texts/" + name + ".txt")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestVendorRequired(t *testing.T) {
	reg := func(n string) fs.FileInfo { return fileInfo{n, 100, 0o644} }
	tests := []struct {
		path string
		want bool
	}{
		{"vendor/modules.txt", true},
		{"app/vendor/modules.txt", true},
		{"vendor/github.com/a/b/LICENSE", true},
		{"vendor/github.com/a/b/COPYING.md", true},
		{"vendor/github.com/a/b/license.go", false},
		{"vendor/github.com/a/b/main.go", false},
		{"modules.txt", false},
		{"docs/modules.txt", false},
		{"LICENSE", false}, // the project's own: --license-full's
		{"src/LICENSE", false},
	}
	for _, tt := range tests {
		if got := NewMod().Required(tt.path, reg(tt.path)); got != tt.want {
			t.Errorf("Required(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
	if NewMod().Required("vendor/github.com/a/b/LICENSE", fileInfo{"LICENSE", 1 << 20, 0o644}) {
		t.Error("a 1 MiB LICENSE is wanted; the cap is licensefile.MaxFileSize")
	}
}

func TestVendorLicenses(t *testing.T) {
	const gomod = `module example.com/app

go 1.22

require (
	github.com/a/mit v1.0.0
	github.com/b/apache v2.1.0+incompatible
	github.com/c/stale v1.2.0
	github.com/d/nolicense v0.1.0
	github.com/e/unknown v1.0.0
	github.com/f/replaced v1.0.0
)

replace github.com/f/replaced => github.com/g/fork v1.0.1
`
	const modules = `# github.com/a/mit v1.0.0
## explicit; go 1.20
github.com/a/mit
# github.com/b/apache v2.1.0+incompatible
## explicit
github.com/b/apache
# github.com/c/stale v1.1.0
github.com/c/stale
# github.com/d/nolicense v0.1.0
github.com/d/nolicense
# github.com/e/unknown v1.0.0
github.com/e/unknown
# github.com/f/replaced v1.0.0 => github.com/g/fork v1.0.1
github.com/f/replaced
`
	mit, apache := licenseText(t, "MIT"), licenseText(t, "Apache-2.0")
	base := fstest.MapFS{
		"app/go.mod":                                    {Data: []byte(gomod)},
		"app/vendor/github.com/a/mit/LICENSE":           {Data: mit},
		"app/vendor/github.com/b/apache/LICENSE.txt":    {Data: apache},
		"app/vendor/github.com/c/stale/LICENSE":         {Data: mit},
		"app/vendor/github.com/d/nolicense/doc.txt":     {Data: mit},
		"app/vendor/github.com/e/unknown/LICENSE":       {Data: []byte("All rights reserved. Do not copy.")},
		"app/vendor/github.com/f/replaced/COPYING":      {Data: apache},
		"app/vendor/github.com/a/mit/sub/LICENSE":       {Data: apache},
		"app/vendor/github.com/a/mit/sub/other/LICENSE": {Data: apache},
	}
	withModules := fstest.MapFS{"app/vendor/modules.txt": {Data: []byte(modules)}}
	for k, v := range base {
		withModules[k] = v
	}
	tests := []struct {
		name  string
		files fstest.MapFS
		want  map[string][]string
	}{
		{"vendored", withModules, map[string][]string{
			"github.com/a/mit":       {"MIT"},
			"github.com/b/apache":    {"Apache-2.0"},
			"github.com/c/stale":     nil, // modules.txt vendors another version
			"github.com/d/nolicense": nil,
			"github.com/e/unknown":   nil,
			"github.com/g/fork":      {"Apache-2.0"}, // reported as the replacement, vendored under its own path
		}},
		// Without vendor/modules.txt the directory is not Go's vendor tree.
		{"no modules.txt", base, map[string][]string{"github.com/a/mit": nil, "github.com/b/apache": nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := NewMod().PostAnalyze(context.Background(), tt.files)
			if err != nil {
				t.Fatal(err)
			}
			if res == nil || len(res.Applications) != 1 {
				t.Fatalf("want one application, got %+v", res)
			}
			got := map[string][]string{}
			for _, p := range res.Applications[0].Packages {
				got[p.Name] = p.Licenses
			}
			for name, want := range tt.want {
				lic, ok := got[name]
				if !ok {
					t.Errorf("%s: not reported", name)
					continue
				}
				if !slices.Equal(lic, want) {
					t.Errorf("%s: Licenses = %q, want %q", name, lic, want)
				}
			}
		})
	}
}
