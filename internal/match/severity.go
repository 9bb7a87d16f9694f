package match

import (
	"math"
	"slices"
	"strings"

	cvss20 "github.com/pandatix/go-cvss/20"
	cvss30 "github.com/pandatix/go-cvss/30"
	cvss31 "github.com/pandatix/go-cvss/31"
	cvss40 "github.com/pandatix/go-cvss/40"

	"github.com/trawlsec/trawl/internal/vulndb/osv"
	"github.com/trawlsec/trawl/pkg/model"
)

// sourceScores is what one source says about a vulnerability's severity.
type sourceScores struct {
	src     string
	vendor  string // textual vendor severity, normalised; "" if none
	cvss    model.CVSS
	v3minor int    // 0 or 1: which CVSS 3 version V3Vector is
	best    string // the severity computed from the best vector; "" if none
}

// severity fills CVSS, VendorSeverity, Severity and SeveritySource.
//
// Severity is, in order: the textual severity of the primary record's
// source, the textual severity of another source of the group (GHSA
// first), the rating of the best CVSS vector (v4 > v3.1 > v3.0 > v2) of the
// primary source, then of the other sources; UNKNOWN when nothing is known.
func (g *group) severity(v *model.Vulnerability, eco string, primary *found, opts Options) {
	bySrc := map[string]*sourceScores{}
	var order []string
	for _, f := range g.ordered(primary) {
		src := sourceOf(eco, f)
		s := bySrc[src]
		if s == nil {
			s = &sourceScores{src: src}
			bySrc[src] = s
			order = append(order, src)
		}
		if s.vendor == "" {
			s.vendor = vendorSeverityText(f)
		}
		for _, sv := range recordSeverities(f) {
			s.add(sv)
		}
	}
	for _, s := range bySrc {
		s.best = rating(s.cvss)
	}
	// The primary source first, then GHSA, then the others by name.
	rest := slices.Clone(order[1:])
	slices.SortFunc(rest, func(a, b string) int {
		if (a == "ghsa") != (b == "ghsa") {
			if a == "ghsa" {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	order = append(order[:1], rest...)

	for _, src := range order {
		s := bySrc[src]
		if s.cvss != (model.CVSS{}) {
			if v.CVSS == nil {
				v.CVSS = map[string]model.CVSS{}
			}
			v.CVSS[src] = s.cvss
		}
		sev := s.vendor
		if sev == "" {
			sev = s.best
		}
		if sev != "" {
			if v.VendorSeverity == nil {
				v.VendorSeverity = map[string]int{}
			}
			v.VendorSeverity[src] = severityLevel(sev)
		}
	}

	for _, want := range opts.SeveritySources {
		if want == "auto" {
			break
		}
		if s, ok := bySrc[want]; ok {
			if sev := cmpOr(s.vendor, s.best); sev != "" {
				v.Severity, v.SeveritySource = sev, want
				return
			}
		}
	}
	for _, src := range order {
		if s := bySrc[src]; s.vendor != "" {
			v.Severity, v.SeveritySource = s.vendor, src
			return
		}
	}
	for _, src := range order {
		if s := bySrc[src]; s.best != "" {
			v.Severity, v.SeveritySource = s.best, src
			return
		}
	}
	v.Severity = SeverityUnknown
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// add records one OSV severity entry; the first vector of each CVSS
// version wins, and a CVSS 3.1 vector replaces a 3.0 one.
func (s *sourceScores) add(sv osv.Severity) {
	vec := strings.TrimSpace(sv.Score)
	switch strings.ToUpper(sv.Type) {
	case "CVSS_V2":
		if s.cvss.V2Vector != "" {
			return
		}
		if score, ok := ScoreV2(vec); ok {
			s.cvss.V2Vector, s.cvss.V2Score = vec, score
		}
	case "CVSS_V3":
		minor := 0
		if strings.HasPrefix(vec, "CVSS:3.1/") {
			minor = 1
		}
		if s.cvss.V3Vector != "" && minor <= s.v3minor {
			return
		}
		if score, ok := ScoreV3(vec); ok {
			s.cvss.V3Vector, s.cvss.V3Score, s.v3minor = vec, score, minor
		}
	case "CVSS_V4":
		if s.cvss.V40Vector != "" {
			return
		}
		if score, ok := ScoreV4(vec); ok {
			s.cvss.V40Vector, s.cvss.V40Score = vec, score
		}
	}
}

// rating rates the best vector held: v4, then v3 (a 3.1 vector already
// replaced a 3.0 one in add), then v2; "" when there is none.
func rating(c model.CVSS) string {
	switch {
	case c.V40Vector != "":
		return RatingV3V4(c.V40Score)
	case c.V3Vector != "":
		return RatingV3V4(c.V3Score)
	case c.V2Vector != "":
		return RatingV2(c.V2Score)
	}
	return ""
}

// RatingV3V4 is the CVSS v3.x and v4.0 qualitative rating of a score:
// 0.1–3.9 LOW, 4.0–6.9 MEDIUM, 7.0–8.9 HIGH, 9.0–10.0 CRITICAL; a score of
// 0.0 ("None") rates UNKNOWN, as Trivy has no such severity.
func RatingV3V4(score float64) string {
	switch {
	case score >= 9.0:
		return SeverityCritical
	case score >= 7.0:
		return SeverityHigh
	case score >= 4.0:
		return SeverityMedium
	case score > 0:
		return SeverityLow
	}
	return SeverityUnknown
}

// RatingV2 is the NVD rating of a CVSS v2 score: 0.0–3.9 LOW, 4.0–6.9
// MEDIUM, 7.0–10.0 HIGH.
func RatingV2(score float64) string {
	switch {
	case score >= 7.0:
		return SeverityHigh
	case score >= 4.0:
		return SeverityMedium
	}
	return SeverityLow
}

// ScoreV2 returns the base score of a CVSS v2 vector ("AV:N/AC:L/…", with
// or without a "(…)" wrapper).
func ScoreV2(vec string) (float64, bool) {
	vec = strings.TrimSuffix(strings.TrimPrefix(vec, "("), ")")
	vec = strings.TrimPrefix(vec, "CVSS:2.0/")
	c, err := cvss20.ParseVector(vec)
	if err != nil {
		return 0, false
	}
	return round1(c.BaseScore()), true
}

// ScoreV3 returns the base score of a "CVSS:3.0/…" or "CVSS:3.1/…" vector.
func ScoreV3(vec string) (float64, bool) {
	switch {
	case strings.HasPrefix(vec, "CVSS:3.1/"):
		c, err := cvss31.ParseVector(vec)
		if err != nil {
			return 0, false
		}
		return round1(c.BaseScore()), true
	case strings.HasPrefix(vec, "CVSS:3.0/"):
		c, err := cvss30.ParseVector(vec)
		if err != nil {
			return 0, false
		}
		return round1(c.BaseScore()), true
	}
	return 0, false
}

// ScoreV4 returns the score of a "CVSS:4.0/…" vector.
func ScoreV4(vec string) (float64, bool) {
	c, err := cvss40.ParseVector(vec)
	if err != nil {
		return 0, false
	}
	return round1(c.Score()), true
}

// round1 removes floating-point noise: scores have one decimal.
func round1(f float64) float64 { return math.Round(f*10) / 10 }
