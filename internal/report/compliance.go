package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/trawlsec/trawl/internal/compliance"
	"github.com/trawlsec/trawl/pkg/model"
)

// Compliance report modes (--report).
const (
	ComplianceSummary = "summary"
	ComplianceAll     = "all"
)

// ComplianceFormats are the formats a compliance report is written in.
var ComplianceFormats = []string{"table", "json"}

// WriteCompliance writes a compliance report as Trivy does: JSON of the
// whole report (mode all) or of its summary (mode summary); a table of
// controls (summary) or, per control, the tables of its failing findings
// (all).
func WriteCompliance(w io.Writer, format, mode string, cr *compliance.Report, opts Options) error {
	if mode != ComplianceSummary && mode != ComplianceAll {
		return fmt.Errorf("--report %q is not a report mode (summary, all)", mode)
	}
	switch format {
	case "json":
		var v any = cr
		if mode == ComplianceSummary {
			v = compliance.Summarise(cr)
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(v)
	case "table":
		width := opts.Width
		if width <= 0 {
			width = 120
		}
		tw := &tableWriter{w: w, width: width, color: opts.Color}
		if mode == ComplianceSummary {
			tw.complianceSummary(compliance.Summarise(cr))
			return tw.err
		}
		for _, c := range cr.Results {
			tw.printf("\n%s %s (%s)\n", Printable(c.ID), Printable(c.Name), tw.sev(c.Severity))
			if len(c.Results) == 0 {
				tw.printf("No failing findings.\n")
				continue
			}
			for _, res := range mergeByTarget(c.Results) {
				tw.result(&res)
			}
		}
		return tw.err
	}
	return fmt.Errorf("--format %q: compliance reports are written as table or json", format)
}

func (t *tableWriter) complianceSummary(s *compliance.Summary) {
	t.printf("\nSummary Report for compliance: %s\n", Printable(s.Title))
	rows := make([][]string, 0, len(s.SummaryControls))
	for _, c := range s.SummaryControls {
		status, issues := "-", "-" // a manual control: no scan judges it
		if c.TotalFail != nil {
			status, issues = "PASS", strconv.Itoa(*c.TotalFail)
			if *c.TotalFail > 0 {
				status = "FAIL"
			}
		}
		rows = append(rows, []string{Printable(c.ID), Printable(c.Severity), Printable(c.Name), status, issues})
	}
	t.table([]string{"ID", "Severity", "Control Name", "Status", "Issues"}, rows, 2)
}

// mergeByTarget joins the one-finding results of a control into one
// result per target and class, in first-seen order.
func mergeByTarget(in []model.Result) []model.Result {
	var out []model.Result
	at := map[string]int{}
	for _, r := range in {
		key := r.Target + "\x00" + r.Class
		i, ok := at[key]
		if !ok {
			at[key] = len(out)
			out = append(out, model.Result{Target: r.Target, Class: r.Class, Type: r.Type})
			i = len(out) - 1
		}
		m := &out[i]
		m.Vulnerabilities = append(m.Vulnerabilities, r.Vulnerabilities...)
		m.Secrets = append(m.Secrets, r.Secrets...)
		m.Misconfigurations = append(m.Misconfigurations, r.Misconfigurations...)
		m.Findings = append(m.Findings, r.Findings...)
		if r.MisconfSummary != nil {
			if m.MisconfSummary == nil {
				m.MisconfSummary = &model.MisconfSummary{}
			}
			m.MisconfSummary.Failures += r.MisconfSummary.Failures
		}
	}
	return out
}
