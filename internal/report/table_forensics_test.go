package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/pkg/model"
)

// TestTableForensics: a forensics result gets its severity counts and a
// table with the ID, path (marked when deleted later), layer, package and
// message of each finding; file names are escaped.
func TestTableForensics(t *testing.T) {
	rep := &model.Report{Results: []model.Result{{
		Target: "img:1", Class: model.ClassForensics, Findings: []model.ForensicFinding{
			{ID: "FOR-PERSIST-CRON", Severity: "MEDIUM", Path: "etc/cron.d/job", Deleted: true, Message: "cron etc/cron.d/job added after the base layer",
				Layer: model.Layer{DiffID: "sha256:0123456789abcdef", CreatedBy: "RUN echo"}},
			{ID: "FOR-PERM-SETUID", Severity: "HIGH", Path: "usr/local/bin/x\x1b[2J", Package: "none", Message: "setuid"},
		},
	}}}
	var buf bytes.Buffer
	if err := WriteTable(&buf, rep, Options{Width: 200}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"Total: 2 (UNKNOWN: 0, LOW: 0, MEDIUM: 1, HIGH: 1, CRITICAL: 0)",
		"FOR-PERSIST-CRON", "etc/cron.d/job (deleted later)", "0123456789ab RUN echo",
		"FOR-PERM-SETUID", `usr/local/bin/x\x1b[2J`, "none",
		"Forensics", // the summary's column, with the count
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b[2J") {
		t.Error("control characters reach the terminal")
	}
	// The summary's row for the target counts its findings in the
	// Forensics column (the last one).
	row := ""
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "│ img:1") {
			row = line
			break
		}
	}
	cells := strings.Split(strings.Trim(row, "│"), "│")
	if len(cells) == 0 || strings.TrimSpace(cells[len(cells)-1]) != "2" {
		t.Errorf("summary row %q does not count the 2 findings", row)
	}
}

// TestTableTimelineWithoutFindings: a forensics result whose findings the
// filters removed still shows its layer timeline.
func TestTableTimelineWithoutFindings(t *testing.T) {
	r := &model.Report{Results: []model.Result{{Target: "img", Class: model.ClassForensics,
		Timeline: []model.ForensicLayer{{DiffID: "sha256:abcdef0123456789", CreatedBy: "RUN make", FilesAdded: 3}}}}}
	var buf bytes.Buffer
	if err := WriteTable(&buf, r, Options{Scanners: []string{"forensics"}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "RUN make") {
		t.Errorf("timeline not shown:\n%s", buf.String())
	}
}
