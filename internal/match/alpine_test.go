package match

import (
	"testing"

	"github.com/trawlsec/trawl/pkg/model"
)

// Alpine's OSV records (ALPINE-CVE-…, converted from its secdb) have one
// affected entry per branch, ecosystem "Alpine:v<major>.<minor>", named
// after the origin package; secdb's "fixed in 0" (the branch is not
// affected) is a range fixed at "0".
var alpineRecords = []string{
	`{"id": "ALPINE-CVE-2099-6001", "modified": "2099-01-02T00:00:00Z",
	  "affected": [
	    {"package": {"ecosystem": "Alpine:v3.19", "name": "openssl"},
	     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.1.4-r1"}]}]},
	    {"package": {"ecosystem": "Alpine:v3.18", "name": "openssl"},
	     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.1.4-r5"}]}]}]}`,
	`{"id": "ALPINE-CVE-2099-6002", "modified": "2099-01-02T00:00:00Z",
	  "affected": [{"package": {"ecosystem": "Alpine:v3.19", "name": "openssl"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]}`,
	`{"id": "ALPINE-CVE-2099-6003", "modified": "2099-01-02T00:00:00Z",
	  "affected": [
	    {"package": {"ecosystem": "Alpine:v3.19", "name": "openssl"},
	     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "0"}]}]},
	    {"package": {"ecosystem": "Alpine:v3.1", "name": "openssl"},
	     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]}`,
}

func TestAlpineFeed(t *testing.T) {
	s := recordsDB(t, alpineRecords...)
	v319 := &model.OS{Family: model.FamilyAlpine, Name: "3.19.1"}
	v318 := &model.OS{Family: model.FamilyAlpine, Name: "3.18.6"}
	apk := func(name, origin, v string) model.Package {
		return model.Package{ID: name + "@" + v, Name: name, Version: v, SrcName: origin, SrcVersion: v}
	}
	runOSCases(t, s, []osCase{
		{
			// Fixed, unfixed, and not affected in 3.19 (the v3.1 entry is
			// another branch, not a prefix of v3.19).
			name: "alpine 3.19", os: v319, pkgType: model.TypeApk,
			pkgs: []model.Package{apk("libcrypto3", "openssl", "3.1.4-r0")},
			want: []brief{
				{"libcrypto3", "CVE-2099-6001", "3.1.4-r1", "fixed", "UNKNOWN", ""},
				{"libcrypto3", "CVE-2099-6002", "", "affected", "UNKNOWN", ""},
			},
		},
		{
			// Past 3.19's fix, below 3.18's: the 3.18 entry does not apply.
			name: "3.18 entries on 3.19", os: v319, pkgType: model.TypeApk,
			pkgs: []model.Package{apk("libcrypto3", "openssl", "3.1.4-r2")},
			want: []brief{{"libcrypto3", "CVE-2099-6002", "", "affected", "UNKNOWN", ""}},
		},
		{
			name: "alpine 3.18", os: v318, pkgType: model.TypeApk,
			pkgs: []model.Package{apk("libcrypto3", "openssl", "3.1.4-r2")},
			want: []brief{{"libcrypto3", "CVE-2099-6001", "3.1.4-r5", "fixed", "UNKNOWN", ""}},
		},
	})
}
