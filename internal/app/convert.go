package app

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/trawlsec/trawl/internal/filter"
	"github.com/trawlsec/trawl/internal/report"
	"github.com/trawlsec/trawl/pkg/model"
)

// MaxReportSize caps a JSON report read by convert (a pipe is welcome, an
// endless stream is not).
const MaxReportSize = 1 << 30

// maxReportSize is MaxReportSize; tests lower it.
var maxReportSize int64 = MaxReportSize

// ConvertOptions re-render a saved JSON report.
type ConvertOptions struct {
	Input       string
	Format      string
	Output      string
	ListAllPkgs bool
	ExitCode    int
	Filter      filter.Options
	Report      report.Options
	Stdout      io.Writer
	Color       bool
	Logger      *slog.Logger
}

// Convert reads a trawl or Trivy JSON report, applies the filters again and
// writes it in another format. It returns the exit code like Run.
func Convert(o ConvertOptions) (int, error) {
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if o.Filter.Now.IsZero() {
		o.Filter.Now = time.Now()
	}
	filters, err := filter.Load(o.Filter)
	if err != nil {
		return 1, err
	}
	f, err := os.Open(o.Input)
	if err != nil {
		return 1, fmt.Errorf("convert: %w", err)
	}
	defer f.Close()
	var rep model.Report
	lr := &io.LimitedReader{R: f, N: maxReportSize + 1}
	dec := json.NewDecoder(lr)
	if err := dec.Decode(&rep); err != nil {
		if lr.N <= 0 {
			return 1, fmt.Errorf("convert: %s is larger than the %d-byte limit for a report", o.Input, maxReportSize)
		}
		return 1, fmt.Errorf("convert: %s is not a JSON report: %w", o.Input, err)
	}
	if rep.SchemaVersion != model.SchemaVersion {
		return 1, fmt.Errorf("convert: %s has report schema version %d, want %d", o.Input, rep.SchemaVersion, model.SchemaVersion)
	}
	for _, w := range filters.Apply(&rep) {
		log.Warn(w.String())
	}
	ro := o.Report
	ro.ListAllPkgs = o.ListAllPkgs
	if err := WriteOutput(o.Output, o.Stdout, o.Format, &rep, ro, o.Color); err != nil {
		return 1, err
	}
	if o.ExitCode != 0 && hasFindings(&rep) {
		return o.ExitCode, nil
	}
	return 0, nil
}
