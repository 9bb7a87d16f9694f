package match

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/pkg/model"
)

// TestNVDSeverity: a finding whose records and aliases carry no severity
// takes NVD's CVSS for its CVE (a details-only record built from NVD's
// API, database_specific.source "nvd"), reported with SeveritySource
// "nvd"; a GHSA alias still wins over NVD.
func TestNVDSeverity(t *testing.T) {
	s := recordsDB(t,
		`{"id": "GO-2099-0101", "modified": "2099-01-02T00:00:00Z", "aliases": ["CVE-2099-4101"],
		  "affected": [{"package": {"ecosystem": "Go", "name": "example.com/nvd"},
		    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.1.0"}]}]}]}`,
		`{"id": "CVE-2099-4101", "modified": "2099-01-02T00:00:00Z", "database_specific": {"source": "nvd"},
		  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}]}`,
		`{"id": "GO-2099-0102", "modified": "2099-01-02T00:00:00Z", "aliases": ["CVE-2099-4102", "GHSA-2099-4102-aaaa"],
		  "affected": [{"package": {"ecosystem": "Go", "name": "example.com/nvd"},
		    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.2.0"}]}]}]}`,
		`{"id": "GHSA-2099-4102-aaaa", "modified": "2099-01-02T00:00:00Z", "aliases": ["CVE-2099-4102"],
		  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]}`,
		`{"id": "CVE-2099-4102", "modified": "2099-01-02T00:00:00Z", "database_specific": {"source": "nvd"},
		  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N"}]}`,
	)
	got, _, err := New(s, Options{}).Match(context.Background(), nil, model.TypeGoBinary,
		[]model.Package{{ID: "example.com/nvd@v1.0.0", Name: "example.com/nvd", Version: "v1.0.0"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []brief{
		{"example.com/nvd", "CVE-2099-4101", "1.1.0", "fixed", "HIGH", "nvd"},
		{"example.com/nvd", "CVE-2099-4102", "1.2.0", "fixed", "CRITICAL", "ghsa"},
	}
	if d := cmp.Diff(want, briefs(got)); d != "" {
		t.Fatalf("(-want +got):\n%s", d)
	}
	if v := got[0].CVSS["nvd"]; v.V3Vector == "" || got[0].VendorSeverity["nvd"] != 3 {
		t.Errorf("NVD source not reported: CVSS %+v vendor %v", got[0].CVSS, got[0].VendorSeverity)
	}
}
