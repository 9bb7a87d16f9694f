package report

import (
	"testing"
	"time"

	"github.com/trawlsec/trawl/pkg/model"
)

// TestReportHashIgnoresReportID: documents derive serial numbers and SPDX
// namespaces from the report's content and time, so two scans of the same
// input at the same SOURCE_DATE_EPOCH write the same bytes; a different
// time or content still gives another hash.
func TestReportHashIgnoresReportID(t *testing.T) {
	at := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	a := &model.Report{ArtifactName: "app", CreatedAt: at, ReportID: "0193a1b2-0000-7000-8000-000000000001"}
	b := *a
	b.ReportID = "0193a1b2-0000-7000-8000-000000000002"
	if reportHash(a) != reportHash(&b) {
		t.Error("the report ID changes the hash")
	}
	if a.ReportID != "0193a1b2-0000-7000-8000-000000000001" {
		t.Error("reportHash modified the report")
	}
	c := *a
	c.CreatedAt = at.Add(time.Second)
	d := *a
	d.ArtifactName = "other"
	if reportHash(a) == reportHash(&c) || reportHash(a) == reportHash(&d) {
		t.Error("time or content does not change the hash")
	}
}
