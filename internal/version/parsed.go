package version

import (
	"github.com/Masterminds/semver/v3"
	gem "github.com/aquasecurity/go-gem-version"
	pep440 "github.com/aquasecurity/go-pep440-version"
	deb "github.com/knqyf263/go-deb-version"
	rpm "github.com/knqyf263/go-rpm-version"
	mvn "github.com/masahiro331/go-mvn-version"
	modsemver "golang.org/x/mod/semver"
)

// Parsed is a version parsed once by a Parser, to be compared many times
// without parsing it again. Compare orders it against another Parsed of
// the same Parser (-1, 0, +1), exactly as the Parser's Compare orders the
// two strings; comparing values of different Parsers panics.
type Parsed interface {
	Compare(other Parsed) int
}

// Parser is a Comparator that can parse a version once. Every comparator
// of this package implements it; Parse returns the error Valid returns.
type Parser interface {
	Comparator
	Parse(v string) (Parsed, error)
}

// ParserFor returns cmp as a Parser: cmp itself when it is one, else an
// adapter that validates with Valid and compares the strings with Compare.
func ParserFor(cmp Comparator) Parser {
	if p, ok := cmp.(Parser); ok {
		return p
	}
	return stringParser{cmp}
}

// stringParser adapts a Comparator without a Parse method.
type stringParser struct{ Comparator }

type stringParsed struct {
	cmp Comparator
	s   string
}

func (p stringParser) Parse(v string) (Parsed, error) {
	if err := p.Valid(v); err != nil {
		return nil, err
	}
	return stringParsed{p.Comparator, v}, nil
}

func (a stringParsed) Compare(b Parsed) int {
	c, _ := a.cmp.Compare(a.s, b.(stringParsed).s)
	return sign(c)
}

type semverParsed struct{ v *semver.Version }

func (a semverParsed) Compare(b Parsed) int { return a.v.Compare(b.(semverParsed).v) }

// Parse implements Parser.
func (c SemVer) Parse(v string) (Parsed, error) {
	p, err := c.parse(v)
	if err != nil {
		return nil, err
	}
	return semverParsed{p}, nil
}

type goParsed string

func (a goParsed) Compare(b Parsed) int { return modsemver.Compare(string(a), string(b.(goParsed))) }

// Parse implements Parser.
func (g Go) Parse(v string) (Parsed, error) {
	c, err := g.parse(v)
	if err != nil {
		return nil, err
	}
	return goParsed(c), nil
}

type apkParsed []apkToken

func (a apkParsed) Compare(b Parsed) int { return compareAPK(a, b.(apkParsed)) }

// Parse implements Parser.
func (p APK) Parse(v string) (Parsed, error) {
	t, err := p.parse(v)
	if err != nil {
		return nil, err
	}
	return apkParsed(t), nil
}

type pep440Parsed struct{ v pep440.Version }

func (a pep440Parsed) Compare(b Parsed) int { return sign(a.v.Compare(b.(pep440Parsed).v)) }

// Parse implements Parser.
func (c PEP440) Parse(v string) (Parsed, error) {
	p, err := c.parse(v)
	if err != nil {
		return nil, err
	}
	return pep440Parsed{p}, nil
}

type mavenParsed struct{ v mvn.Version }

func (a mavenParsed) Compare(b Parsed) int { return sign(a.v.Compare(b.(mavenParsed).v)) }

// Parse implements Parser.
func (c Maven) Parse(v string) (Parsed, error) {
	p, err := c.parse(v)
	if err != nil {
		return nil, err
	}
	return mavenParsed{p}, nil
}

type gemParsed struct{ v gem.Version }

func (a gemParsed) Compare(b Parsed) int { return sign(a.v.Compare(b.(gemParsed).v)) }

// Parse implements Parser.
func (c Gem) Parse(v string) (Parsed, error) {
	p, err := c.parse(v)
	if err != nil {
		return nil, err
	}
	return gemParsed{p}, nil
}

type debParsed struct{ v deb.Version }

func (a debParsed) Compare(b Parsed) int { return sign(a.v.Compare(b.(debParsed).v)) }

// Parse implements Parser.
func (d Deb) Parse(v string) (Parsed, error) {
	p, err := d.parse(v)
	if err != nil {
		return nil, err
	}
	return debParsed{p}, nil
}

type rpmParsed struct{ v rpm.Version }

func (a rpmParsed) Compare(b Parsed) int { return sign(a.v.Compare(b.(rpmParsed).v)) }

// Parse implements Parser.
func (r RPM) Parse(v string) (Parsed, error) {
	p, err := r.parse(v)
	if err != nil {
		return nil, err
	}
	return rpmParsed{p}, nil
}

type nugetParsed struct{ v nugetVersion }

func (a nugetParsed) Compare(b Parsed) int { return compareNuGet(a.v, b.(nugetParsed).v) }

// Parse implements Parser.
func (n NuGet) Parse(v string) (Parsed, error) {
	p, err := n.parse(v)
	if err != nil {
		return nil, err
	}
	return nugetParsed{p}, nil
}

type composerParsed struct{ v composerVersion }

func (a composerParsed) Compare(b Parsed) int { return compareComposer(a.v, b.(composerParsed).v) }

// Parse implements Parser.
func (c Composer) Parse(v string) (Parsed, error) {
	p, err := c.parse(v)
	if err != nil {
		return nil, err
	}
	return composerParsed{p}, nil
}
