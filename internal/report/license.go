package report

import (
	"strings"
	"unicode"
)

// normalizeLicense maps common non-SPDX spellings (Debian copyright files,
// package metadata) to SPDX identifiers and returns s unchanged otherwise.
func normalizeLicense(s string) string {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "gpl-2", "gpl2", "gplv2", "gpl-2.0":
		return "GPL-2.0-only"
	case "gpl-2+", "gpl-2.0+", "gplv2+":
		return "GPL-2.0-or-later"
	case "gpl-3", "gpl3", "gplv3", "gpl-3.0":
		return "GPL-3.0-only"
	case "gpl-3+", "gpl-3.0+", "gplv3+":
		return "GPL-3.0-or-later"
	case "lgpl-2", "lgpl-2.0":
		return "LGPL-2.0-only"
	case "lgpl-2+", "lgpl-2.0+":
		return "LGPL-2.0-or-later"
	case "lgpl-2.1", "lgplv2.1":
		return "LGPL-2.1-only"
	case "lgpl-2.1+", "lgplv2.1+":
		return "LGPL-2.1-or-later"
	case "lgpl-3", "lgpl-3.0":
		return "LGPL-3.0-only"
	case "lgpl-3+", "lgpl-3.0+":
		return "LGPL-3.0-or-later"
	case "apache-2", "apache 2.0", "apache-2.0", "apache2", "apache license 2.0", "apache license, version 2.0":
		return "Apache-2.0"
	case "mit", "mit license", "expat":
		return "MIT"
	case "bsd-2-clause", "bsd 2-clause":
		return "BSD-2-Clause"
	case "bsd-3-clause", "bsd 3-clause", "new bsd", "bsd-3":
		return "BSD-3-Clause"
	case "isc":
		return "ISC"
	case "zlib":
		return "Zlib"
	case "mpl-2.0", "mpl 2.0":
		return "MPL-2.0"
	case "public-domain", "public domain":
		return "LicenseRef-public-domain"
	}
	return s
}

// knownLicenseID reports whether id is an SPDX license identifier trawl
// knows (the common ones; anything else becomes a named licence or a
// LicenseRef).
func knownLicenseID(id string) bool {
	switch id {
	case "0BSD", "AFL-2.1", "AFL-3.0", "AGPL-3.0-only", "AGPL-3.0-or-later", "Apache-1.1", "Apache-2.0",
		"Artistic-1.0", "Artistic-1.0-Perl", "Artistic-2.0", "BlueOak-1.0.0", "BSD-1-Clause", "BSD-2-Clause",
		"BSD-3-Clause", "BSD-4-Clause", "BSL-1.0", "bzip2-1.0.6", "CC-BY-3.0", "CC-BY-4.0", "CC-BY-SA-4.0",
		"CC0-1.0", "CDDL-1.0", "CDDL-1.1", "curl", "EPL-1.0", "EPL-2.0", "EUPL-1.2", "FSFAP", "FTL",
		"GFDL-1.2-or-later", "GFDL-1.3-only", "GFDL-1.3-or-later", "GPL-1.0-or-later", "GPL-2.0-only",
		"GPL-2.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later", "HPND", "ICU", "IJG", "ISC", "LGPL-2.0-only",
		"LGPL-2.0-or-later", "LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0-only", "LGPL-3.0-or-later",
		"Libpng", "libtiff", "MIT", "MIT-0", "MPL-1.1", "MPL-2.0", "MS-PL", "NCSA", "OFL-1.1", "OpenSSL",
		"PHP-3.01", "PostgreSQL", "PSF-2.0", "Python-2.0", "Ruby", "Sleepycat", "Unicode-DFS-2016",
		"Unicode-3.0", "Unlicense", "UPL-1.0", "Vim", "W3C", "WTFPL", "X11", "Zlib", "ZPL-2.1",
		"GPL-2.0", "GPL-3.0", "LGPL-2.1", "LGPL-3.0", "AGPL-3.0", "GPL-2.0+", "GPL-3.0+", "LGPL-2.1+":
		return true
	}
	return false
}

// licenseExceptionID reports whether id is a common SPDX licence exception.
func licenseExceptionID(id string) bool {
	switch id {
	case "Classpath-exception-2.0", "GCC-exception-3.1", "LLVM-exception", "Autoconf-exception-3.0",
		"Bison-exception-2.2", "OpenSSL-exception", "Font-exception-2.0", "GCC-exception-2.0":
		return true
	}
	return false
}

// isLicenseRef reports whether id is a LicenseRef- / DocumentRef- identifier.
func isLicenseRef(id string) bool {
	if !strings.HasPrefix(id, "LicenseRef-") && !strings.HasPrefix(id, "DocumentRef-") {
		return false
	}
	for _, r := range id {
		if !(r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '-' || r == ':')) {
			return false
		}
	}
	return true
}

// compoundLicense reports whether s is a valid SPDX licence expression with
// at least one operator (AND, OR, WITH) over known identifiers.
func compoundLicense(s string) bool {
	toks := licenseTokens(s)
	if len(toks) < 3 {
		return false
	}
	p := &licenseParser{toks: toks}
	return p.expr() && p.pos == len(toks)
}

// simpleLicense reports whether s is a single known SPDX identifier or a
// LicenseRef.
func simpleLicense(s string) bool {
	return knownLicenseID(s) || isLicenseRef(s)
}

func licenseTokens(s string) []string {
	var toks []string
	cur := strings.Builder{}
	flush := func() {
		if cur.Len() > 0 {
			toks = append(toks, cur.String())
			cur.Reset()
		}
	}
	for _, r := range s {
		switch {
		case r == '(' || r == ')':
			flush()
			toks = append(toks, string(r))
		case unicode.IsSpace(r):
			flush()
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return toks
}

// licenseParser is a recursive-descent parser of SPDX expressions:
//
//	expr := term { ("AND" | "OR") term }
//	term := "(" expr ")" | id [ "WITH" exception ]
type licenseParser struct {
	toks []string
	pos  int
}

func (p *licenseParser) next() string {
	if p.pos >= len(p.toks) {
		return ""
	}
	t := p.toks[p.pos]
	p.pos++
	return t
}

func (p *licenseParser) peek() string {
	if p.pos >= len(p.toks) {
		return ""
	}
	return p.toks[p.pos]
}

func (p *licenseParser) expr() bool {
	if !p.term() {
		return false
	}
	for p.peek() == "AND" || p.peek() == "OR" {
		p.next()
		if !p.term() {
			return false
		}
	}
	return true
}

func (p *licenseParser) term() bool {
	t := p.next()
	if t == "(" {
		if !p.expr() {
			return false
		}
		return p.next() == ")"
	}
	if !simpleLicense(t) {
		return false
	}
	if p.peek() == "WITH" {
		p.next()
		return licenseExceptionID(p.next())
	}
	return true
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
	if s == "" {
		s = shortHash(name)
	}
	return "LicenseRef-" + s
}

// parenthesize wraps a compound expression in parentheses unless one pair
// already encloses all of it.
func parenthesize(expr string) string {
	expr = strings.TrimSpace(expr)
	if strings.HasPrefix(expr, "(") && strings.HasSuffix(expr, ")") {
		depth := 0
		enclosed := true
		for i, r := range expr {
			switch r {
			case '(':
				depth++
			case ')':
				depth--
			}
			if depth == 0 && i < len(expr)-1 {
				enclosed = false
				break
			}
		}
		if enclosed {
			return expr
		}
	}
	return "(" + expr + ")"
}
