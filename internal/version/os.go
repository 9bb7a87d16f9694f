package version

import (
	"errors"
	"strconv"
	"strings"

	deb "github.com/knqyf263/go-deb-version"
	rpm "github.com/knqyf263/go-rpm-version"
)

// maxDigitRun is the longest run of digits the OS comparators accept: the
// underlying libraries compare numeric runs as machine integers, so longer
// runs would overflow and order wrongly.
const maxDigitRun = 18

// checkASCII rejects empty strings, non-ASCII or control characters, and
// digit runs longer than maxDigitRun.
func checkASCII(v string) error {
	if v == "" {
		return errors.New("empty")
	}
	run := 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c <= ' ' || c >= 0x7f {
			return errors.New("non-printable or non-ASCII character")
		}
		if c >= '0' && c <= '9' {
			run++
			if run > maxDigitRun {
				return errors.New("numeric component too long")
			}
		} else {
			run = 0
		}
	}
	return nil
}

// Deb compares Debian and Ubuntu package versions with dpkg's rules:
// [epoch:]upstream[-revision], where "~" sorts before anything, even the end
// of the string (1.0~rc1 < 1.0).
type Deb struct{}

func (Deb) parse(v string) (deb.Version, error) {
	if err := checkASCII(v); err != nil {
		return deb.Version{}, invalid("deb", v, err)
	}
	p, err := deb.NewVersion(v)
	if err != nil {
		return deb.Version{}, invalid("deb", v, err)
	}
	return p, nil
}

// Valid implements Comparator.
func (d Deb) Valid(v string) error {
	_, err := d.parse(v)
	return err
}

// Compare implements Comparator.
func (d Deb) Compare(a, b string) (int, error) {
	pa, pb, err := parseBoth(d.parse, a, b)
	if err != nil {
		return 0, err
	}
	return sign(pa.Compare(pb)), nil
}

// RPM compares RPM versions, [epoch:]version[-release], with rpmvercmp's
// rules including "~" (sorts before) and "^" (sorts after the base version).
// A missing epoch is 0.
type RPM struct{}

// rpmChars are the characters RPM allows in version and release besides
// ASCII letters and digits.
const rpmChars = "._+~^"

func (RPM) parse(v string) (rpm.Version, error) {
	if err := checkASCII(v); err != nil {
		return rpm.Version{}, invalid("rpm", v, err)
	}
	rest := v
	if e, r, ok := strings.Cut(v, ":"); ok {
		if !isDigits(e) {
			return rpm.Version{}, invalid("rpm", v, errors.New("epoch is not a number"))
		}
		if _, err := strconv.Atoi(e); err != nil {
			return rpm.Version{}, invalid("rpm", v, err)
		}
		rest = r
	}
	ver, rel, hasRel := strings.Cut(rest, "-")
	if ver == "" || (hasRel && rel == "") {
		return rpm.Version{}, invalid("rpm", v, errors.New("empty version or release"))
	}
	for _, part := range []string{ver, rel} {
		for i := 0; i < len(part); i++ {
			c := part[i]
			if !isAlnum(c) && !strings.ContainsRune(rpmChars, rune(c)) {
				return rpm.Version{}, invalid("rpm", v, errors.New("invalid character"))
			}
		}
	}
	return rpm.NewVersion(v), nil
}

// Valid implements Comparator.
func (r RPM) Valid(v string) error {
	_, err := r.parse(v)
	return err
}

// Compare implements Comparator.
func (r RPM) Compare(a, b string) (int, error) {
	pa, pb, err := parseBoth(r.parse, a, b)
	if err != nil {
		return 0, err
	}
	return sign(pa.Compare(pb)), nil
}

func isAlnum(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}
