package version

import (
	"errors"
	"strings"
)

// APK compares Alpine (and Wolfi, Chainguard) package versions with the
// rules of current apk-tools (src/version.c since 2.12):
//
//	digit{.digit}...{letter}{_suffix{number}}...{~hash}{-rN}
//
// Pre-release suffixes _alpha < _beta < _pre < _rc sort before the bare
// version, post-release suffixes _cvs < _svn < _git < _hg < _p after it, and
// -rN is the package revision. A dotted component with a leading zero is
// compared as a string ("1.01" < "1.1"), as apk does. One leniency is kept
// from apk-tools before 2.12: digits may follow a letter ("6.6.2p1-r0", a
// real Alpine 3.11 version), read as a further numeric component.
//
// It is implemented here rather than with github.com/knqyf263/go-apk-version:
// that library follows apk-tools before 2.12, whose leading-zero handling
// orders "1.0_rc1" after "1.0" (current apk: before).
type APK struct{}

// apk token kinds, in apk-tools' order: it matters for validation (which
// token may follow which) and for the tail rule of the comparison.
const (
	apkInitialDigit = iota
	apkDigit
	apkLetter
	apkSuffix
	apkSuffixNo
	apkCommitHash
	apkRevisionNo
	apkEnd
)

// apk suffix ranks; apkSuffixNone is the pivot between pre- and post-release.
const (
	apkSuffixAlpha = iota + 1
	apkSuffixBeta
	apkSuffixPre
	apkSuffixRC
	apkSuffixNone
	apkSuffixCVS
	apkSuffixSVN
	apkSuffixGit
	apkSuffixHg
	apkSuffixP
)

// apkSuffixRank returns the rank of an apk suffix name, or 0 if unknown.
func apkSuffixRank(name string) int {
	switch name {
	case "alpha":
		return apkSuffixAlpha
	case "beta":
		return apkSuffixBeta
	case "pre":
		return apkSuffixPre
	case "rc":
		return apkSuffixRC
	case "cvs":
		return apkSuffixCVS
	case "svn":
		return apkSuffixSVN
	case "git":
		return apkSuffixGit
	case "hg":
		return apkSuffixHg
	case "p":
		return apkSuffixP
	}
	return 0
}

type apkToken struct {
	kind   int
	value  string // digits, letter, suffix name or hash
	suffix int    // rank, for apkSuffix
}

// tokenizeAPK splits v into tokens ending with an apkEnd token, or fails.
func tokenizeAPK(v string) ([]apkToken, error) {
	digits := func(s string) int {
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i
	}
	n := digits(v)
	if n == 0 {
		return nil, errors.New("does not start with a digit")
	}
	toks := []apkToken{{kind: apkInitialDigit, value: v[:n]}}
	s := v[n:]
	for s != "" {
		prev := toks[len(toks)-1].kind
		var t apkToken
		switch c := s[0]; {
		case c >= 'a' && c <= 'z':
			if prev > apkDigit {
				return nil, errors.New("letter out of place")
			}
			t, s = apkToken{kind: apkLetter, value: s[:1]}, s[1:]
		case c == '.' || (c >= '0' && c <= '9'):
			kind := apkDigit
			switch {
			case c == '.' && prev <= apkDigit:
				s = s[1:]
			case c != '.' && prev == apkSuffix:
				kind = apkSuffixNo
			case c != '.' && prev == apkLetter:
				// Digits after a letter ("6.6.2p1"): rejected by
				// apk-tools 2.12+, but accepted by earlier apk-tools
				// and found in real packages of older releases
				// (opensmtpd 6.6.2p1-r0 in Alpine 3.11). Read as a
				// further numeric component, as those versions did.
			default:
				return nil, errors.New("number out of place")
			}
			n := digits(s)
			if n == 0 {
				return nil, errors.New("expected digits")
			}
			t, s = apkToken{kind: kind, value: s[:n]}, s[n:]
		case c == '_':
			if prev > apkSuffixNo {
				return nil, errors.New("suffix out of place")
			}
			s = s[1:]
			i := 0
			for i < len(s) && s[i] >= 'a' && s[i] <= 'z' {
				i++
			}
			rank := apkSuffixRank(s[:i])
			if rank == 0 {
				return nil, errors.New("unknown suffix")
			}
			t, s = apkToken{kind: apkSuffix, value: s[:i], suffix: rank}, s[i:]
		case c == '~':
			if prev >= apkCommitHash {
				return nil, errors.New("commit hash out of place")
			}
			s = s[1:]
			i := 0
			for i < len(s) && isHex(s[i]) {
				i++
			}
			if i == 0 {
				return nil, errors.New("empty commit hash")
			}
			t, s = apkToken{kind: apkCommitHash, value: s[:i]}, s[i:]
		case c == '-':
			if prev >= apkRevisionNo || !strings.HasPrefix(s, "-r") {
				return nil, errors.New("invalid revision")
			}
			s = s[2:]
			n := digits(s)
			if n == 0 {
				return nil, errors.New("revision without number")
			}
			t, s = apkToken{kind: apkRevisionNo, value: s[:n]}, s[n:]
		default:
			return nil, errors.New("invalid character")
		}
		toks = append(toks, t)
	}
	return append(toks, apkToken{kind: apkEnd}), nil
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// apkTokenCompare compares two tokens of the same kind.
func apkTokenCompare(a, b apkToken) int {
	switch a.kind {
	case apkDigit:
		if a.value[0] == '0' || b.value[0] == '0' {
			// A leading zero makes apk compare the raw strings.
			return strings.Compare(a.value, b.value)
		}
		return compareDigits(a.value, b.value)
	case apkInitialDigit, apkSuffixNo, apkRevisionNo:
		return compareDigits(a.value, b.value)
	case apkSuffix:
		return sign(a.suffix - b.suffix)
	}
	// Letters and commit hashes.
	return strings.Compare(a.value, b.value)
}

func (APK) parse(v string) ([]apkToken, error) {
	toks, err := tokenizeAPK(v)
	if err != nil {
		return nil, invalid("apk", v, err)
	}
	return toks, nil
}

// Valid implements Comparator.
func (p APK) Valid(v string) error {
	_, err := p.parse(v)
	return err
}

// Compare implements Comparator.
func (p APK) Compare(a, b string) (int, error) {
	ta, tb, err := parseBoth(p.parse, a, b)
	if err != nil {
		return 0, err
	}
	return compareAPK(ta, tb), nil
}

// compareAPK compares two tokenized apk versions.
func compareAPK(ta, tb []apkToken) int {
	i := 0
	for ; ta[i].kind == tb[i].kind && ta[i].kind != apkEnd; i++ {
		if c := apkTokenCompare(ta[i], tb[i]); c != 0 {
			return c
		}
	}
	x, y := ta[i], tb[i]
	switch {
	case x.kind == y.kind:
		return 0
	// The longer version is greater, unless what follows is a pre-release
	// suffix.
	case x.kind == apkSuffix && x.suffix < apkSuffixNone:
		return -1
	case y.kind == apkSuffix && y.suffix < apkSuffixNone:
		return 1
	case x.kind > y.kind:
		return -1
	}
	return 1
}
