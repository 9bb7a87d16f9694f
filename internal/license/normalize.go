// Package license turns the licence strings packages carry (Debian
// copyright files, rpm and apk metadata, package.json, PyPI…) into SPDX
// licence expressions, and sorts licences into Trivy's categories
// (forbidden, restricted, reciprocal, notice, permissive, unencumbered,
// unknown) with their severities.
//
// SPDX identifiers and exceptions are looked up in the SPDX licence list of
// github.com/github/go-spdx, which also validates every expression this
// package calls known. What the list does not spell — Debian's "GPL-2+",
// rpm's "ASL 2.0", "MIT/X11" — is the alias table (aliases.go).
package license

import (
	"regexp"
	"strings"

	"github.com/github/go-spdx/v2/spdxexp"
	"github.com/github/go-spdx/v2/spdxexp/spdxlicenses"
)

// Normalized is a raw licence string and its SPDX expression.
type Normalized struct {
	// Raw is the string as the package wrote it.
	Raw string
	// SPDX is the SPDX licence expression, or Raw (trimmed) when Known is
	// false.
	SPDX string
	// Known reports whether every licence and exception of the string has
	// an SPDX identifier (or is a LicenseRef-).
	Known bool
	// Expr is the parsed expression; nil when Known is false.
	Expr *Expr
}

// Expr is a parsed licence expression: a licence (Op "") with an optional
// exception, or two expressions joined by AND or OR.
type Expr struct {
	Op          string // "", "AND" or "OR"
	Left, Right *Expr
	// ID is the SPDX licence identifier, "-or-later"/"+" included.
	ID string
	// Exception is the SPDX exception of "ID WITH Exception".
	Exception string
}

// String writes the expression in SPDX syntax: an OR inside an AND is
// parenthesised, chains of one operator are not.
func (e *Expr) String() string {
	if e.Op == "" {
		if e.Exception != "" {
			return e.ID + " WITH " + e.Exception
		}
		return e.ID
	}
	side := func(c *Expr) string {
		if c.Op == "OR" && e.Op == "AND" {
			return "(" + c.String() + ")"
		}
		return c.String()
	}
	return side(e.Left) + " " + e.Op + " " + side(e.Right)
}

// Licenses returns the licences of the expression, left to right.
func (e *Expr) Licenses() []*Expr {
	if e.Op == "" {
		return []*Expr{e}
	}
	return append(e.Left.Licenses(), e.Right.Licenses()...)
}

// maxRaw bounds the strings parsed; longer ones are kept as unknown.
const maxRaw = 4096

// Normalize returns the SPDX expression of a raw licence string. A string
// with a licence or exception the alias table and the SPDX list do not
// know is kept verbatim, with Known false.
func Normalize(raw string) Normalized {
	n := Normalized{Raw: raw, SPDX: strings.TrimSpace(raw)}
	if n.SPDX == "" || len(n.SPDX) > maxRaw {
		return n
	}
	var e *Expr
	if alias, ok := aliasExpr[key(n.SPDX)]; ok {
		e = mustParse(alias)
	} else {
		e = parse(n.SPDX)
	}
	if e == nil {
		return n
	}
	s := e.String()
	// The SPDX library is the arbiter: what it cannot read is not SPDX.
	if ok, _ := spdxexp.ValidateLicenses([]string{s}); !ok {
		return n
	}
	n.SPDX, n.Known, n.Expr = s, true, e
	return n
}

// key is the alias table's key: lower case, blanks collapsed.
func key(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// mustParse parses an alias target, which is SPDX already (a test checks
// every one).
func mustParse(s string) *Expr { return parse(s) }

// Token kinds.
const (
	tokWord = iota
	tokAnd
	tokOr
	tokWith
	tokOpen
	tokClose
	tokComma
)

type token struct {
	kind int
	text string
}

func tokenize(s string) []token {
	var toks []token
	word := func(w string) {
		switch strings.ToLower(w) {
		case "and", "&", "&&":
			toks = append(toks, token{kind: tokAnd})
		case "or", "and/or", "|", "||":
			toks = append(toks, token{kind: tokOr})
		case "with":
			toks = append(toks, token{kind: tokWith})
		default:
			toks = append(toks, token{kind: tokWord, text: w})
		}
	}
	start := -1
	flush := func(i int) {
		if start >= 0 {
			word(s[start:i])
			start = -1
		}
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '(', ')', ',':
			flush(i)
			toks = append(toks, token{kind: map[byte]int{'(': tokOpen, ')': tokClose, ',': tokComma}[c]})
		case ' ', '\t', '\n', '\r':
			flush(i)
		default:
			if start < 0 {
				start = i
			}
		}
	}
	flush(len(s))
	return toks
}

// parser reads the grammar, loosest first:
//
//	list := expr { "," [AND|OR] expr }   (DEP-5: a comma binds loosest; alone it is AND)
//	expr := and { OR and }
//	and  := with { AND with }
//	with := primary [ WITH words ]
//	primary := "(" list ")" | words
type parser struct {
	toks []token
	pos  int
	ok   bool
}

func parse(s string) *Expr {
	p := &parser{toks: tokenize(s), ok: true}
	e := p.list()
	if !p.ok || p.pos != len(p.toks) || e == nil {
		return nil
	}
	return e
}

func (p *parser) peek() int {
	if p.pos < len(p.toks) {
		return p.toks[p.pos].kind
	}
	return -1
}

func (p *parser) list() *Expr {
	e := p.expr()
	for p.ok && p.peek() == tokComma {
		p.pos++
		op := "AND"
		switch p.peek() {
		case tokAnd:
			p.pos++
		case tokOr:
			p.pos++
			op = "OR"
		}
		e = join(op, e, p.expr())
	}
	return e
}

func (p *parser) expr() *Expr {
	e := p.and()
	for p.ok && p.peek() == tokOr {
		p.pos++
		e = join("OR", e, p.and())
	}
	return e
}

func (p *parser) and() *Expr {
	e := p.with()
	for p.ok && p.peek() == tokAnd {
		p.pos++
		e = join("AND", e, p.with())
	}
	return e
}

func (p *parser) with() *Expr {
	e := p.primary()
	if !p.ok || p.peek() != tokWith {
		return e
	}
	p.pos++
	words := p.words()
	if e == nil || e.Op != "" || e.Exception != "" || words == "" {
		p.ok = false
		return nil
	}
	exc, ok := normException(words, e.ID)
	if !ok {
		p.ok = false
		return nil
	}
	e.Exception = exc
	return e
}

func (p *parser) primary() *Expr {
	if p.peek() == tokOpen {
		p.pos++
		e := p.list()
		if p.peek() != tokClose {
			p.ok = false
			return nil
		}
		p.pos++
		return e
	}
	words := p.words()
	if words == "" {
		p.ok = false
		return nil
	}
	e, ok := normTerm(words)
	if !ok {
		p.ok = false
		return nil
	}
	return e
}

// words joins the words up to the next operator, parenthesis or comma.
func (p *parser) words() string {
	var ws []string
	for p.peek() == tokWord {
		ws = append(ws, p.toks[p.pos].text)
		p.pos++
	}
	return strings.Join(ws, " ")
}

func join(op string, l, r *Expr) *Expr {
	if l == nil || r == nil {
		return nil
	}
	return &Expr{Op: op, Left: l, Right: r}
}

// gnuRe matches the GNU licences with a version: GPL-2, GPLv2+, LGPL-2.1+,
// GPL-2.0-only, AGPL-3.0-or-later, GFDL-1.3…
var gnuRe = regexp.MustCompile(`(?i)^(a?gpl|lgpl|gfdl)[- ]?v?([0-9]+(?:\.[0-9]+)?)(\+)?(-only|-or-later)?$`)

// suffixedExceptionRe matches Debian's one-word forms of a licence with an
// exception: GPL-2+-autoconf-exception, GPL-3+-WITH-BISON-EXCEPTION.
var suffixedExceptionRe = regexp.MustCompile(`(?i)^(.+?\+?)-(?:with-)?([a-z0-9.]+)-exception$`)

// normTerm normalises one licence term: a licence, or a licence written
// with its exception in one word.
func normTerm(term string) (*Expr, bool) {
	if alias, ok := aliasExpr[key(term)]; ok {
		e := parse(alias)
		return e, e != nil
	}
	if id, ok := normLicense(term); ok {
		return &Expr{ID: id}, true
	}
	if m := suffixedExceptionRe.FindStringSubmatch(term); m != nil {
		if id, ok := normLicense(m[1]); ok {
			if exc, ok := normException(m[2], id); ok {
				return &Expr{ID: id, Exception: exc}, true
			}
		}
	}
	return nil, false
}

// normLicense returns the SPDX identifier of one licence name.
func normLicense(s string) (string, bool) {
	if id, ok := aliasLicense[key(s)]; ok {
		return id, true
	}
	if m := gnuRe.FindStringSubmatch(s); m != nil {
		v := m[2]
		if !strings.Contains(v, ".") {
			v += ".0"
		}
		id := strings.ToUpper(m[1]) + "-" + v
		if ok, _ := spdxlicenses.IsDeprecatedLicense(id); !ok {
			if ok, _ := spdxlicenses.IsActiveLicense(id + "-only"); !ok {
				return "", false // GPL-7 and the like
			}
		}
		if m[3] == "+" || strings.EqualFold(m[4], "-or-later") {
			return id + "-or-later", true
		}
		return id + "-only", true
	}
	if strings.HasPrefix(s, "LicenseRef-") || strings.HasPrefix(s, "DocumentRef-") {
		return s, licenseRefRe.MatchString(s)
	}
	if ok, id := spdxlicenses.IsActiveLicense(s); ok {
		return id, true
	}
	if ok, id := spdxlicenses.IsDeprecatedLicense(s); ok {
		return id, true
	}
	if base, ok := strings.CutSuffix(s, "+"); ok && base != "" && !strings.HasSuffix(base, "+") {
		if id, ok := normLicense(base); ok && !strings.HasSuffix(id, "-only") && !strings.HasSuffix(id, "-or-later") {
			return id + "+", true
		}
	}
	// Apache-2, MPL-2, BSL-1: the version without its ".0".
	if i := strings.LastIndexByte(s, '-'); i > 0 && isDigits(s[i+1:]) {
		if ok, id := spdxlicenses.IsActiveLicense(s + ".0"); ok {
			return id, true
		}
	}
	return "", false
}

var licenseRefRe = regexp.MustCompile(`^(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$`)

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// normException returns the SPDX exception of the words after WITH
// ("Autoconf exception", "Linux-syscall-note", "Bison-2.2 exception"),
// which may depend on the licence (the GPL-2 and GPL-3 Autoconf exceptions
// differ).
func normException(words, licenseID string) (string, bool) {
	w := strings.TrimSpace(words)
	if base, ok := cutSuffixFold(w, " exception"); ok {
		w = base
	}
	if ok, id := spdxlicenses.IsException(w); ok {
		return id, true
	}
	if ok, id := spdxlicenses.IsException(w + "-exception"); ok {
		return id, true
	}
	a, ok := aliasException[strings.ToLower(w)]
	if !ok {
		return "", false
	}
	if strings.Contains(licenseID, "-3.0") && a.gpl3 != "" {
		return a.gpl3, true
	}
	return a.id, true
}

func cutSuffixFold(s, suffix string) (string, bool) {
	if len(s) > len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix) {
		return s[:len(s)-len(suffix)], true
	}
	return s, false
}

// ListedID returns the SPDX licence list identifier when the normalised
// licence is exactly one listed licence: no operator, no exception, no
// "+", no LicenseRef- (CycloneDX's license.id takes only those).
func (n Normalized) ListedID() (string, bool) {
	if !n.Known || n.Expr == nil || n.Expr.Op != "" || n.Expr.Exception != "" {
		return "", false
	}
	if ok, id := spdxlicenses.IsActiveLicense(n.Expr.ID); ok && id == n.Expr.ID {
		return id, true
	}
	if ok, id := spdxlicenses.IsDeprecatedLicense(n.Expr.ID); ok && id == n.Expr.ID {
		return id, true
	}
	return "", false
}
