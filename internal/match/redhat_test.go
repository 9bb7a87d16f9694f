package match

import (
	"testing"

	"github.com/trawlsec/trawl/pkg/model"
)

// Red Hat publishes RHSA records converted from its CSAF advisories: the
// CVEs in "upstream", one ecosystem per product repository named after its
// CPE ("Red Hat:enterprise_linux:9::appstream", "…:9::baseos",
// "Red Hat:rhel_eus:9.2::baseos" for extended support), fixed versions with
// their epoch, and the package of a module stream under its plain name (the
// stream shows only in the release: "….module+el9.3.0+…"). AlmaLinux (ALSA)
// and Rocky Linux (RLSA) publish their errata under "AlmaLinux:<major>" and
// "Rocky Linux:<major>".
var redhatRecords = []string{
	`{"id": "RHSA-2099:1001", "modified": "2099-01-02T00:00:00Z", "summary": "openssl security update",
	  "upstream": ["CVE-2099-7001"],
	  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"}],
	  "affected": [
	    {"package": {"ecosystem": "Red Hat:enterprise_linux:9::baseos", "name": "openssl", "purl": "pkg:rpm/redhat/openssl"},
	     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1:3.0.7-25.el9_3"}]}]},
	    {"package": {"ecosystem": "Red Hat:rhel_eus:9.2::baseos", "name": "openssl"},
	     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1:3.0.7-18.el9_2"}]}]},
	    {"package": {"ecosystem": "Red Hat:enterprise_linux:8::baseos", "name": "openssl"},
	     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1:1.1.1k-12.el8_9"}]}]}]}`,
	// Two CVEs: the finding keeps the advisory's id. One fix for the
	// nodejs:18 module stream, one for the non-modular nodejs.
	`{"id": "RHSA-2099:1002", "modified": "2099-01-02T00:00:00Z", "summary": "nodejs security update",
	  "upstream": ["CVE-2099-7002", "CVE-2099-7003"],
	  "affected": [
	    {"package": {"ecosystem": "Red Hat:enterprise_linux:9::appstream", "name": "nodejs"},
	     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1:18.19.0-1.module+el9.3.0+20773+d8e7d9d8"}]}]},
	    {"package": {"ecosystem": "Red Hat:enterprise_linux:9::appstream", "name": "nodejs"},
	     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1:16.20.2-3.el9_3"}]}]}]}`,
	`{"id": "ALSA-2099:2001", "modified": "2099-01-02T00:00:00Z", "related": ["CVE-2099-7001"],
	  "affected": [{"package": {"ecosystem": "AlmaLinux:9", "name": "openssl"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1:3.0.7-25.el9_3.alma.1"}]}]}]}`,
	`{"id": "RLSA-2099:3001", "modified": "2099-01-02T00:00:00Z", "related": ["CVE-2099-7004"],
	  "affected": [{"package": {"ecosystem": "Rocky Linux:8", "name": "nodejs"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1:18.19.0-1.module+el8.9.0+1660+62a2e61b"}]}]}]}`,
	// So that the database holds AlmaLinux 8 and Rocky Linux 9.
	`{"id": "ALSA-2099:2002", "modified": "2099-01-02T00:00:00Z",
	  "affected": [{"package": {"ecosystem": "AlmaLinux:8", "name": "zlib"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2.11-40.el8"}]}]}]}`,
	`{"id": "RLSA-2099:3002", "modified": "2099-01-02T00:00:00Z",
	  "affected": [{"package": {"ecosystem": "Rocky Linux:9", "name": "zlib"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2.11-40.el9"}]}]}]}`,
}

func TestRedHatFamilyFeed(t *testing.T) {
	s := recordsDB(t, redhatRecords...)
	rhel9 := &model.OS{Family: model.FamilyRedHat, Name: "9.3"}
	rhel8 := &model.OS{Family: model.FamilyRedHat, Name: "8.9"}
	alma9 := &model.OS{Family: model.FamilyAlma, Name: "9.3"}
	alma8 := &model.OS{Family: model.FamilyAlma, Name: "8.9"}
	rocky8 := &model.OS{Family: model.FamilyRocky, Name: "8.9"}
	rocky9 := &model.OS{Family: model.FamilyRocky, Name: "9.3"}
	nodejs18 := rpmPkg("nodejs", 1, "18.14.2", "2.module+el9.2.0+17000+aaaa1111")
	nodejs16 := rpmPkg("nodejs", 1, "16.20.2", "1.el9")
	rocky8Node := rpmPkg("nodejs", 1, "18.14.2", "1.module+el8.8.0+1000+bbbb2222")
	runOSCases(t, s, []osCase{
		{
			// The RHEL 9 repositories' entries apply, the EUS stream's fix
			// does not; one CVE in upstream names the finding.
			name: "rhel 9 baseos", os: rhel9, pkgType: model.TypeRPM,
			pkgs: []model.Package{rpmPkg("openssl", 1, "3.0.7", "24.el9")},
			want: []brief{{"openssl", "CVE-2099-7001", "1:3.0.7-25.el9_3", "fixed", "HIGH", "redhat"}},
		},
		{
			name: "rhel 9 module stream package", os: rhel9, pkgType: model.TypeRPM,
			pkgs: []model.Package{nodejs18},
			want: []brief{{"nodejs", "RHSA-2099:1002", "1:18.19.0-1.module+el9.3.0+20773+d8e7d9d8", "fixed", "UNKNOWN", ""}},
		},
		{
			// The module stream's fix is not offered to the plain package.
			name: "rhel 9 non-modular package", os: rhel9, pkgType: model.TypeRPM,
			pkgs: []model.Package{nodejs16},
			want: []brief{{"nodejs", "RHSA-2099:1002", "1:16.20.2-3.el9_3", "fixed", "UNKNOWN", ""}},
		},
		{
			// RHEL 9 entries never match RHEL 8.
			name: "rhel 8", os: rhel8, pkgType: model.TypeRPM,
			pkgs: []model.Package{rpmPkg("openssl", 1, "1.1.1k", "9.el8"), nodejs16},
			want: []brief{{"openssl", "CVE-2099-7001", "1:1.1.1k-12.el8_9", "fixed", "HIGH", "redhat"}},
		},
		{
			name: "alma 9", os: alma9, pkgType: model.TypeRPM,
			pkgs: []model.Package{rpmPkg("openssl", 1, "3.0.7", "24.el9")},
			want: []brief{{"openssl", "ALSA-2099:2001", "1:3.0.7-25.el9_3.alma.1", "fixed", "UNKNOWN", ""}},
		},
		{
			name: "alma 9 entries on alma 8", os: alma8, pkgType: model.TypeRPM,
			pkgs: []model.Package{rpmPkg("openssl", 1, "1.1.1k", "9.el8")},
		},
		{
			name: "rocky 8 module stream", os: rocky8, pkgType: model.TypeRPM,
			pkgs: []model.Package{rocky8Node},
			want: []brief{{"nodejs", "RLSA-2099:3001", "1:18.19.0-1.module+el8.9.0+1660+62a2e61b", "fixed", "UNKNOWN", ""}},
		},
		{
			name: "rocky 8 entries on rocky 9", os: rocky9, pkgType: model.TypeRPM,
			pkgs: []model.Package{rocky8Node},
		},
	})
}
