package report

import (
	"strings"
	"unicode"

	"github.com/trawlsec/trawl/internal/license"
)

// normalizedLicenses normalises a package's licence strings to SPDX
// (internal/license, the same normaliser as the licence scanner), dropping
// blanks and repeats of one expression.
func normalizedLicenses(ls []string) []license.Normalized {
	var out []license.Normalized
	seen := map[string]bool{}
	for _, l := range ls {
		n := license.Normalize(l)
		if n.SPDX == "" || seen[n.SPDX] {
			continue
		}
		seen[n.SPDX] = true
		out = append(out, n)
	}
	return out
}

// licenseRef turns a free-text licence name into a LicenseRef- identifier.
func licenseRef(name string) string {
	var b strings.Builder
	for _, r := range name {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '-') {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	s := strings.Trim(b.String(), "-")
	if s == "" || len(s) > 64 {
		s = shortHash(name)
	}
	return "LicenseRef-" + s
}
