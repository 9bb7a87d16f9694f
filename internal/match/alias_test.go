package match

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/pkg/model"
)

// Go's advisories (GO-…) carry no severity; the GHSA record of the same
// vulnerability does, but need not match the package (it may name no
// package at all, or another one).
var aliasRecords = []string{
	`{"id": "GO-2099-0001", "modified": "2099-01-02T00:00:00Z", "summary": "Panic in example.com/mod",
	  "aliases": ["CVE-2099-3001", "GHSA-2099-0001-aaaa"],
	  "affected": [{"package": {"ecosystem": "Go", "name": "example.com/mod"},
	    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.5.0"}]}],
	    "ecosystem_specific": {"imports": [{"path": "example.com/mod/parse", "symbols": ["Parse"]}]}}]}`,
	`{"id": "GHSA-2099-0001-aaaa", "modified": "2099-01-02T00:00:00Z", "aliases": ["CVE-2099-3001"],
	  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"}]}`,
	// The GO record names only the CVE; the GHSA is found through it.
	`{"id": "GO-2099-0002", "modified": "2099-01-02T00:00:00Z", "aliases": ["CVE-2099-3002"],
	  "affected": [{"package": {"ecosystem": "Go", "name": "example.com/mod"},
	    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.6.0"}]}]}]}`,
	`{"id": "GHSA-2099-0002-bbbb", "modified": "2099-01-02T00:00:00Z", "aliases": ["CVE-2099-3002"],
	  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
	  "database_specific": {"severity": "CRITICAL"},
	  "affected": [{"package": {"ecosystem": "Go", "name": "example.com/other"},
	    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "2.0.0"}]}]}]}`,
	// A withdrawn alias gives nothing; neither does a distribution's record.
	`{"id": "GO-2099-0003", "modified": "2099-01-02T00:00:00Z", "aliases": ["CVE-2099-3003"],
	  "affected": [{"package": {"ecosystem": "Go", "name": "example.com/mod"},
	    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.7.0"}]}]}]}`,
	`{"id": "GHSA-2099-0003-cccc", "modified": "2099-01-02T00:00:00Z", "withdrawn": "2099-01-03T00:00:00Z",
	  "aliases": ["CVE-2099-3003"],
	  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]}`,
	`{"id": "DSA-9003-1", "modified": "2099-01-02T00:00:00Z", "aliases": ["CVE-2099-3003"],
	  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
	  "affected": [{"package": {"ecosystem": "Debian:12", "name": "golang-example-mod"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.7.0-1"}]}]}]}`,
}

func TestAliasSeverity(t *testing.T) {
	s := recordsDB(t, aliasRecords...)
	got, warns, err := New(s, Options{}).Match(context.Background(), nil, model.TypeGoBinary,
		[]model.Package{{ID: "example.com/mod@v1.4.0", Name: "example.com/mod", Version: "v1.4.0"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) > 0 {
		t.Errorf("warnings: %v", warns)
	}
	want := []brief{
		{"example.com/mod", "CVE-2099-3001", "1.5.0", "fixed", "HIGH", "ghsa"},
		{"example.com/mod", "CVE-2099-3002", "1.6.0", "fixed", "CRITICAL", "ghsa"},
		{"example.com/mod", "CVE-2099-3003", "1.7.0", "fixed", "UNKNOWN", ""},
	}
	if d := cmp.Diff(want, briefs(got)); d != "" {
		t.Fatalf("(-want +got):\n%s", d)
	}
	// The source is reported as Trivy does: its rating and its vector.
	type sev struct {
		Vendor map[string]int
		CVSS   map[string]model.CVSS
		Source string
	}
	gotSev := []sev{}
	for _, v := range got {
		gotSev = append(gotSev, sev{v.VendorSeverity, v.CVSS, v.DataSource.ID})
	}
	wantSev := []sev{
		{map[string]int{"ghsa": 3}, map[string]model.CVSS{"ghsa": {V3Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", V3Score: 7.5}}, "go-vulndb"},
		{map[string]int{"ghsa": 4}, map[string]model.CVSS{"ghsa": {V3Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", V3Score: 9.8}}, "go-vulndb"},
		{nil, nil, "go-vulndb"},
	}
	if d := cmp.Diff(wantSev, gotSev); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}
