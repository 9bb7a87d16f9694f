package app

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/pkg/inventory"
	"github.com/trawlsec/trawl/pkg/model"
)

// TestHardeningList: the embedded list parses, and names what a minimal
// base lacks without catching the runtime libraries that share a prefix.
func TestHardeningList(t *testing.T) {
	classes, err := parseHardening(hardeningList)
	if err != nil {
		t.Fatal(err)
	}
	classOf := func(name string) string {
		for _, c := range classes {
			if c.match(name) {
				return c.id
			}
		}
		return ""
	}
	for name, want := range map[string]string{
		"gcc": "FOR-HARDEN-BUILD-TOOL", "gcc-12": "FOR-HARDEN-BUILD-TOOL", "make": "FOR-HARDEN-BUILD-TOOL",
		"build-essential": "FOR-HARDEN-BUILD-TOOL", "gcc-12-base": "", "libgcc-s1": "", "cpp-12": "FOR-HARDEN-BUILD-TOOL",
		"curl": "FOR-HARDEN-NET-TOOL", "wget": "FOR-HARDEN-NET-TOOL", "openssh-client": "FOR-HARDEN-NET-TOOL",
		"netcat-openbsd": "FOR-HARDEN-NET-TOOL", "libcurl4": "", "gdb": "FOR-HARDEN-DEBUG-TOOL", "strace": "FOR-HARDEN-DEBUG-TOOL",
		"coreutils": "", "bash": "",
	} {
		if got := classOf(name); got != want {
			t.Errorf("%s: class %q, want %q", name, got, want)
		}
	}
	for _, bad := range []string{"build", "tools gcc", "build [gcc"} {
		if _, err := parseHardening(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

// TestHardeningPackages: an end-of-life OS is MEDIUM; each listed package
// is LOW with its layer, its installed size from the facts of the package
// database still in the final filesystem (not a deleted one's) and, when
// the vulnerability scanner ran, the vulnerabilities against it.
func TestHardeningPackages(t *testing.T) {
	l2 := model.Layer{DiffID: "sha256:l2", CreatedBy: "RUN apt-get install gcc curl"}
	inv := &inventory.Inventory{
		OSPackages: inventory.Packages{
			{Name: "bash", Version: "5.2"}, {Name: "curl", Version: "7.88", Layer: l2}, {Name: "gcc", Version: "12.2", Layer: l2},
		},
		Forensics: []inventory.ForensicFact{
			{Kind: inventory.FactPackageSize, FilePath: "var/lib/dpkg/status", Detail: "curl", Size: 1, Deleted: true},
			{Kind: inventory.FactPackageSize, FilePath: "var/lib/dpkg/status", Detail: "curl", Size: 500 << 10},
			{Kind: inventory.FactPackageSize, FilePath: "var/lib/dpkg/status", Detail: "bash", Size: 7 << 20},
		},
	}
	rep := &model.Report{
		Metadata: model.Metadata{OS: &model.OS{Family: "debian", Name: "9.13", EOSL: true}},
		Results: []model.Result{{Class: model.ClassOSPkg, Vulnerabilities: []model.Vulnerability{
			{VulnerabilityID: "CVE-1", PkgName: "curl"}, {VulnerabilityID: "CVE-2", PkgName: "curl"}, {VulnerabilityID: "CVE-3", PkgName: "bash"},
		}}},
	}
	type row struct {
		ID, Severity, DiffID, Package string
		Size                          int64
		Msg                           string
	}
	summarise := func(ff []model.ForensicFinding) []row {
		var out []row
		for _, f := range ff {
			msg := f.Message[strings.LastIndex(f.Message, ";")+1:]
			out = append(out, row{f.ID, f.Severity, f.Layer.DiffID, f.Package, f.Size, strings.TrimSpace(msg)})
		}
		return out
	}
	want := []row{
		{"FOR-HARDEN-EOL", "MEDIUM", "", "", 0, "the base OS, debian 9.13, no longer receives security updates: rebuild on a supported release"},
		{"FOR-HARDEN-BUILD-TOOL", "LOW", "sha256:l2", "gcc", 0, "0 vulnerabilities reported against it"},
		{"FOR-HARDEN-NET-TOOL", "LOW", "sha256:l2", "curl", 500 << 10, "2 vulnerabilities reported against it"},
	}
	if diff := cmp.Diff(want, summarise(hardeningFindings(inv, rep, true))); diff != "" {
		t.Errorf("with vulnerabilities (-want +got):\n%s", diff)
	}
	rep.Metadata.OS.EOSL = false
	got := hardeningFindings(inv, rep, false)
	if len(got) != 2 || !strings.HasSuffix(got[1].Message, "installed size 500.0 KiB") {
		t.Errorf("without the vulnerability scanner: %+v", got)
	}
}
