package match

import (
	"testing"

	"github.com/trawlsec/trawl/pkg/model"
)

// SUSE publishes SUSE-SU- and openSUSE-SU- records with one affected entry
// per product: "SUSE:Linux Enterprise Server 15 SP5", the product's modules
// ("SUSE:Linux Enterprise Module for Basesystem 15 SP5", where most
// packages of a SLES image come from), "openSUSE:Leap 15.5",
// "openSUSE:Tumbleweed"; package names are binary RPM names.
var suseRecords = []string{
	`{"id": "SUSE-SU-2099:0001-1", "modified": "2099-01-02T00:00:00Z", "summary": "Security update for openssl-3",
	  "related": ["CVE-2099-4001"],
	  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N"}],
	  "affected": [
	    {"package": {"ecosystem": "SUSE:Linux Enterprise Module for Basesystem 15 SP5", "name": "libopenssl3"},
	     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.8-150500.5.20.1"}]}]},
	    {"package": {"ecosystem": "SUSE:Linux Enterprise Server 15 SP4", "name": "libopenssl3"},
	     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.8-150400.4.50.1"}]}]},
	    {"package": {"ecosystem": "SUSE:Linux Enterprise Server 15 SP5-LTSS", "name": "libopenssl3"},
	     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.8-150500.5.99.1"}]}]},
	    {"package": {"ecosystem": "openSUSE:Leap 15.5", "name": "libopenssl3"},
	     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.8-150500.5.20.1"}]}]}]}`,
	`{"id": "openSUSE-SU-2099:0002-1", "modified": "2099-01-02T00:00:00Z", "related": ["CVE-2099-4002"],
	  "affected": [
	    {"package": {"ecosystem": "openSUSE:Leap 15.5", "name": "curl"},
	     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "8.0.1-150400.5.50.1"}]}]},
	    {"package": {"ecosystem": "openSUSE:Tumbleweed", "name": "curl"},
	     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "8.6.0-1.1"}]}]}]}`,
}

func TestSUSEFeed(t *testing.T) {
	s := recordsDB(t, suseRecords...)
	sles155 := &model.OS{Family: model.FamilySUSE, Name: "15.5"}
	sles154 := &model.OS{Family: model.FamilySUSE, Name: "15.4"}
	leap := &model.OS{Family: model.FamilyOpenSUSE, Name: "15.5"}
	runOSCases(t, s, []osCase{
		{
			// The Basesystem module's entry applies to SLES 15 SP5; the
			// LTSS extension's and SP4's do not; curl is only in openSUSE.
			name: "sles 15 sp5", os: sles155, pkgType: model.TypeRPM,
			pkgs: []model.Package{rpmPkg("libopenssl3", 0, "3.0.8", "150500.5.8.1"), rpmPkg("curl", 0, "8.0.1", "150400.5.40.1")},
			want: []brief{{"libopenssl3", "SUSE-SU-2099:0001-1", "3.0.8-150500.5.20.1", "fixed", "MEDIUM", "suse-cvrf"}},
		},
		{
			name: "sles 15 sp4", os: sles154, pkgType: model.TypeRPM,
			pkgs: []model.Package{rpmPkg("libopenssl3", 0, "3.0.8", "150400.4.40.1")},
			want: []brief{{"libopenssl3", "SUSE-SU-2099:0001-1", "3.0.8-150400.4.50.1", "fixed", "MEDIUM", "suse-cvrf"}},
		},
		{
			// Past SP4's fix, below SP5's: the SP5 entries do not apply.
			name: "sp5 entries on sp4", os: sles154, pkgType: model.TypeRPM,
			pkgs: []model.Package{rpmPkg("libopenssl3", 0, "3.0.8", "150400.4.55.1")},
		},
		{
			// Leap gets its own entries only, not Tumbleweed's.
			name: "opensuse leap 15.5", os: leap, pkgType: model.TypeRPM,
			pkgs: []model.Package{rpmPkg("curl", 0, "8.0.1", "150400.5.40.1"), rpmPkg("libopenssl3", 0, "3.0.8", "150500.5.8.1")},
			want: []brief{
				{"curl", "openSUSE-SU-2099:0002-1", "8.0.1-150400.5.50.1", "fixed", "UNKNOWN", ""},
				{"libopenssl3", "SUSE-SU-2099:0001-1", "3.0.8-150500.5.20.1", "fixed", "MEDIUM", "suse-cvrf"},
			},
		},
	})
}
