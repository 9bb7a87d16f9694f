// Package report writes a model.Report in the formats trawl supports. Writers
// know only the report model: never analyzers, the DB or tar files.
package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/trawlsec/trawl/pkg/model"
)

// Formats lists the supported --format values.
var Formats = []string{"table", "json", "sarif", "cyclonedx", "spdx", "spdx-json", "github", "template", "cosign-vuln"}

// Options tune writers.
type Options struct {
	// ListAllPkgs keeps Packages in JSON results (Trivy's default).
	ListAllPkgs bool
	// Width is the terminal width for the table writer (0: 120).
	Width int
	// Color enables ANSI colours in the table writer.
	Color bool
	// Scanners are the scanners that ran; the table summary shows "-" for
	// the others. Nil means unknown (counts are shown).
	Scanners []string
	// DependencyTree adds, in the table, the path from each vulnerable
	// package up to the direct dependency that brought it in.
	DependencyTree bool
	// AppVersion is trawl's version, written as the tool version into
	// SARIF, CycloneDX, SPDX and GitHub documents ("dev" when empty).
	AppVersion string
	// CycloneDXXML selects CycloneDX XML instead of JSON (--cyclonedx-xml
	// or an output name ending in .xml).
	CycloneDXXML bool
	// Template is the --template value for the template format: the
	// template text itself, or "@path" to read it from a file.
	Template string
	// Getenv backs the template helper env (the asff template reads
	// AWS_REGION and AWS_ACCOUNT_ID); nil means an empty environment.
	Getenv func(key string) string
	// GitHub is the GitHub Actions context for the github format, taken
	// from the GITHUB_* variables by the caller.
	GitHub GitHubEnv
}

// GitHubEnv is the GitHub Actions context a dependency snapshot records.
type GitHubEnv struct {
	Ref      string // GITHUB_REF
	SHA      string // GITHUB_SHA
	Job      string // GITHUB_JOB
	RunID    string // GITHUB_RUN_ID
	Workflow string // GITHUB_WORKFLOW
}

// Write writes r in format to w.
func Write(w io.Writer, format string, r *model.Report, opts Options) error {
	switch strings.ToLower(format) {
	case "json":
		return WriteJSON(w, r, opts)
	case "table":
		return WriteTable(w, r, opts)
	case "sarif":
		return WriteSARIF(w, r, opts)
	case "cyclonedx":
		return WriteCycloneDX(w, r, opts)
	case "spdx":
		return WriteSPDX(w, r, opts)
	case "spdx-json":
		return WriteSPDXJSON(w, r, opts)
	case "github":
		return WriteGitHub(w, r, opts)
	case "template":
		return WriteTemplate(w, r, opts)
	case "cosign-vuln":
		return WriteCosignVuln(w, r, opts)
	}
	return fmt.Errorf("unknown format %q (supported: %s)", format, strings.Join(Formats, ", "))
}

// WriteJSON writes the report as Trivy-compatible JSON (schema version 2),
// byte for byte what json.MarshalIndent(report, "", "  ") gives, but one
// result at a time: a report of 100,000 misconfigurations is never held
// twice in memory as text.
func WriteJSON(w io.Writer, r *model.Report, opts Options) error {
	head := *r
	head.Results = nil
	b, err := json.MarshalIndent(&head, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding JSON report: %w", err)
	}
	if len(r.Results) == 0 {
		_, err = w.Write(append(b, '\n'))
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	// b ends in "\n}" (or is "{}"): reopen it for the Results member.
	if string(b) == "{}" {
		bw.WriteString("{\n  \"Results\": [")
	} else {
		bw.Write(b[:len(b)-2])
		bw.WriteString(",\n  \"Results\": [")
	}
	for i := range r.Results {
		res := r.Results[i]
		if !opts.ListAllPkgs {
			res.Packages = nil
		}
		rb, err := json.MarshalIndent(&res, "    ", "  ")
		if err != nil {
			return fmt.Errorf("encoding JSON report: result %s: %w", res.Target, err)
		}
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		bw.Write(rb)
	}
	bw.WriteString("\n  ]\n}\n")
	return bw.Flush()
}
