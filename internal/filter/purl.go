package filter

import (
	"fmt"
	"strings"

	"github.com/package-url/packageurl-go"
)

// purlPattern is a package URL used as a constraint: type, namespace and
// name must equal the package's; the version must too when the pattern has
// one; every qualifier of the pattern must be on the package with the same
// value (qualifier order never matters); the subpath is not compared.
type purlPattern struct {
	p packageurl.PackageURL
}

func parsePURLPattern(s string) (*purlPattern, error) {
	p, err := packageurl.FromString(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("invalid purl %q: %w", s, err)
	}
	return &purlPattern{p: p}, nil
}

// parsePackagePURL parses a finding's purl; nil when empty or invalid.
func parsePackagePURL(s string) *packageurl.PackageURL {
	if s == "" {
		return nil
	}
	p, err := packageurl.FromString(s)
	if err != nil {
		return nil
	}
	return &p
}

func (pp *purlPattern) String() string { return pp.p.ToString() }

// match reports whether the package purl t satisfies the pattern.
func (pp *purlPattern) match(t *packageurl.PackageURL) bool {
	if pp == nil || t == nil {
		return false
	}
	p := pp.p
	if !strings.EqualFold(p.Type, t.Type) || p.Namespace != t.Namespace || p.Name != t.Name {
		return false
	}
	if p.Version != "" && p.Version != t.Version {
		return false
	}
	if len(p.Qualifiers) > 0 {
		tq := t.Qualifiers.Map()
		for _, q := range p.Qualifiers {
			if v, ok := tq[q.Key]; !ok || v != q.Value {
				return false
			}
		}
	}
	return true
}
