package secret

import (
	"fmt"
	"path"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// DefaultSkipPatterns returns the paths never scanned unless the config sets
// skip-patterns (Trivy's 23 defaults).
func DefaultSkipPatterns() []string {
	return []string{
		"**/.git/**", "**/node_modules/**",
		"**/go.mod", "**/go.sum",
		"**/package-lock.json", "**/yarn.lock", "**/pnpm-lock.yaml", "**/Pipfile.lock", "**/Gemfile.lock",
		"**/*.jpg", "**/*.png", "**/*.gif", "**/*.doc", "**/*.pdf", "**/*.bin", "**/*.svg",
		"**/*.socket", "**/*.deb", "**/*.rpm", "**/*.zip", "**/*.gz", "**/*.gzip", "**/*.tar",
	}
}

// skipSet matches paths against skip patterns. The common shapes
// ("**/dir/**", "**/name", "**/*.ext") are precomputed into string
// comparisons; any other glob falls back to doublestar.
type skipSet struct {
	dirs     map[string]bool // "**/dir/**"
	bases    map[string]bool // "**/name"
	suffixes []string        // "**/*.ext"
	globs    []string
}

func isLiteral(s string) bool { return !strings.ContainsAny(s, `*?[]{}\`) }

func newSkipSet(patterns []string) (*skipSet, error) {
	s := &skipSet{dirs: map[string]bool{}, bases: map[string]bool{}}
	for _, p := range patterns {
		p = strings.TrimPrefix(p, "/")
		if !doublestar.ValidatePattern(p) {
			return nil, fmt.Errorf("invalid skip pattern %q", p)
		}
		switch {
		case strings.HasPrefix(p, "**/") && strings.HasSuffix(p, "/**") && len(p) > 6 && isLiteral(p[3:len(p)-3]) && !strings.Contains(p[3:len(p)-3], "/"):
			s.dirs[p[3:len(p)-3]] = true
		case strings.HasPrefix(p, "**/*.") && isLiteral(p[4:]) && !strings.Contains(p[4:], "/"):
			s.suffixes = append(s.suffixes, p[4:])
		case strings.HasPrefix(p, "**/") && isLiteral(p[3:]) && !strings.Contains(p[3:], "/"):
			s.bases[p[3:]] = true
		default:
			s.globs = append(s.globs, p)
		}
	}
	return s, nil
}

func (s *skipSet) match(p string) bool {
	p = trimPath(p)
	base := path.Base(p)
	if s.bases[base] {
		return true
	}
	for _, suf := range s.suffixes {
		if strings.HasSuffix(base, suf) {
			return true
		}
	}
	if len(s.dirs) > 0 {
		rest := p
		for {
			i := strings.IndexByte(rest, '/')
			if i < 0 {
				break
			}
			if s.dirs[rest[:i]] {
				return true
			}
			rest = rest[i+1:]
		}
	}
	for _, g := range s.globs {
		if ok, _ := doublestar.Match(g, p); ok {
			return true
		}
	}
	return false
}
