package build

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/trawlsec/trawl/internal/vulndb/store"
)

// TestBuildNVDSource: saved NVD CVE API pages are a build source: their
// CVEs become details-only records (CVSS by CVE, never a match), counted
// under a source of format "nvd", next to OSV records.
func TestBuildNVDSource(t *testing.T) {
	dir := t.TempDir()
	nvdDir := filepath.Join(dir, "nvd")
	os.MkdirAll(nvdDir, 0o755)
	os.WriteFile(filepath.Join(nvdDir, "page-0.json"), []byte(`{"format": "NVD_CVE", "version": "2.0",
	  "vulnerabilities": [{"cve": {"id": "CVE-2099-7001", "vulnStatus": "Analyzed",
	    "metrics": {"cvssMetricV31": [{"type": "Primary", "cvssData": {"version": "3.1", "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}}]}}},
	    {"cve": {"id": "CVE-2099-7002", "vulnStatus": "Awaiting Analysis", "metrics": {}}}]}`), 0o644)
	osvDir := filepath.Join(dir, "go")
	os.MkdirAll(osvDir, 0o755)
	os.WriteFile(filepath.Join(osvDir, "GO-2099-7001.json"), []byte(`{"id": "GO-2099-7001", "modified": "2099-01-01T00:00:00Z",
	  "aliases": ["CVE-2099-7001"], "affected": [{"package": {"ecosystem": "Go", "name": "example.com/x"},
	  "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.0.0"}]}]}]}`), 0o644)
	out := filepath.Join(dir, "trawl.db")
	rep, err := Build(context.Background(), []string{osvDir, nvdDir}, out, nil)
	if err != nil {
		t.Fatal(err)
	}
	var nvdStats *store.SourceStats
	for i := range rep.Metadata.Sources {
		if rep.Metadata.Sources[i].Name == "nvd" {
			nvdStats = &rep.Metadata.Sources[i]
		}
	}
	if nvdStats == nil || nvdStats.Format != "nvd" || nvdStats.Read != 2 || nvdStats.Kept != 1 {
		t.Fatalf("nvd source stats: %+v", nvdStats)
	}
	s, err := store.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	d, err := s.Details("CVE-2099-7001")
	if err != nil || d == nil || len(d.Severity) != 1 || d.DatabaseSpecific["source"] != "nvd" {
		t.Fatalf("details of CVE-2099-7001: %+v %v", d, err)
	}
	if d, _ := s.Details("CVE-2099-7002"); d != nil {
		t.Errorf("a CVE without metrics was kept: %+v", d)
	}
	if es, _ := s.Affected("Go", "example.com/x"); len(es) != 1 || es[0].ID != "GO-2099-7001" {
		t.Errorf("the NVD record changed matching: %+v", es)
	}
}
