package pkgdb

import (
	"testing"

	"github.com/trawlsec/trawl/pkg/model"
)

type warning string

func (w warning) String() string { return string(w) }

func TestResult(t *testing.T) {
	pkgs := []model.Package{
		{Name: "musl", InstalledFiles: []string{"lib/ld-musl-x86_64.so.1"}},
		{Name: "busybox", InstalledFiles: []string{"bin/busybox", "bin/sh"}},
	}
	res := Result("apk", model.TypeApk, "lib/apk/db/installed", pkgs, []warning{"line 9: no version"})
	if len(res.OSPackages) != 1 || len(res.OSPackages[0].Packages) != 2 || res.OSPackages[0].Type != model.TypeApk {
		t.Errorf("packages = %+v", res.OSPackages)
	}
	if len(res.Owned) != 1 || len(res.Owned[0].Files) != 3 || res.Owned[0].FilePath != "lib/apk/db/installed" {
		t.Errorf("owned = %+v", res.Owned)
	}
	if len(res.Warnings) != 1 || res.Warnings[0].Analyzer != "apk" || res.Warnings[0].Reason != "line 9: no version" {
		t.Errorf("warnings = %+v", res.Warnings)
	}
	if empty := Result[warning]("rpm", model.TypeRPM, "x", nil, nil); len(empty.OSPackages) != 0 || len(empty.Owned) != 0 {
		t.Errorf("empty database: %+v", empty)
	}
}
