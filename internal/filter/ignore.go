package filter

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/package-url/packageurl-go"
	"go.yaml.in/yaml/v3"

	"github.com/trawlsec/trawl/pkg/model"
)

// ignoreEntry is one entry of an ignore file.
type ignoreEntry struct {
	ID        string
	Paths     []string       // doublestar globs; empty: everywhere
	PURLs     []*purlPattern // empty: every package
	ExpiredAt time.Time      // zero: never expires
	Statement string
	Line      int
}

type ignoreList []ignoreEntry

// match returns the first entry for id whose paths match one of paths
// (empty strings are skipped) and whose purls match pkgPURL.
func (l ignoreList) match(id string, paths []string, pkgPURL string) *ignoreEntry {
	var target *packageurl.PackageURL
	parsed := false
	for i := range l {
		e := &l[i]
		if e.ID != id || !matchPaths(e.Paths, paths) {
			continue
		}
		if len(e.PURLs) > 0 {
			if !parsed {
				target, parsed = parsePackagePURL(pkgPURL), true
			}
			if !matchAnyPURL(e.PURLs, target) {
				continue
			}
		}
		return e
	}
	return nil
}

func matchPaths(patterns, paths []string) bool {
	if len(patterns) == 0 {
		return true
	}
	for _, p := range paths {
		if p == "" {
			continue
		}
		for _, g := range patterns {
			if ok, _ := doublestar.Match(g, p); ok {
				return true
			}
		}
	}
	return false
}

func matchAnyPURL(patterns []*purlPattern, t *packageurl.PackageURL) bool {
	for _, p := range patterns {
		if p.match(t) {
			return true
		}
	}
	return false
}

// ignoreConfig is a parsed ignore file. Entries of the plain form apply to
// every finding type.
type ignoreConfig struct {
	source            string
	vulnerabilities   ignoreList
	misconfigurations ignoreList
	secrets           ignoreList
	licenses          ignoreList
	// forensics is trawl's own section (finding IDs such as
	// FOR-PERM-SETUID, with paths).
	forensics ignoreList
}

// matchVulnerability matches on the VulnerabilityID and on the result
// target or the package path, as Trivy does.
func (c *ignoreConfig) matchVulnerability(v model.Vulnerability, target string) *ignoreEntry {
	return c.vulnerabilities.match(v.VulnerabilityID, []string{target, v.PkgPath}, v.PkgIdentifier.PURL)
}

// prune drops expired entries and returns a warning for each.
func (c *ignoreConfig) prune(now time.Time) []Warning {
	var warnings []Warning
	warned := make(map[int]bool)
	prune := func(l ignoreList) ignoreList {
		var kept ignoreList
		for _, e := range l {
			if !e.ExpiredAt.IsZero() && e.ExpiredAt.Before(now) {
				if !warned[e.Line] {
					warned[e.Line] = true
					warnings = append(warnings, Warning{File: c.source, Line: e.Line,
						Message: fmt.Sprintf("entry for %s expired on %s and no longer ignores anything", e.ID, e.ExpiredAt.Format(time.DateOnly))})
				}
				continue
			}
			kept = append(kept, e)
		}
		return kept
	}
	c.vulnerabilities = prune(c.vulnerabilities)
	c.misconfigurations = prune(c.misconfigurations)
	c.secrets = prune(c.secrets)
	c.licenses = prune(c.licenses)
	c.forensics = prune(c.forensics)
	return warnings
}

// parseIgnoreText parses the plain form: one ID per line, then optionally
// exp:YYYY-MM-DD; '#' starts a comment (at line start or after a blank).
func parseIgnoreText(source string, data []byte) (*ignoreConfig, error) {
	if bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data) {
		return nil, fmt.Errorf("ignore file %s: not a text file", source)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var list ignoreList
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), len(data)+1)
	for n := 1; sc.Scan(); n++ {
		line := stripComment(sc.Text())
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		e := ignoreEntry{ID: fields[0], Line: n}
		if strings.HasPrefix(e.ID, "exp:") {
			return nil, fmt.Errorf("ignore file %s:%d: expiry %q without an ID before it", source, n, e.ID)
		}
		for _, f := range fields[1:] {
			date, ok := strings.CutPrefix(f, "exp:")
			if !ok {
				// Trivy ignores extra words; so do we.
				continue
			}
			t, err := time.Parse(time.DateOnly, date)
			if err != nil {
				return nil, fmt.Errorf("ignore file %s:%d: invalid expiry %q (want exp:YYYY-MM-DD)", source, n, f)
			}
			e.ExpiredAt = t
		}
		list = append(list, e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("ignore file %s: %w", source, err)
	}
	return &ignoreConfig{source: source, vulnerabilities: list, misconfigurations: list, secrets: list, licenses: list, forensics: list}, nil
}

func stripComment(line string) string {
	for i := 0; i < len(line); i++ {
		if line[i] == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t') {
			return line[:i]
		}
	}
	return line
}

// parseIgnoreYAML parses the YAML form (.trivyignore.yaml).
func parseIgnoreYAML(source string, data []byte) (*ignoreConfig, error) {
	cfg := &ignoreConfig{source: source}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("ignore file %s: %w", source, oneLine{err})
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return cfg, nil // empty file
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return cfg, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("ignore file %s:%d: want a mapping with vulnerabilities, misconfigurations, secrets or licenses", source, root.Line)
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, val := root.Content[i], root.Content[i+1]
		var dst *ignoreList
		switch key.Value {
		case "vulnerabilities":
			dst = &cfg.vulnerabilities
		case "misconfigurations":
			dst = &cfg.misconfigurations
		case "secrets":
			dst = &cfg.secrets
		case "licenses":
			dst = &cfg.licenses
		case "forensics":
			dst = &cfg.forensics
		default:
			return nil, fmt.Errorf("ignore file %s:%d: unknown section %q (want vulnerabilities, misconfigurations, secrets, licenses or forensics)", source, key.Line, key.Value)
		}
		l, err := parseYAMLSection(source, key.Value, val)
		if err != nil {
			return nil, err
		}
		*dst = append(*dst, l...)
	}
	return cfg, nil
}

type yamlEntry struct {
	ID        string   `yaml:"id"`
	Paths     []string `yaml:"paths"`
	PURLs     []string `yaml:"purls"`
	ExpiredAt string   `yaml:"expired_at"`
	Statement string   `yaml:"statement"`
}

func parseYAMLSection(source, section string, n *yaml.Node) (ignoreList, error) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("ignore file %s:%d: %s must be a list of entries", source, n.Line, section)
	}
	var list ignoreList
	for _, item := range n.Content {
		if item.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("ignore file %s:%d: %s entry must be a mapping with id, paths, purls, expired_at, statement", source, item.Line, section)
		}
		for i := 0; i+1 < len(item.Content); i += 2 {
			switch k := item.Content[i]; k.Value {
			case "id", "paths", "purls", "expired_at", "statement":
			default:
				// An unknown key (a typo such as "path") would silently
				// widen the entry, so it is an error.
				return nil, fmt.Errorf("ignore file %s:%d: unknown key %q in %s entry (want id, paths, purls, expired_at, statement)", source, k.Line, k.Value, section)
			}
		}
		var raw yamlEntry
		if err := item.Decode(&raw); err != nil {
			return nil, fmt.Errorf("ignore file %s:%d: %s entry: %w", source, item.Line, section, oneLine{err})
		}
		e := ignoreEntry{ID: strings.TrimSpace(raw.ID), Paths: raw.Paths, Statement: raw.Statement, Line: item.Line}
		if e.ID == "" {
			return nil, fmt.Errorf("ignore file %s:%d: %s entry without an id", source, item.Line, section)
		}
		for _, g := range raw.Paths {
			if !doublestar.ValidatePattern(g) {
				return nil, fmt.Errorf("ignore file %s:%d: %s: invalid path pattern %q", source, item.Line, e.ID, g)
			}
		}
		for _, s := range raw.PURLs {
			p, err := parsePURLPattern(s)
			if err != nil {
				return nil, fmt.Errorf("ignore file %s:%d: %s: %w", source, item.Line, e.ID, err)
			}
			e.PURLs = append(e.PURLs, p)
		}
		if raw.ExpiredAt != "" {
			t, err := parseDate(raw.ExpiredAt)
			if err != nil {
				return nil, fmt.Errorf("ignore file %s:%d: %s: invalid expired_at %q (want YYYY-MM-DD)", source, item.Line, e.ID, raw.ExpiredAt)
			}
			e.ExpiredAt = t
		}
		list = append(list, e)
	}
	return list, nil
}

// parseDate accepts YYYY-MM-DD (midnight UTC) and RFC 3339 times.
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("invalid date %q", s)
}

// oneLine wraps an error whose message spans lines (yaml.v3's TypeError)
// so that it prints on one.
type oneLine struct{ err error }

func (e oneLine) Error() string { return strings.Join(strings.Fields(e.err.Error()), " ") }
func (e oneLine) Unwrap() error { return e.err }
