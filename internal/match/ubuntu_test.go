package match

import (
	"testing"

	"github.com/trawlsec/trawl/pkg/model"
)

// Ubuntu publishes per-CVE records (UBUNTU-CVE-…, naming the CVE in
// "upstream") and notices (USN-…), with one affected entry per release,
// ecosystem "Ubuntu:<release>[:LTS]" or "Ubuntu:Pro:<release>:LTS" for
// fixes available to Ubuntu Pro subscribers only. The priority is a
// severity entry of type "Ubuntu" or, in older records, the entry's
// ecosystem_specific "ubuntu_priority"; an entry without fixed event is
// unfixed, a release that is not affected has no entry.
var ubuntuRecords = []string{
	`{"id": "UBUNTU-CVE-2099-8001", "modified": "2099-01-02T00:00:00Z", "upstream": ["CVE-2099-8001"],
	  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
	               {"type": "Ubuntu", "score": "medium"}],
	  "affected": [
	    {"package": {"ecosystem": "Ubuntu:22.04:LTS", "name": "openssl"},
	     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.2-0ubuntu1.15"}]}],
	     "ecosystem_specific": {"binaries": [{"libssl3": "3.0.2-0ubuntu1.15", "openssl": "3.0.2-0ubuntu1.15"}],
	                            "availability": "No subscription required"}},
	    {"package": {"ecosystem": "Ubuntu:24.04:LTS", "name": "openssl"},
	     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.13-0ubuntu3.2"}]}]}]}`,
	`{"id": "USN-9999-1", "modified": "2099-01-02T00:00:00Z", "summary": "OpenSSL vulnerability",
	  "upstream": ["CVE-2099-8001"],
	  "affected": [{"package": {"ecosystem": "Ubuntu:22.04:LTS", "name": "openssl"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.2-0ubuntu1.15"}]}]}]}`,
	// Unfixed, negligible priority in the older ecosystem_specific form.
	`{"id": "UBUNTU-CVE-2099-8002", "modified": "2099-01-02T00:00:00Z", "upstream": ["CVE-2099-8002"],
	  "affected": [{"package": {"ecosystem": "Ubuntu:22.04:LTS", "name": "openssl"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}],
	    "versions": ["3.0.2-0ubuntu1", "3.0.2-0ubuntu1.10"],
	    "ecosystem_specific": {"ubuntu_priority": "negligible"}}]}`,
	// Fixed for Ubuntu Pro only on 22.04; open on 24.04; 22.04 itself is
	// not listed.
	`{"id": "UBUNTU-CVE-2099-8003", "modified": "2099-01-02T00:00:00Z", "upstream": ["CVE-2099-8003"],
	  "severity": [{"type": "Ubuntu", "score": "high"}],
	  "affected": [
	    {"package": {"ecosystem": "Ubuntu:Pro:22.04:LTS", "name": "openssl"},
	     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.2-0ubuntu1.99+esm1"}]}]},
	    {"package": {"ecosystem": "Ubuntu:24.04:LTS", "name": "openssl"},
	     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]}`,
}

func TestUbuntuFeed(t *testing.T) {
	s := recordsDB(t, ubuntuRecords...)
	jammy := &model.OS{Family: model.FamilyUbuntu, Name: "22.04"}
	noble := &model.OS{Family: model.FamilyUbuntu, Name: "24.04"}
	runOSCases(t, s, []osCase{
		{
			// The UBUNTU-CVE record and the USN are one finding; the
			// Ubuntu priority wins over the CVSS vector. The Pro and 24.04
			// entries of CVE-2099-8003 do not apply to 22.04.
			name: "ubuntu 22.04", os: jammy, pkgType: model.TypeDpkg,
			pkgs: []model.Package{debPkg("libssl3", "openssl", "3.0.2", "0ubuntu1.10", "3.0.2-0ubuntu1.10")},
			want: []brief{
				{"libssl3", "CVE-2099-8001", "3.0.2-0ubuntu1.15", "fixed", "MEDIUM", "ubuntu"},
				{"libssl3", "CVE-2099-8002", "", "affected", "LOW", "ubuntu"},
			},
		},
		{
			// 22.04 entries never match 24.04, even at a version they cover.
			name: "ubuntu 24.04", os: noble, pkgType: model.TypeDpkg,
			pkgs: []model.Package{debPkg("libssl3t64", "openssl", "3.0.2", "0ubuntu1.10", "3.0.2-0ubuntu1.10")},
			want: []brief{
				{"libssl3t64", "CVE-2099-8001", "3.0.13-0ubuntu3.2", "fixed", "MEDIUM", "ubuntu"},
				{"libssl3t64", "CVE-2099-8003", "", "affected", "HIGH", "ubuntu"},
			},
		},
	})
}
