// Package report writes a model.Report in the formats trawl supports. Writers
// know only the report model: never analyzers, the DB or tar files.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/trawlsec/trawl/pkg/model"
)

// Formats lists the supported --format values.
var Formats = []string{"table", "json"}

// Options tune writers.
type Options struct {
	// ListAllPkgs keeps Packages in JSON results (Trivy's default).
	ListAllPkgs bool
	// Width is the terminal width for the table writer (0: 120).
	Width int
	// Color enables ANSI colours in the table writer.
	Color bool
}

// Write writes r in format to w.
func Write(w io.Writer, format string, r *model.Report, opts Options) error {
	switch strings.ToLower(format) {
	case "json":
		return WriteJSON(w, r, opts)
	case "table":
		return WriteTable(w, r, opts)
	}
	return fmt.Errorf("unknown format %q (supported: %s)", format, strings.Join(Formats, ", "))
}

// WriteJSON writes the report as Trivy-compatible JSON (schema version 2).
func WriteJSON(w io.Writer, r *model.Report, opts Options) error {
	out := *r
	if !opts.ListAllPkgs {
		out.Results = make([]model.Result, len(r.Results))
		for i, res := range r.Results {
			res.Packages = nil
			out.Results[i] = res
		}
	}
	b, err := json.MarshalIndent(&out, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding JSON report: %w", err)
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}
