package license

import (
	"fmt"
	"slices"
	"strings"
)

// Categories, as Trivy names them (Google's licence classification).
const (
	CategoryForbidden    = "forbidden"
	CategoryRestricted   = "restricted"
	CategoryReciprocal   = "reciprocal"
	CategoryNotice       = "notice"
	CategoryPermissive   = "permissive"
	CategoryUnencumbered = "unencumbered"
	CategoryUnknown      = "unknown"
)

// Categories lists the categories, most severe first; unknown is last.
var Categories = []string{CategoryForbidden, CategoryRestricted, CategoryReciprocal,
	CategoryNotice, CategoryPermissive, CategoryUnencumbered, CategoryUnknown}

// Severity returns a category's severity, as Trivy's: forbidden CRITICAL,
// restricted HIGH, reciprocal MEDIUM, notice/permissive/unencumbered LOW,
// anything else UNKNOWN.
func Severity(category string) string {
	switch category {
	case CategoryForbidden:
		return "CRITICAL"
	case CategoryRestricted:
		return "HIGH"
	case CategoryReciprocal:
		return "MEDIUM"
	case CategoryNotice, CategoryPermissive, CategoryUnencumbered:
		return "LOW"
	}
	return "UNKNOWN"
}

func rank(category string) int {
	switch Severity(category) {
	case "CRITICAL":
		return 4
	case "HIGH":
		return 3
	case "MEDIUM":
		return 2
	case "LOW":
		return 1
	}
	return 0
}

// DefaultCategories are Trivy's default licence lists per category (from
// Google's licenseclassifier). GNU licences are listed without "-only" or
// "-or-later": a licence matches its entry with or without the suffix.
func DefaultCategories() map[string][]string {
	return map[string][]string{
		CategoryForbidden: {
			"AGPL-1.0", "AGPL-3.0",
			"CC-BY-NC-1.0", "CC-BY-NC-2.0", "CC-BY-NC-2.5", "CC-BY-NC-3.0", "CC-BY-NC-4.0",
			"CC-BY-NC-ND-1.0", "CC-BY-NC-ND-2.0", "CC-BY-NC-ND-2.5", "CC-BY-NC-ND-3.0", "CC-BY-NC-ND-4.0",
			"CC-BY-NC-SA-1.0", "CC-BY-NC-SA-2.0", "CC-BY-NC-SA-2.5", "CC-BY-NC-SA-3.0", "CC-BY-NC-SA-4.0",
			"Commons-Clause", "Facebook-2-Clause", "Facebook-3-Clause", "Facebook-Examples", "WTFPL",
		},
		CategoryRestricted: {
			"BCL",
			"CC-BY-ND-1.0", "CC-BY-ND-2.0", "CC-BY-ND-2.5", "CC-BY-ND-3.0", "CC-BY-ND-4.0",
			"CC-BY-SA-1.0", "CC-BY-SA-2.0", "CC-BY-SA-2.5", "CC-BY-SA-3.0", "CC-BY-SA-4.0",
			"GPL-1.0", "GPL-2.0", "GPL-2.0-with-autoconf-exception", "GPL-2.0-with-bison-exception",
			"GPL-2.0-with-classpath-exception", "GPL-2.0-with-font-exception", "GPL-2.0-with-GCC-exception",
			"GPL-3.0", "GPL-3.0-with-autoconf-exception", "GPL-3.0-with-GCC-exception",
			"LGPL-2.0", "LGPL-2.1", "LGPL-3.0", "NPL-1.0", "NPL-1.1",
			"OSL-1.0", "OSL-1.1", "OSL-2.0", "OSL-2.1", "OSL-3.0", "QPL-1.0", "Sleepycat",
		},
		CategoryReciprocal: {
			"APSL-1.0", "APSL-1.1", "APSL-1.2", "APSL-2.0", "CDDL-1.0", "CDDL-1.1", "CPL-1.0",
			"EPL-1.0", "EPL-2.0", "FreeImage", "IPL-1.0", "MPL-1.0", "MPL-1.1", "MPL-2.0", "Ruby",
		},
		CategoryNotice: {
			"AFL-1.1", "AFL-1.2", "AFL-2.0", "AFL-2.1", "AFL-3.0", "Apache-1.0", "Apache-1.1", "Apache-2.0",
			"Artistic-1.0-cl8", "Artistic-1.0-Perl", "Artistic-1.0", "Artistic-2.0", "BSL-1.0",
			"BSD-1-Clause", "BSD-2-Clause-FreeBSD", "BSD-2-Clause-NetBSD", "BSD-2-Clause",
			"BSD-3-Clause-Attribution", "BSD-3-Clause-Clear", "BSD-3-Clause-LBNL", "BSD-3-Clause",
			"BSD-4-Clause", "BSD-4-Clause-UC", "BSD-Protection",
			"CC-BY-1.0", "CC-BY-2.0", "CC-BY-2.5", "CC-BY-3.0", "CC-BY-4.0",
			"FTL", "ISC", "ImageMagick", "Libpng", "Lil-1.0", "Linux-OpenIB", "LPL-1.02", "LPL-1.0",
			"MS-PL", "MIT", "NCSA", "OpenSSL", "PHP-3.01", "PHP-3.0", "PIL", "Python-2.0",
			"Python-2.0-complete", "PostgreSQL", "SGI-B-1.0", "SGI-B-1.1", "SGI-B-2.0",
			"Unicode-DFS-2015", "Unicode-DFS-2016", "Unicode-TOU", "UPL-1.0",
			"W3C-19980720", "W3C-20150513", "W3C", "X11", "Xnet", "Zend-2.0",
			"zlib-acknowledgement", "Zlib", "ZPL-1.1", "ZPL-2.0", "ZPL-2.1",
		},
		CategoryPermissive:   {},
		CategoryUnencumbered: {"CC0-1.0", "Unlicense", "0BSD"},
	}
}

// Classifier sorts licences into categories.
type Classifier struct {
	// byName maps a licence name, lower case, to its category.
	byName map[string]string
}

// NewClassifier returns a classifier with the default lists, each category
// named in overrides replacing its default list (trawl.yaml's license:
// section, as Trivy's). A licence in an overriding list and in a default
// one takes the overriding list's category; in two lists of one kind, the
// more severe.
func NewClassifier(overrides map[string][]string) (*Classifier, error) {
	lists := DefaultCategories()
	for cat := range overrides {
		if cat == CategoryUnknown || !slices.Contains(Categories, cat) {
			return nil, fmt.Errorf("license: %q is not a category (%s)", cat, strings.Join(Categories[:len(Categories)-1], ", "))
		}
	}
	c := &Classifier{byName: map[string]string{}}
	for _, user := range []bool{true, false} {
		for _, cat := range Categories[:len(Categories)-1] {
			names, overridden := overrides[cat]
			if overridden != user {
				continue
			}
			if !user {
				names = lists[cat]
			}
			for _, name := range names {
				for _, k := range keys(name) {
					if _, ok := c.byName[k]; !ok {
						c.byName[k] = cat
					}
				}
			}
		}
	}
	return c, nil
}

// keys are the names a list entry matches: as written, and normalised
// (GPL-2 is GPL-2.0-only), each also without -only/-or-later/+.
func keys(name string) []string {
	var out []string
	add := func(s string) {
		s = strings.ToLower(strings.TrimSpace(s))
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	add(name)
	if n := Normalize(name); n.Known && n.Expr.Op == "" {
		add(n.SPDX)
		add(baseID(n.Expr.ID))
	}
	return out
}

// baseID is a licence identifier without its -only, -or-later or + suffix.
func baseID(id string) string {
	for _, s := range []string{"-only", "-or-later", "+"} {
		if b, ok := strings.CutSuffix(id, s); ok {
			return b
		}
	}
	return id
}

// Classify returns the category of a normalised licence. An AND takes the
// most severe category of its sides, an OR the least; a side of unknown
// category makes the whole unknown (Trivy's rules).
func (c *Classifier) Classify(n Normalized) string {
	if !n.Known {
		return c.lookup(n.SPDX)
	}
	return c.classify(n.Expr)
}

func (c *Classifier) classify(e *Expr) string {
	if e.Op == "" {
		if e.Exception != "" {
			if cat := c.lookup(e.ID + " WITH " + e.Exception); cat != CategoryUnknown {
				return cat
			}
		}
		if cat := c.lookup(e.ID); cat != CategoryUnknown {
			return cat
		}
		return c.lookup(baseID(e.ID))
	}
	l, r := c.classify(e.Left), c.classify(e.Right)
	if l == CategoryUnknown || r == CategoryUnknown {
		return CategoryUnknown
	}
	if (e.Op == "AND") == (rank(r) > rank(l)) {
		return r
	}
	return l
}

func (c *Classifier) lookup(name string) string {
	if cat, ok := c.byName[strings.ToLower(name)]; ok {
		return cat
	}
	return CategoryUnknown
}

// NameSet is a list of licence names (--ignored-licenses) matched as the
// category lists are: as written, or normalised, with or without
// -only/-or-later.
type NameSet map[string]bool

// NewNameSet returns the set of names.
func NewNameSet(names []string) NameSet {
	s := NameSet{}
	for _, n := range names {
		for _, k := range keys(n) {
			s[k] = true
		}
	}
	return s
}

// Contains reports whether the licence is in the set: its raw string, its
// SPDX expression, or — for a single licence — its identifier with or
// without its suffix.
func (s NameSet) Contains(n Normalized) bool {
	cands := []string{n.Raw, n.SPDX}
	if n.Known && n.Expr.Op == "" && n.Expr.Exception == "" {
		cands = append(cands, n.Expr.ID, baseID(n.Expr.ID))
	}
	for _, c := range cands {
		if s[strings.ToLower(strings.TrimSpace(c))] {
			return true
		}
	}
	return false
}
