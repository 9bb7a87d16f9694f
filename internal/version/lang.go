package version

import (
	"errors"
	"strings"
	"unicode"

	gem "github.com/aquasecurity/go-gem-version"
	pep440 "github.com/aquasecurity/go-pep440-version"
	mvn "github.com/masahiro331/go-mvn-version"
)

// PEP440 compares Python package versions under PEP 440: epochs ("1!2.0"),
// pre-releases (a, b, rc), post-releases (.postN), dev releases (.devN) and
// local versions ("+ubuntu1", which sort after the public version).
type PEP440 struct{}

func (PEP440) parse(v string) (pep440.Version, error) {
	if strings.TrimSpace(v) == "" {
		return pep440.Version{}, invalid("pep440", v, errors.New("empty"))
	}
	p, err := pep440.Parse(v)
	if err != nil {
		return pep440.Version{}, invalid("pep440", v, err)
	}
	return p, nil
}

// Valid implements Comparator.
func (c PEP440) Valid(v string) error {
	_, err := c.parse(v)
	return err
}

// Compare implements Comparator.
func (c PEP440) Compare(a, b string) (int, error) {
	pa, pb, err := parseBoth(c.parse, a, b)
	if err != nil {
		return 0, err
	}
	return sign(pa.Compare(pb)), nil
}

// Maven compares Maven artifact versions with Maven's ComparableVersion
// rules: qualifiers alpha < beta < milestone < rc = cr < snapshot < "" = ga =
// final = release < sp, unknown qualifiers after sp, trailing zeros ignored
// ("1.0" = "1"). Any non-empty string without whitespace is a version.
type Maven struct{}

func (Maven) parse(v string) (mvn.Version, error) {
	if v == "" {
		return mvn.Version{}, invalid("maven", v, errors.New("empty"))
	}
	for _, r := range v {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return mvn.Version{}, invalid("maven", v, errors.New("whitespace or non-printable character"))
		}
	}
	p, err := mvn.NewVersion(v)
	if err != nil {
		return mvn.Version{}, invalid("maven", v, err)
	}
	return p, nil
}

// Valid implements Comparator.
func (c Maven) Valid(v string) error {
	_, err := c.parse(v)
	return err
}

// Compare implements Comparator.
func (c Maven) Compare(a, b string) (int, error) {
	pa, pb, err := parseBoth(c.parse, a, b)
	if err != nil {
		return 0, err
	}
	return sign(pa.Compare(pb)), nil
}

// Gem compares RubyGems versions with Gem::Version's rules: a segment with
// a letter makes a pre-release ("1.0.0.rc1" and "1.0.0-rc1" < "1.0.0"),
// trailing zeros are ignored.
type Gem struct{}

func (Gem) parse(v string) (gem.Version, error) {
	if strings.TrimSpace(v) == "" {
		return gem.Version{}, invalid("gem", v, errors.New("empty"))
	}
	p, err := gem.NewVersion(v)
	if err != nil {
		return gem.Version{}, invalid("gem", v, err)
	}
	return p, nil
}

// Valid implements Comparator.
func (c Gem) Valid(v string) error {
	_, err := c.parse(v)
	return err
}

// Compare implements Comparator.
func (c Gem) Compare(a, b string) (int, error) {
	pa, pb, err := parseBoth(c.parse, a, b)
	if err != nil {
		return 0, err
	}
	return sign(pa.Compare(pb)), nil
}
