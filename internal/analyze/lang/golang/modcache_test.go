package golang

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"testing/fstest"
)

func writeTree(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestModCacheLicenses(t *testing.T) {
	mit, apache, bsd := licenseText(t, "MIT"), licenseText(t, "Apache-2.0"), licenseText(t, "BSD-3-Clause")
	base := t.TempDir()
	cache := filepath.Join(base, "mod")
	writeTree(t, base, map[string][]byte{
		"mod/github.com/!azure/sdk@v1.2.0/LICENSE.txt":    mit,    // escaped upper case
		"mod/github.com/a/mit@v1.0.0/LICENSE":             mit,    //
		"mod/github.com/a/mit@v1.0.0/sub/LICENSE":         apache, // not the module's own
		"mod/github.com/a/mit@v0.9.0/LICENSE":             apache, // another version
		"mod/github.com/v/vendored@v1.0.0/LICENSE":        apache, // vendored: vendor's wins
		"mod/cache/download/github.com/n/x/@v/v1.0.0.zip": []byte("zip"),
		"outside/github.com/l/link@v1.0.0/LICENSE":        bsd,
	})
	if err := os.MkdirAll(filepath.Join(cache, "github.com", "l"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(base, "outside", "github.com", "l", "link@v1.0.0"), filepath.Join(cache, "github.com", "l", "link@v1.0.0")); err != nil {
		t.Fatal(err)
	}
	const gomod = `module example.com/app

go 1.22

require (
	github.com/Azure/sdk v1.2.0
	github.com/a/mit v1.0.0
	github.com/v/vendored v1.0.0
	github.com/n/x v1.0.0
	github.com/l/link v1.0.0
)
`
	files := fstest.MapFS{
		"go.mod":                               {Data: []byte(gomod)},
		"vendor/modules.txt":                   {Data: []byte("# github.com/v/vendored v1.0.0\ngithub.com/v/vendored\n")},
		"vendor/github.com/v/vendored/LICENSE": {Data: bsd},
	}
	tests := []struct {
		name string
		a    *Mod
		want map[string][]string
	}{
		{"with cache", NewMod().WithModCache(cache), map[string][]string{
			"github.com/Azure/sdk":  {"MIT"},
			"github.com/a/mit":      {"MIT"},
			"github.com/v/vendored": {"BSD-3-Clause"},
			"github.com/n/x":        nil, // downloaded, not extracted
			"github.com/l/link":     nil, // a symlink out of the cache
		}},
		{"without cache", NewMod(), map[string][]string{"github.com/a/mit": nil, "github.com/v/vendored": {"BSD-3-Clause"}}},
		{"cache missing", NewMod().WithModCache(filepath.Join(base, "nope")), map[string][]string{"github.com/a/mit": nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := tt.a.PostAnalyze(context.Background(), files)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string][]string{}
			for _, p := range res.Applications[0].Packages {
				got[p.Name] = p.Licenses
			}
			for name, want := range tt.want {
				if lic, ok := got[name]; !ok {
					t.Errorf("%s: not reported", name)
				} else if !slices.Equal(lic, want) {
					t.Errorf("%s: Licenses = %q, want %q", name, lic, want)
				}
			}
		})
	}
	if NewMod().Version() == NewMod().WithModCache(cache).Version() ||
		NewModComprehensive().Version() == NewModComprehensive().WithModCache(cache).Version() {
		t.Error("the module cache does not change the analyzer's cache version")
	}
}

func TestDefaultModCache(t *testing.T) {
	dirs := map[string]bool{"/c/mod": true, "/gp/pkg/mod": true, "/home/u/go/pkg/mod": true}
	isDir := func(p string) bool { return dirs[filepath.ToSlash(p)] }
	tests := []struct{ gomodcache, gopath, home, want string }{
		{"/c/mod", "/gp", "/home/u", "/c/mod"},
		{"", "/gp" + string(os.PathListSeparator) + "/other", "/home/u", "/gp/pkg/mod"},
		{"", "", "/home/u", "/home/u/go/pkg/mod"},
		{"/missing", "/gp", "/home/u", ""}, // GOMODCACHE set: no fallback, as the go command
		{"rel/mod", "", "/home/u", ""},
		{"", "", "", ""},
	}
	for _, tt := range tests {
		env := map[string]string{"GOMODCACHE": tt.gomodcache, "GOPATH": tt.gopath}
		got := DefaultModCache(func(k string) string { return env[k] }, tt.home, isDir)
		if filepath.ToSlash(got) != tt.want {
			t.Errorf("DefaultModCache(%q, %q, %q) = %q, want %q", tt.gomodcache, tt.gopath, tt.home, got, tt.want)
		}
	}
}
