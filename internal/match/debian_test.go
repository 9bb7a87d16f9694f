package match

import (
	"testing"

	"github.com/trawlsec/trawl/pkg/model"
)

// Debian publishes advisories (DSA-, DLA- for LTS) and per-CVE records of
// its security tracker (DEBIAN-CVE-…) with one affected entry per release,
// ecosystem "Debian:<release>": a fixed event for resolved issues, none for
// open ones, the tracker's urgency in ecosystem_specific, and no entry at
// all for a release that is not affected.
var debianRecords = []string{
	`{"id": "DSA-9001-1", "modified": "2099-01-02T00:00:00Z", "summary": "openssl - security update",
	  "aliases": ["CVE-2099-9001"],
	  "affected": [
	    {"package": {"ecosystem": "Debian:12", "name": "openssl"},
	     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.11-1~deb12u3"}]}]},
	    {"package": {"ecosystem": "Debian:11", "name": "openssl"},
	     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.1.1w-0+deb11u2"}]}]}]}`,
	`{"id": "DEBIAN-CVE-2099-9001", "modified": "2099-01-02T00:00:00Z", "upstream": ["CVE-2099-9001"],
	  "affected": [
	    {"package": {"ecosystem": "Debian:12", "name": "openssl"},
	     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.11-1~deb12u3"}]}],
	     "ecosystem_specific": {"urgency": "high"}}]}`,
	// LTS advisory: Debian 11 only.
	`{"id": "DLA-9002-1", "modified": "2099-01-02T00:00:00Z", "aliases": ["CVE-2099-9002"],
	  "affected": [{"package": {"ecosystem": "Debian:11", "name": "curl"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "7.74.0-1.3+deb11u12"}]}]}]}`,
	// Open, urgency with the tracker's "**" mark.
	`{"id": "DEBIAN-CVE-2099-9003", "modified": "2099-01-02T00:00:00Z", "upstream": ["CVE-2099-9003"],
	  "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}],
	    "ecosystem_specific": {"urgency": "low**"}}]}`,
	// <no-dsa> ignored: will not be fixed; "unimportant" is LOW.
	`{"id": "DEBIAN-CVE-2099-9004", "modified": "2099-01-02T00:00:00Z", "upstream": ["CVE-2099-9004"],
	  "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}],
	    "ecosystem_specific": {"urgency": "unimportant", "nodsa": "Minor issue", "nodsa_reason": "ignored"}}]}`,
	// <no-dsa> postponed: fix deferred to a point release.
	`{"id": "DEBIAN-CVE-2099-9005", "modified": "2099-01-02T00:00:00Z", "upstream": ["CVE-2099-9005"],
	  "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}],
	    "ecosystem_specific": {"urgency": "medium", "nodsa": "Can be fixed later", "nodsa_reason": "postponed"}}]}`,
	// <end-of-life>: the package is no longer supported in the release.
	`{"id": "DEBIAN-CVE-2099-9006", "modified": "2099-01-02T00:00:00Z", "upstream": ["CVE-2099-9006"],
	  "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}],
	    "ecosystem_specific": {"urgency": "end-of-life"}}]}`,
	// Open in Debian 11; Debian 12 not affected, once by omission (as the
	// tracker's converter writes it), once as a "fixed in 0" entry.
	`{"id": "DEBIAN-CVE-2099-9007", "modified": "2099-01-02T00:00:00Z", "upstream": ["CVE-2099-9007"],
	  "affected": [
	    {"package": {"ecosystem": "Debian:11", "name": "openssl"},
	     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}],
	     "ecosystem_specific": {"urgency": "medium"}},
	    {"package": {"ecosystem": "Debian:12", "name": "curl"},
	     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "0"}]}]}]}`,
	// An explicit not-affected state.
	`{"id": "DEBIAN-CVE-2099-9008", "modified": "2099-01-02T00:00:00Z", "upstream": ["CVE-2099-9008"],
	  "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}],
	    "ecosystem_specific": {"status": "<not-affected>", "urgency": "high"}}]}`,
}

func TestDebianFeed(t *testing.T) {
	s := recordsDB(t, debianRecords...)
	bookworm := &model.OS{Family: model.FamilyDebian, Name: "12.7"}
	bullseye := &model.OS{Family: model.FamilyDebian, Name: "11.11"}
	libssl3 := debPkg("libssl3", "openssl", "3.0.11", "1~deb12u2", "3.0.11-1~deb12u2")
	libssl11 := debPkg("libssl1.1", "openssl", "1.1.1w", "0+deb11u1", "1.1.1w-0+deb11u1")
	curl := debPkg("curl", "curl", "7.74.0", "1.3+deb11u11", "7.74.0-1.3+deb11u11")
	runOSCases(t, s, []osCase{
		{
			// The DSA and the tracker record of CVE-2099-9001 are one
			// finding, with the tracker's urgency; the Debian 11 entry of
			// the DSA does not add its fix. Open records get their status
			// from <no-dsa> and <end-of-life>; the not-affected one none.
			name: "debian 12 states", os: bookworm, pkgType: model.TypeDpkg,
			pkgs: []model.Package{libssl3},
			want: []brief{
				{"libssl3", "CVE-2099-9001", "3.0.11-1~deb12u3", "fixed", "HIGH", "debian"},
				{"libssl3", "CVE-2099-9003", "", "affected", "LOW", "debian"},
				{"libssl3", "CVE-2099-9004", "", "will_not_fix", "LOW", "debian"},
				{"libssl3", "CVE-2099-9005", "", "fix_deferred", "MEDIUM", "debian"},
				{"libssl3", "CVE-2099-9006", "", "end_of_life", "UNKNOWN", ""},
			},
		},
		{
			// Entries for Debian 11 never match a Debian 12 package, even
			// at a version they would cover (a bullseye curl left on a
			// bookworm system); a "fixed in 0" entry matches nothing.
			name: "debian 11 entries on debian 12", os: bookworm, pkgType: model.TypeDpkg,
			pkgs: []model.Package{curl},
		},
		{
			name: "debian 11", os: bullseye, pkgType: model.TypeDpkg,
			pkgs: []model.Package{libssl11, curl},
			want: []brief{
				{"curl", "CVE-2099-9002", "7.74.0-1.3+deb11u12", "fixed", "UNKNOWN", ""},
				{"libssl1.1", "CVE-2099-9001", "1.1.1w-0+deb11u2", "fixed", "UNKNOWN", ""},
				{"libssl1.1", "CVE-2099-9007", "", "affected", "MEDIUM", "debian"},
			},
		},
	})
}
