// Package version compares package versions under the ordering rules of each
// ecosystem (dpkg, RPM, apk, SemVer, Go modules, PEP 440, Maven, RubyGems,
// NuGet, Composer) and evaluates OSV affected ranges with them.
//
// Every comparator reports an unparsable version as an error wrapping
// ErrInvalidVersion; it never guesses an order for it, so a caller can never
// match an advisory silently against garbage.
package version

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalidVersion is wrapped by every error about a version string that the
// comparator cannot parse.
var ErrInvalidVersion = errors.New("version: invalid version")

// ErrUnsupportedEcosystem is wrapped by ForEcosystem for an ecosystem without
// a comparator.
var ErrUnsupportedEcosystem = errors.New("version: unsupported ecosystem")

// ErrInvalidRange is wrapped by Affected's error for an OSV range it cannot
// evaluate (an event version the comparator rejects, or a malformed event),
// so that bad advisory data can be told from a bad package version.
var ErrInvalidRange = errors.New("version: invalid OSV range")

// Comparator orders version strings of one version scheme.
type Comparator interface {
	// Compare returns -1, 0 or +1 when a is lower than, equal to or greater
	// than b. It returns an error wrapping ErrInvalidVersion when either
	// version cannot be parsed.
	Compare(a, b string) (int, error)
	// Valid returns nil when v parses under the scheme, else an error
	// wrapping ErrInvalidVersion.
	Valid(v string) error
}

// invalid builds the error for an unparsable version v of a scheme.
func invalid(scheme, v string, cause error) error {
	if cause == nil {
		return fmt.Errorf("%w: %s %q", ErrInvalidVersion, scheme, v)
	}
	return fmt.Errorf("%w: %s %q: %w", ErrInvalidVersion, scheme, v, cause)
}

// ForEcosystem returns the comparator for an OSV ecosystem name. A release
// suffix after the first colon ("Debian:12", "Alpine:v3.19",
// "Ubuntu:22.04:LTS", "Maven:https://maven.google.com") is ignored, and the
// name is matched case-insensitively.
func ForEcosystem(ecosystem string) (Comparator, error) {
	name, _, _ := strings.Cut(ecosystem, ":")
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "debian", "ubuntu", "echo":
		return Deb{}, nil
	case "red hat", "redhat", "rocky linux", "almalinux", "suse", "opensuse",
		"mageia", "openeuler", "photon os", "azure linux", "cbl-mariner",
		"amazon linux", "oracle linux", "fedora", "centos":
		return RPM{}, nil
	case "alpine", "wolfi", "chainguard", "minimos", "alpaquita",
		"bellsoft hardened containers":
		return APK{}, nil
	case "go", "kubernetes":
		return Go{}, nil
	case "npm", "crates.io", "hex", "pub", "swifturl", "conancenter",
		"julia", "bitnami", "github actions":
		return SemVer{}, nil
	case "pypi":
		return PEP440{}, nil
	case "maven":
		return Maven{}, nil
	case "rubygems":
		return Gem{}, nil
	case "nuget":
		return NuGet{}, nil
	case "packagist":
		return Composer{}, nil
	}
	return nil, fmt.Errorf("%w: %q", ErrUnsupportedEcosystem, ecosystem)
}

// sign maps any int to -1, 0 or +1.
func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// compareDigits compares two strings of ASCII digits numerically, without
// overflow, ignoring leading zeros.
func compareDigits(a, b string) int {
	a = strings.TrimLeft(a, "0")
	b = strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		return sign(len(a) - len(b))
	}
	return strings.Compare(a, b)
}

// isDigits reports whether s is a non-empty string of ASCII digits.
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

// parseBoth parses a and b with parse and returns the first error.
func parseBoth[T any](parse func(string) (T, error), a, b string) (T, T, error) {
	pa, err := parse(a)
	if err != nil {
		var zero T
		return zero, zero, err
	}
	pb, err := parse(b)
	if err != nil {
		var zero T
		return zero, zero, err
	}
	return pa, pb, nil
}
