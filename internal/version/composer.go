package version

import (
	"errors"
	"strings"
)

// Composer compares PHP Composer (Packagist) versions the way Composer's
// VersionParser normalises them and version_compare orders them: an
// optional "v" prefix, one to four numeric parts (missing ones are 0), then
// an optional stability suffix, -dev < alpha (a) < beta (b) < RC < stable <
// patch (pl, p), with an optional number ("1.0.0-beta2", "1.0.0.RC1"), and an
// optional trailing "-dev" that sorts just before the version it is attached
// to. Branch names ("dev-master", "1.x-dev") have no order and are invalid.
type Composer struct{}

// Composer stability ranks.
const (
	stabDev = iota
	stabAlpha
	stabBeta
	stabRC
	stabStable
	stabPatch
)

type composerVersion struct {
	nums      [4]string
	stability int
	stabNum   string
	dev       bool // trailing -dev after a stability suffix
}

// composerStability reads a stability name at the start of s (longer
// names first, so that "beta" is not read as "b" + "eta") and returns its
// rank and length, or ok false.
func composerStability(s string) (rank, n int, ok bool) {
	for _, st := range [...]struct {
		name string
		rank int
	}{
		{"stable", stabStable}, {"alpha", stabAlpha}, {"patch", stabPatch},
		{"beta", stabBeta}, {"rc", stabRC}, {"pl", stabPatch},
		{"a", stabAlpha}, {"b", stabBeta}, {"p", stabPatch},
	} {
		if strings.HasPrefix(s, st.name) {
			return st.rank, len(st.name), true
		}
	}
	return 0, 0, false
}

func (Composer) parse(v string) (composerVersion, error) {
	out := composerVersion{stability: stabStable, stabNum: "0"}
	s := strings.ToLower(v)
	s = strings.TrimPrefix(s, "v")
	// Numeric parts.
	n := 0
	for {
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == 0 {
			return out, invalid("composer", v, errors.New("expected a number"))
		}
		if n == len(out.nums) {
			return out, invalid("composer", v, errors.New("more than four numeric parts"))
		}
		out.nums[n] = s[:i]
		n++
		s = s[i:]
		if len(s) > 1 && s[0] == '.' && s[1] >= '0' && s[1] <= '9' {
			s = s[1:]
			continue
		}
		break
	}
	for i := n; i < len(out.nums); i++ {
		out.nums[i] = "0"
	}
	if s == "" {
		return out, nil
	}
	// Stability suffix, optionally preceded by one of "._-".
	if s[0] == '.' || s[0] == '_' || s[0] == '-' {
		s = s[1:]
	}
	if s == "dev" {
		out.stability = stabDev
		return out, nil
	}
	rank, n, ok := composerStability(s)
	if !ok {
		return out, invalid("composer", v, errors.New("unknown stability suffix"))
	}
	out.stability = rank
	s = s[n:]
	if s != "" && (s[0] == '.' || s[0] == '-') && len(s) > 1 && s[1] >= '0' && s[1] <= '9' {
		s = s[1:]
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 {
		out.stabNum = s[:i]
		s = s[i:]
	}
	switch s {
	case "":
	case "-dev", ".dev", "dev":
		out.dev = true
	default:
		return out, invalid("composer", v, errors.New("trailing characters"))
	}
	return out, nil
}

// Valid implements Comparator.
func (c Composer) Valid(v string) error {
	_, err := c.parse(v)
	return err
}

// Compare implements Comparator.
func (c Composer) Compare(a, b string) (int, error) {
	pa, pb, err := parseBoth(c.parse, a, b)
	if err != nil {
		return 0, err
	}
	return compareComposer(pa, pb), nil
}

// compareComposer compares two parsed Composer versions.
func compareComposer(pa, pb composerVersion) int {
	for i := range pa.nums {
		if r := compareDigits(pa.nums[i], pb.nums[i]); r != 0 {
			return r
		}
	}
	if pa.stability != pb.stability {
		return sign(pa.stability - pb.stability)
	}
	if r := compareDigits(pa.stabNum, pb.stabNum); r != 0 {
		return r
	}
	switch {
	case pa.dev == pb.dev:
		return 0
	case pa.dev:
		return -1
	}
	return 1
}
