// Package nvd reads the CVSS data of NVD's CVE API 2.0 responses
// (`{"format": "NVD_CVE", "version": "2.0", "vulnerabilities": [{"cve":
// {"id": …, "metrics": {…}}}]}`), as saved pages of
// https://services.nvd.nist.gov/rest/json/cves/2.0, for use as an optional
// `trawl db build` source: a severity for findings whose advisories carry
// none, keyed by CVE.
//
// Each CVE becomes a details-only OSV record (no affected packages, so it
// never matches on its own) with the CVSS vectors NVD publishes and
// database_specific {"source": "nvd"}.
package nvd

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/trawlsec/trawl/internal/vulndb/osv"
)

// Source is the database_specific "source" of the records Parse returns.
const Source = "nvd"

// ErrMalformed is wrapped by errors for a document that is not an NVD CVE
// API 2.0 response.
var ErrMalformed = errors.New("trawl/nvd: malformed NVD document")

// Sniff reports whether data looks like an NVD CVE API response (cheap: it
// looks at the first few kilobytes only).
func Sniff(data []byte) bool {
	head := data[:min(len(data), 4096)]
	return bytes.Contains(head, []byte(`"NVD_CVE"`)) && bytes.Contains(data[:min(len(data), 1<<16)], []byte(`"vulnerabilities"`))
}

type response struct {
	Format          string `json:"format"`
	Version         string `json:"version"`
	Vulnerabilities []struct {
		CVE struct {
			ID           string    `json:"id"`
			Published    string    `json:"published"`
			LastModified string    `json:"lastModified"`
			Status       string    `json:"vulnStatus"`
			Metrics      metrics   `json:"metrics"`
			Descriptions []langStr `json:"descriptions"`
		} `json:"cve"`
	} `json:"vulnerabilities"`
}

type langStr struct {
	Lang  string `json:"lang"`
	Value string `json:"value"`
}

type metric struct {
	Source   string `json:"source"`
	Type     string `json:"type"` // Primary (NVD's own) or Secondary (a CNA's)
	CVSSData struct {
		Version      string  `json:"version"`
		VectorString string  `json:"vectorString"`
		BaseScore    float64 `json:"baseScore"`
	} `json:"cvssData"`
}

type metrics struct {
	V40 []metric `json:"cvssMetricV40"`
	V31 []metric `json:"cvssMetricV31"`
	V30 []metric `json:"cvssMetricV30"`
	V2  []metric `json:"cvssMetricV2"`
}

// Stats count what Parse read.
type Stats struct {
	Read, Kept int
	// Rejected CVEs had no id, or no CVSS vector at all (nothing to add).
	Rejected, NoMetrics int
}

// Parse reads one NVD CVE API 2.0 response. name labels errors.
func Parse(name string, data []byte) ([]*osv.Vulnerability, Stats, error) {
	var r response
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, Stats{}, fmt.Errorf("%s: %w: %w", name, ErrMalformed, err)
	}
	if r.Format != "NVD_CVE" || !strings.HasPrefix(r.Version, "2.") {
		return nil, Stats{}, fmt.Errorf("%s: %w: format %q version %q, want NVD_CVE 2.x", name, ErrMalformed, r.Format, r.Version)
	}
	var out []*osv.Vulnerability
	var st Stats
	for _, v := range r.Vulnerabilities {
		c := v.CVE
		st.Read++
		if !strings.HasPrefix(c.ID, "CVE-") {
			st.Rejected++
			continue
		}
		if c.Status == "Rejected" {
			st.Rejected++
			continue
		}
		var sev []osv.Severity
		for _, m := range []struct {
			typ string
			ms  []metric
		}{{"CVSS_V4", c.Metrics.V40}, {"CVSS_V3", c.Metrics.V31}, {"CVSS_V3", c.Metrics.V30}, {"CVSS_V2", c.Metrics.V2}} {
			if vec := pick(m.ms); vec != "" {
				sev = append(sev, osv.Severity{Type: m.typ, Score: vec})
			}
		}
		if len(sev) == 0 {
			st.NoMetrics++
			continue
		}
		rec := &osv.Vulnerability{
			ID:               c.ID,
			Severity:         sev,
			DatabaseSpecific: map[string]any{"source": Source},
		}
		if t, err := time.Parse("2006-01-02T15:04:05.000", c.LastModified); err == nil {
			rec.Modified = t
		}
		if t, err := time.Parse("2006-01-02T15:04:05.000", c.Published); err == nil {
			rec.Published = t
		}
		for _, d := range c.Descriptions {
			if d.Lang == "en" {
				rec.Summary = firstSentence(d.Value)
				break
			}
		}
		st.Kept++
		out = append(out, rec)
	}
	return out, st, nil
}

// pick returns NVD's own (Primary) vector when there is one, else the
// first the CNAs gave.
func pick(ms []metric) string {
	for _, m := range ms {
		if m.Type == "Primary" && m.CVSSData.VectorString != "" {
			return m.CVSSData.VectorString
		}
	}
	for _, m := range ms {
		if m.CVSSData.VectorString != "" {
			return m.CVSSData.VectorString
		}
	}
	return ""
}

func firstSentence(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, ". "); i > 0 && i < 200 {
		return s[:i+1]
	}
	if len(s) > 200 {
		return strings.ToValidUTF8(s[:200], "")
	}
	return s
}
