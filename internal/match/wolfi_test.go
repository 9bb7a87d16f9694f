package match

import (
	"testing"

	"github.com/trawlsec/trawl/pkg/model"
)

// Chainguard publishes CGA- records for Wolfi and Chainguard OS at once:
// the CVE and GHSA ids in "upstream", one affected entry per distribution
// ("Wolfi", "Chainguard") and package, unfixed entries without fixed
// event, and no severity of their own.
var wolfiRecords = []string{
	`{"id": "CGA-2099-aaaa-bbbb", "modified": "2099-01-02T00:00:00Z",
	  "upstream": ["CVE-2099-5001", "GHSA-2099-aaaa-bbbb"],
	  "affected": [
	    {"package": {"ecosystem": "Wolfi", "name": "haproxy-3.1", "purl": "pkg:apk/wolfi/haproxy-3.1?arch=x86_64"},
	     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.1.7-r0"}]}]},
	    {"package": {"ecosystem": "Chainguard", "name": "haproxy-3.1"},
	     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.1.8-r0"}]}]}]}`,
	`{"id": "CGA-2099-cccc-dddd", "modified": "2099-01-02T00:00:00Z", "upstream": ["CVE-2099-5002"],
	  "affected": [{"package": {"ecosystem": "Wolfi", "name": "haproxy-3.1"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]}`,
	// The GHSA advisory of CVE-2099-5001, filed under the Go module
	// haproxy does not come from: it gives the CGA finding its severity.
	`{"id": "GHSA-2099-aaaa-bbbb", "modified": "2099-01-02T00:00:00Z", "aliases": ["CVE-2099-5001"],
	  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"}],
	  "database_specific": {"severity": "HIGH"},
	  "affected": [{"package": {"ecosystem": "Go", "name": "example.com/haproxy-client"},
	    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.2.0"}]}]}]}`,
}

func TestWolfiChainguardFeed(t *testing.T) {
	s := recordsDB(t, wolfiRecords...)
	wolfi := &model.OS{Family: model.FamilyWolfi, Name: "20230201"}
	chainguard := &model.OS{Family: model.FamilyChainguard, Name: "20230214"}
	apk := func(name, v string) model.Package {
		return model.Package{ID: name + "@" + v, Name: name, Version: v, SrcName: name, SrcVersion: v}
	}
	runOSCases(t, s, []osCase{
		{
			name: "wolfi", os: wolfi, pkgType: model.TypeApk,
			pkgs: []model.Package{apk("haproxy-3.1", "3.1.6-r0")},
			want: []brief{
				{"haproxy-3.1", "CVE-2099-5001", "3.1.7-r0", "fixed", "HIGH", "ghsa"},
				{"haproxy-3.1", "CVE-2099-5002", "", "affected", "UNKNOWN", ""},
			},
		},
		{
			// Chainguard's later fix does not apply to Wolfi.
			name: "wolfi fixed", os: wolfi, pkgType: model.TypeApk,
			pkgs: []model.Package{apk("haproxy-3.1", "3.1.7-r0")},
			want: []brief{{"haproxy-3.1", "CVE-2099-5002", "", "affected", "UNKNOWN", ""}},
		},
		{
			// Wolfi's fix (and its unfixed record) do not apply to
			// Chainguard OS.
			name: "chainguard", os: chainguard, pkgType: model.TypeApk,
			pkgs: []model.Package{apk("haproxy-3.1", "3.1.7-r0")},
			want: []brief{{"haproxy-3.1", "CVE-2099-5001", "3.1.8-r0", "fixed", "HIGH", "ghsa"}},
		},
	})
}
