package dpkg

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/pkg/model"
)

var _ analyze.Analyzer = New()

func TestRequired(t *testing.T) {
	a := New()
	for path, want := range map[string]bool{
		"var/lib/dpkg/status":                     true,
		"var/lib/dpkg/status.d/base-files":        true,
		"var/lib/dpkg/status.d/libc6":             true,
		"var/lib/dpkg/status.d/libc6.md5sums":     false,
		"var/lib/dpkg/status.d/sub/x":             false,
		"var/lib/dpkg/status.d/":                  false,
		"var/lib/dpkg/info/tar.list":              true,
		"var/lib/dpkg/info/libc6:amd64.list":      true,
		"var/lib/dpkg/info/tar.md5sums":           false,
		"var/lib/dpkg/info/.list":                 false,
		"var/lib/dpkg/status-old":                 false,
		"var/lib/dpkg/available":                  false,
		"/var/lib/dpkg/status":                    false,
		"usr/local/var/lib/dpkg/status":           false,
		"var/lib/dpkg/info/nested/dir/thing.list": false,
		"usr/share/doc/bash/copyright":            true,
		"usr/share/doc/bash/changelog.gz":         false,
		"usr/share/doc/copyright":                 false,
		"usr/share/doc/a/b/copyright":             false,
	} {
		if got := a.Required(path, nil); got != want {
			t.Errorf("Required(%q) = %v, want %v", path, got, want)
		}
	}
}

func TestAnalyzeStatus(t *testing.T) {
	status := "Package: tar\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.34+dfsg-1.2+deb12u1\n\n" +
		"Package: broken\nStatus: install ok installed\n\n" +
		"Package: gone\nStatus: deinstall ok config-files\nVersion: 1.0\n"
	res, err := New().Analyze(context.Background(), analyze.Input{Path: "var/lib/dpkg/status", Content: []byte(status)})
	if err != nil {
		t.Fatal(err)
	}
	want := []analyze.PackageSet{{
		Type:     model.TypeDpkg,
		FilePath: "var/lib/dpkg/status",
		Packages: []model.Package{{
			ID: "tar@1.34+dfsg-1.2+deb12u1", Name: "tar", Version: "1.34+dfsg", Release: "1.2+deb12u1", Arch: "amd64",
			SrcName: "tar", SrcVersion: "1.34+dfsg", SrcRelease: "1.2+deb12u1",
		}},
	}}
	if diff := cmp.Diff(want, res.OSPackages); diff != "" {
		t.Errorf("OSPackages (-want +got):\n%s", diff)
	}
	if len(res.Warnings) != 1 || res.Warnings[0].Path != "var/lib/dpkg/status" || !strings.Contains(res.Warnings[0].Reason, `"broken" has no Version`) {
		t.Errorf("Warnings = %+v, want one for the stanza without Version", res.Warnings)
	}
}

func TestAnalyzeStatusD(t *testing.T) {
	ctrl := "Package: base-files\nVersion: 12.4+deb12u6\nArchitecture: amd64\n"
	res, err := New().Analyze(context.Background(), analyze.Input{Path: "var/lib/dpkg/status.d/base-files", Content: []byte(ctrl)})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.OSPackages) != 1 || res.OSPackages[0].FilePath != "var/lib/dpkg/status.d/base-files" ||
		len(res.OSPackages[0].Packages) != 1 || res.OSPackages[0].Packages[0].ID != "base-files@12.4+deb12u6" {
		t.Errorf("OSPackages = %+v", res.OSPackages)
	}
}

func TestAnalyzeList(t *testing.T) {
	list := "/.\n/lib\n/lib/x86_64-linux-gnu\n/lib/x86_64-linux-gnu/libc.so.6\n/usr/share/doc/libc6/copyright\n"
	res, err := New().Analyze(context.Background(), analyze.Input{Path: "var/lib/dpkg/info/libc6:amd64.list", Content: []byte(list)})
	if err != nil {
		t.Fatal(err)
	}
	want := []analyze.OwnedFiles{{
		FilePath: "var/lib/dpkg/info/libc6:amd64.list",
		Package:  "libc6",
		Files:    []string{"lib/x86_64-linux-gnu/libc.so.6", "usr/share/doc/libc6/copyright"},
	}}
	if diff := cmp.Diff(want, res.Owned); diff != "" {
		t.Errorf("Owned (-want +got):\n%s", diff)
	}
}

func TestCopyrightLicenses(t *testing.T) {
	content := "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nCopyright: 1995-2022 Jean-loup Gailly and Mark Adler\nLicense: Zlib\n"
	res, err := New().Analyze(context.Background(), analyze.Input{Path: "usr/share/doc/zlib1g/copyright", Content: []byte(content)})
	if err != nil {
		t.Fatal(err)
	}
	if res == nil || len(res.Licenses) != 1 || res.Licenses[0].Package != "zlib1g" || len(res.Licenses[0].Licenses) != 1 || res.Licenses[0].Licenses[0] != "Zlib" {
		t.Errorf("result = %+v", res)
	}
}
