package match

import (
	"testing"

	"github.com/trawlsec/trawl/internal/vulndb/osv"
)

// FuzzSeverity feeds advisory severity entries (untrusted database content)
// to the CVSS scorers and the severity mapping: they must never panic, and
// scores must stay within 0–10.
func FuzzSeverity(f *testing.F) {
	for _, s := range []string{
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
		"CVSS:3.0/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H",
		"AV:N/AC:L/Au:N/C:P/I:P/A:P",
		"CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N",
		"medium", "MODERATE", "",
	} {
		f.Add("CVSS_V3", s)
	}
	f.Fuzz(func(t *testing.T, typ, score string) {
		var s sourceScores
		s.add(osv.Severity{Type: typ, Score: score})
		for _, t2 := range []string{"CVSS_V2", "CVSS_V3", "CVSS_V4"} {
			s.add(osv.Severity{Type: t2, Score: score})
		}
		c := s.cvss
		for _, x := range []float64{c.V2Score, c.V3Score, c.V40Score} {
			if x < 0 || x > 10 {
				t.Fatalf("score %v out of range for %q", x, score)
			}
		}
		_ = rating(c)
		_ = normalizeSeverity(score)
		_ = normalizeStatus(score)
	})
}
