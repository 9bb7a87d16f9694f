package version

import (
	"errors"
	"strings"

	"github.com/Masterminds/semver/v3"
	modsemver "golang.org/x/mod/semver"
)

// SemVer compares SemVer 2.0 versions (npm, crates.io, Hex, Pub, SwiftURL,
// ConanCenter and OSV SEMVER ranges): pre-releases sort before their release
// and build metadata is ignored. A leading "v" is accepted, and a short core
// ("1" or "1.2") is read as "1.0.0" or "1.2.0".
type SemVer struct{}

func (SemVer) parse(v string) (*semver.Version, error) {
	s := v
	if strings.HasPrefix(s, "v") || strings.HasPrefix(s, "V") {
		s = s[1:]
	}
	end := strings.IndexAny(s, "-+")
	if end < 0 {
		end = len(s)
	}
	switch strings.Count(s[:end], ".") {
	case 0:
		s = s[:end] + ".0.0" + s[end:]
	case 1:
		s = s[:end] + ".0" + s[end:]
	}
	p, err := semver.StrictNewVersion(s)
	if err != nil {
		return nil, invalid("semver", v, err)
	}
	return p, nil
}

// Valid implements Comparator.
func (c SemVer) Valid(v string) error {
	_, err := c.parse(v)
	return err
}

// Compare implements Comparator.
func (c SemVer) Compare(a, b string) (int, error) {
	pa, pb, err := parseBoth(c.parse, a, b)
	if err != nil {
		return 0, err
	}
	return pa.Compare(pb), nil
}

// Go compares Go module versions with golang.org/x/mod/semver. Versions are
// accepted with the "v" prefix packages carry ("v1.2.3", pseudo-versions
// "v0.0.0-20210226172049-e18ecbb05110", "v3.2.0+incompatible") and without
// it, as OSV Go records write them ("1.2.3"). Go toolchain versions
// ("go1.21.3", "go1.22rc1", "go1.20") are read as the SemVer form the Go
// vulnerability database uses for the standard library ("1.21.3",
// "1.22.0-rc.1", "1.20.0"). "+incompatible" is build metadata and does not
// affect the order.
type Go struct{}

// goCanonical turns v into the "v"-prefixed form x/mod/semver parses.
func goCanonical(v string) (string, error) {
	switch {
	case strings.HasPrefix(v, "go"):
		return goToolchain(v)
	case strings.HasPrefix(v, "v"):
		// Already in module form.
	default:
		v = "v" + v
	}
	if !modsemver.IsValid(v) {
		return "", errors.New("not a Go module version")
	}
	return v, nil
}

// goToolchain converts "go1.21.3", "go1.21rc2", "go1.9beta1" or "go1.20" to
// SemVer with a "v" prefix.
func goToolchain(v string) (string, error) {
	s := strings.TrimPrefix(v, "go")
	core, pre := s, ""
	if i := strings.IndexAny(s, "abcdefghijklmnopqrstuvwxyz"); i >= 0 {
		core, pre = s[:i], s[i:]
	}
	parts := strings.Split(core, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return "", errors.New("not a Go toolchain version")
	}
	for _, p := range parts {
		if !isDigits(p) {
			return "", errors.New("not a Go toolchain version")
		}
	}
	if len(parts) == 2 {
		parts = append(parts, "0")
	}
	out := "v" + strings.Join(parts, ".")
	if pre != "" {
		i := strings.IndexAny(pre, "0123456789")
		if i <= 0 || !isDigits(pre[i:]) || (pre[:i] != "rc" && pre[:i] != "beta" && pre[:i] != "alpha") {
			return "", errors.New("not a Go toolchain pre-release")
		}
		out += "-" + pre[:i] + "." + pre[i:]
	}
	if !modsemver.IsValid(out) {
		return "", errors.New("not a Go toolchain version")
	}
	return out, nil
}

func (Go) parse(v string) (string, error) {
	c, err := goCanonical(v)
	if err != nil {
		return "", invalid("go", v, err)
	}
	return c, nil
}

// Valid implements Comparator.
func (g Go) Valid(v string) error {
	_, err := g.parse(v)
	return err
}

// Compare implements Comparator.
func (g Go) Compare(a, b string) (int, error) {
	ca, cb, err := parseBoth(g.parse, a, b)
	if err != nil {
		return 0, err
	}
	return modsemver.Compare(ca, cb), nil
}
