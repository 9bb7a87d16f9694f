package dotnet

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/trawlsec/trawl/internal/analyze"
)

// writeFiles writes name → content below dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func nuspecXML(meta string) string {
	return `<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd"><metadata>` + meta + `</metadata></package>`
}

func TestNuspecLicenses(t *testing.T) {
	pkgs := t.TempDir()
	writeFiles(t, pkgs, map[string]string{
		"serilog/3.1.1/serilog.nuspec":       nuspecXML(`<id>Serilog</id><license type="expression">Apache-2.0</license><licenseUrl>https://aka.ms/deprecateLicenseUrl</licenseUrl>`),
		"old.pkg/1.0.0/old.pkg.nuspec":       nuspecXML(`<id>Old.Pkg</id><licenseUrl>https://example.com/LICENSE</licenseUrl>`),
		"file.pkg/2.0.0/file.pkg.nuspec":     nuspecXML(`<id>File.Pkg</id><license type="file">LICENSE.txt</license><licenseUrl>https://aka.ms/deprecateLicenseUrl</licenseUrl>`),
		"broken/1.0.0/broken.nuspec":         `<package><metadata><license type="expression">MIT`,
		"bsd.or.mit/4.0.0/bsd.or.mit.nuspec": nuspecXML(`<license type="expression">MIT OR BSD-3-Clause</license>`),
	})
	const lock = `{"version":1,"dependencies":{"net8.0":{
		"Serilog":{"type":"Direct","resolved":"3.1.1"},
		"File.Pkg":{"type":"Direct","resolved":"2.0.0"},
		"Broken":{"type":"Direct","resolved":"1.0.0"},
		"Missing":{"type":"Direct","resolved":"9.9.9"},
		"BSD.Or.MIT":{"type":"Transitive","resolved":"4.0.0"}}}}`
	const config = `<packages><package id="Old.Pkg" version="1.0"/><package id="Serilog" version="3.1.1"/></packages>`
	tests := []struct {
		name    string
		a       analyze.Analyzer
		path    string
		content string
		want    map[string][]string
	}{
		{"lock", NewNugetLockWithPackages(pkgs), "packages.lock.json", lock, map[string][]string{
			"Serilog":    {"Apache-2.0"},
			"File.Pkg":   nil, // a licence file in the package: not read
			"Broken":     nil,
			"Missing":    nil,
			"BSD.Or.MIT": {"MIT OR BSD-3-Clause"},
		}},
		// packages.config versions are not normalised: 1.0 is in 1.0.0/.
		{"config", NewNugetConfigWithPackages(pkgs), "packages.config", config, map[string][]string{
			"Old.Pkg": {"https://example.com/LICENSE"},
			"Serilog": {"Apache-2.0"},
		}},
		{"no folder", NewNugetLock(), "packages.lock.json", lock, map[string][]string{"Serilog": nil}},
		{"folder missing", NewNugetLockWithPackages(filepath.Join(pkgs, "nope")), "packages.lock.json", lock, map[string][]string{"Serilog": nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := tt.a.Analyze(context.Background(), analyze.Input{Path: tt.path, Content: []byte(tt.content)})
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
}

// TestNuspecStaysInFolder: a package id that climbs out of the packages
// folder reads nothing outside it.
func TestNuspecStaysInFolder(t *testing.T) {
	base := t.TempDir()
	pkgs := filepath.Join(base, "packages")
	writeFiles(t, base, map[string]string{
		"packages/keep":    "",
		"1.0.0/..nuspec":   nuspecXML(`<license type="expression">MIT</license>`),
		"x/1.0.0/x.nuspec": nuspecXML(`<license type="expression">MIT</license>`),
	})
	if err := os.Symlink(filepath.Join(base, "x"), filepath.Join(pkgs, "x")); err != nil {
		t.Fatal(err)
	}
	lock := `{"version":1,"dependencies":{"net8.0":{"..":{"type":"Direct","resolved":"1.0.0"},"X":{"type":"Direct","resolved":"1.0.0"}}}}`
	res, err := NewNugetLockWithPackages(pkgs).Analyze(context.Background(), analyze.Input{Path: "packages.lock.json", Content: []byte(lock)})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res.Applications[0].Packages {
		if len(p.Licenses) > 0 {
			t.Errorf("%s: Licenses %q read from outside the packages folder", p.Name, p.Licenses)
		}
	}
}

func TestDefaultNugetPackages(t *testing.T) {
	dirs := map[string]bool{"/env/pkgs": true, "/home/u/.nuget/packages": true}
	isDir := func(p string) bool { return dirs[filepath.ToSlash(p)] }
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "NUGET_PACKAGES" {
				return v
			}
			return ""
		}
	}
	tests := []struct{ env, home, want string }{
		{"/env/pkgs", "/home/u", "/env/pkgs"},
		{"/env/missing", "/home/u", "/home/u/.nuget/packages"},
		{"", "/home/u", "/home/u/.nuget/packages"},
		{"", "/home/other", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := filepath.ToSlash(DefaultNugetPackages(env(tt.env), tt.home, isDir)); got != tt.want {
			t.Errorf("DefaultNugetPackages(%q, %q) = %q, want %q", tt.env, tt.home, got, tt.want)
		}
	}
}
