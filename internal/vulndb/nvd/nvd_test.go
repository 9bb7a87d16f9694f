package nvd

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/vulndb/osv"
)

// page is an NVD CVE API 2.0 response written for the test, with the
// shapes the API returns: NVD's Primary vector next to a CNA's Secondary
// one, v2-only CVEs, CVEs awaiting analysis (no metrics) and rejected ones.
const page = `{
  "resultsPerPage": 4, "startIndex": 0, "totalResults": 4,
  "format": "NVD_CVE", "version": "2.0", "timestamp": "2026-11-30T10:00:00.000",
  "vulnerabilities": [
    {"cve": {"id": "CVE-2099-0001", "published": "2099-01-01T10:15:00.000", "lastModified": "2099-01-05T08:00:00.000",
      "vulnStatus": "Analyzed",
      "descriptions": [{"lang": "es", "value": "Un fallo."}, {"lang": "en", "value": "A flaw in the parser allows a crash. More text follows here."}],
      "metrics": {
        "cvssMetricV31": [
          {"source": "cna@example.com", "type": "Secondary", "cvssData": {"version": "3.1", "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L", "baseScore": 5.3}},
          {"source": "nvd@nist.gov", "type": "Primary", "cvssData": {"version": "3.1", "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", "baseScore": 7.5}}
        ],
        "cvssMetricV2": [{"source": "nvd@nist.gov", "type": "Primary", "cvssData": {"version": "2.0", "vectorString": "AV:N/AC:L/Au:N/C:N/I:N/A:P", "baseScore": 5.0}}]
      }}},
    {"cve": {"id": "CVE-2005-0002", "vulnStatus": "Modified",
      "metrics": {"cvssMetricV2": [{"source": "nvd@nist.gov", "type": "Primary", "cvssData": {"version": "2.0", "vectorString": "AV:N/AC:L/Au:N/C:C/I:C/A:C", "baseScore": 10.0}}]}}},
    {"cve": {"id": "CVE-2099-0003", "vulnStatus": "Awaiting Analysis", "metrics": {}}},
    {"cve": {"id": "CVE-2099-0004", "vulnStatus": "Rejected", "metrics": {"cvssMetricV31": [{"type": "Primary", "cvssData": {"vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}}]}}}
  ]}`

func TestParse(t *testing.T) {
	if !Sniff([]byte(page)) {
		t.Fatal("Sniff does not recognise an NVD page")
	}
	recs, st, err := Parse("page.json", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Stats{Read: 4, Kept: 2, Rejected: 1, NoMetrics: 1}, st); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
	if len(recs) != 2 {
		t.Fatalf("%d records", len(recs))
	}
	first := recs[0]
	if first.ID != "CVE-2099-0001" || first.Summary != "A flaw in the parser allows a crash." || first.DatabaseSpecific["source"] != "nvd" || len(first.Affected) != 0 {
		t.Errorf("record: %+v", first)
	}
	want := []osv.Severity{{Type: "CVSS_V3", Score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"}, {Type: "CVSS_V2", Score: "AV:N/AC:L/Au:N/C:N/I:N/A:P"}}
	if diff := cmp.Diff(want, first.Severity); diff != "" {
		t.Errorf("NVD's Primary vectors (-want +got):\n%s", diff)
	}
	if first.Modified.IsZero() || first.Published.Year() != 2099 {
		t.Errorf("dates: %v %v", first.Modified, first.Published)
	}
}

func TestParseRefuses(t *testing.T) {
	for name, doc := range map[string]string{
		"osv record":  `{"id": "GHSA-1", "modified": "2099-01-01T00:00:00Z"}`,
		"nvd 1.1":     `{"CVE_data_type": "CVE", "CVE_data_format": "MITRE", "CVE_data_version": "4.0", "CVE_Items": []}`,
		"not json":    `NVD_CVE`,
		"old version": `{"format": "NVD_CVE", "version": "1.0", "vulnerabilities": []}`,
	} {
		if _, _, err := Parse(name, []byte(doc)); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v, want ErrMalformed", name, err)
		}
	}
	if Sniff([]byte(`{"id": "GHSA-1", "summary": "mentions vulnerabilities"}`)) {
		t.Error("an OSV record sniffed as NVD")
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(page))
	f.Add([]byte(`{"format":"NVD_CVE","version":"2.0","vulnerabilities":[{"cve":{"id":"CVE-1"}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, st, err := Parse("fuzz", data)
		if err != nil {
			return
		}
		if len(recs) != st.Kept || st.Kept > st.Read {
			t.Fatalf("%d records, stats %+v", len(recs), st)
		}
		for _, r := range recs {
			if len(r.Severity) == 0 || len(r.Affected) != 0 {
				t.Fatalf("record %+v", r)
			}
		}
	})
}
