package secret

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Severities a rule may carry (Trivy's names).
const (
	SeverityUnknown  = "UNKNOWN"
	SeverityLow      = "LOW"
	SeverityMedium   = "MEDIUM"
	SeverityHigh     = "HIGH"
	SeverityCritical = "CRITICAL"
)

func severityRank(s string) int {
	switch s {
	case SeverityCritical:
		return 4
	case SeverityHigh:
		return 3
	case SeverityMedium:
		return 2
	case SeverityLow:
		return 1
	}
	return 0
}

func validSeverity(s string) bool {
	return s == SeverityUnknown || severityRank(s) > 0
}

// Rule is one compiled secret rule.
type Rule struct {
	ID       string
	Category string
	Title    string
	Severity string
	// Regex finds the secret (RE2).
	Regex *regexp.Regexp
	// SecretGroupName names the capture group holding the secret (only it
	// is censored); the whole match is the secret when it is empty.
	SecretGroupName string
	// Keywords gate the rule: it only runs on files containing at least one
	// of them (ASCII case-insensitively). No keywords: it runs on every file.
	Keywords []string
	// Path limits the rule to files whose path matches.
	Path *regexp.Regexp
	// AllowRules suppress this rule's findings.
	AllowRules []AllowRule
	// ExcludeBlock suppresses this rule's findings inside matching blocks.
	ExcludeBlock ExcludeBlock

	// lineLocal rules (built-ins only) never match across lines and always
	// contain one of their keywords, so the regexp runs only on the lines
	// where a keyword occurs.
	lineLocal bool
	// span bounds the length of any match of a line-local rule (0: no
	// useful bound). The regexp then runs on a window of span bytes on
	// each side of the keyword, clipped to its line: a match is at most
	// span long and contains a keyword, so it lies in that window, and any
	// match touching a window edge inside a line would be longer than span,
	// so the edges cannot create matches the line would not have.
	span int
	// need is a literal every match contains (built-ins only): a window
	// without it is not searched.
	need []byte
	// valid is a quality filter on the secret (built-ins only).
	valid func(match, secret []byte) bool
	// caseSensitive rules (built-ins without (?i)) need a keyword in the
	// exact case written; the prefilter itself is case-insensitive.
	caseSensitive bool
	// generic rules (built-ins only) lose to any specific rule in dedup.
	generic bool
	// builtin rules pass their secrets through keep (placeholder.go):
	// prefix is the length of the format prefix of every secret ("ghp_"),
	// minEntropy (free-form rules only) the least Shannon entropy, in bits
	// per byte, of the secret after that prefix.
	builtin    bool
	prefix     int
	minEntropy float64
	group      int // index of SecretGroupName in Regex, 0 = whole match
}

// AllowRule suppresses findings: Regex is matched against the secret and the
// whole match, Path against the file path. A rule with both needs both.
type AllowRule struct {
	ID          string
	Description string
	Regex       *regexp.Regexp
	Path        *regexp.Regexp

	fast *pathMatcher // built-in path-only rules: matched without regexp
}

// ExcludeBlock drops findings that fall inside any block its regexes match.
type ExcludeBlock struct {
	Description string
	Regexes     []*regexp.Regexp
}

func (a *AllowRule) matchPath(path string) bool {
	if a.Regex != nil {
		return false // needs a match too; see allowsMatch
	}
	if a.fast != nil {
		return a.fast.match(path)
	}
	return a.Path != nil && a.Path.MatchString(path)
}

func (a *AllowRule) allowsMatch(path string, texts ...[]byte) bool {
	if a.Regex == nil {
		return false
	}
	if a.Path != nil && !a.Path.MatchString(path) {
		return false
	}
	for _, t := range texts {
		if a.Regex.Match(t) {
			return true
		}
	}
	return false
}

func (r *Rule) resolveGroup() error {
	r.group = 0
	if r.SecretGroupName == "" {
		return nil
	}
	i := r.Regex.SubexpIndex(r.SecretGroupName)
	if i < 0 {
		return fmt.Errorf("rule %q: regex has no group named %q", r.ID, r.SecretGroupName)
	}
	r.group = i
	return nil
}

// pathMatcher matches slash-separated paths without regexps: by prefix, by
// suffix, by a directory component or by a substring. Paths are compared
// without a leading "/" or "./".
type pathMatcher struct {
	prefixes []string
	suffixes []string
	dirs     []string // a directory component equal to one of these
	contains []string
	names    []nameMatch     // the file name has this prefix and suffix
	dirSet   map[string]bool // dirs as a set, when built with index
	// byExt holds the suffixes by the file extension they end with, when
	// built with index, so a path is compared with its own few only.
	byExt map[string][]string
}

// nameMatch matches a file name (the last path component) by its prefix
// and suffix, as the glob "prefix*suffix" does.
type nameMatch struct{ prefix, suffix string }

// index builds dirSet for matchers with many directory names.
func (m *pathMatcher) index() {
	m.dirSet = make(map[string]bool, len(m.dirs))
	for _, d := range m.dirs {
		m.dirSet[d] = true
	}
	m.byExt = map[string][]string{}
	for _, s := range m.suffixes {
		e := ext(s)
		m.byExt[e] = append(m.byExt[e], s)
	}
}

// ext is what follows the last '.' of a path's last component ("" if none).
func ext(p string) string {
	i := strings.LastIndexByte(p, '.')
	if i < 0 || strings.IndexByte(p[i:], '/') >= 0 {
		return ""
	}
	return p[i+1:]
}

func (m *pathMatcher) isDir(comp string) bool {
	if m.dirSet != nil {
		return m.dirSet[comp]
	}
	return slices.Contains(m.dirs, comp)
}

func trimPath(p string) string {
	p = strings.TrimPrefix(p, "./")
	return strings.TrimLeft(p, "/")
}

func (m *pathMatcher) match(p string) bool {
	p = trimPath(p)
	for _, s := range m.prefixes {
		if strings.HasPrefix(p, s) {
			return true
		}
	}
	suffixes := m.suffixes
	if m.byExt != nil {
		suffixes = m.byExt[ext(p)]
	}
	for _, s := range suffixes {
		if strings.HasSuffix(p, s) {
			return true
		}
	}
	for _, s := range m.contains {
		if strings.Contains(p, s) {
			return true
		}
	}
	if len(m.names) > 0 {
		base := p[strings.LastIndexByte(p, '/')+1:]
		for _, n := range m.names {
			if len(base) >= len(n.prefix)+len(n.suffix) && strings.HasPrefix(base, n.prefix) && strings.HasSuffix(base, n.suffix) {
				return true
			}
		}
	}
	if len(m.dirs) > 0 {
		// Every component but the last (the file name).
		rest := p
		for {
			i := strings.IndexByte(rest, '/')
			if i < 0 {
				break
			}
			if m.isDir(rest[:i]) {
				return true
			}
			rest = rest[i+1:]
		}
	}
	return false
}
