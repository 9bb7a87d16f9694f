package version

import (
	"errors"
	"strings"
)

// NuGet compares NuGet package versions with NuGet.Versioning's rules:
// one to four numeric parts (Major.Minor.Patch.Revision, missing parts are
// 0, leading zeros are ignored: "1.01" = "1.1.0.0"), an optional pre-release
// whose dot-separated labels compare numerically when numeric and
// case-insensitively otherwise (numeric < alphanumeric), a release sorting
// after its pre-releases, and build metadata ("+sha") that does not count.
type NuGet struct{}

type nugetVersion struct {
	nums [4]string
	pre  []string
}

func (NuGet) parse(v string) (nugetVersion, error) {
	var out nugetVersion
	s, _, hasMeta := strings.Cut(v, "+")
	if hasMeta {
		meta := v[len(s)+1:]
		if err := checkLabels(meta); err != nil {
			return out, invalid("nuget", v, err)
		}
	}
	core, pre, hasPre := strings.Cut(s, "-")
	parts := strings.Split(core, ".")
	if len(parts) > 4 {
		return out, invalid("nuget", v, errors.New("more than four numeric parts"))
	}
	for i := range out.nums {
		out.nums[i] = "0"
	}
	for i, p := range parts {
		if !isDigits(p) {
			return out, invalid("nuget", v, errors.New("numeric part is not a number"))
		}
		if len(strings.TrimLeft(p, "0")) > 10 {
			return out, invalid("nuget", v, errors.New("numeric part out of range"))
		}
		out.nums[i] = p
	}
	if hasPre {
		if err := checkLabels(pre); err != nil {
			return out, invalid("nuget", v, err)
		}
		out.pre = strings.Split(pre, ".")
	}
	return out, nil
}

// checkLabels validates dot-separated SemVer identifiers: non-empty, made
// of ASCII letters, digits and hyphens.
func checkLabels(s string) error {
	for _, l := range strings.Split(s, ".") {
		if l == "" {
			return errors.New("empty label")
		}
		for i := 0; i < len(l); i++ {
			if !isAlnum(l[i]) && l[i] != '-' {
				return errors.New("invalid character in label")
			}
		}
	}
	return nil
}

// Valid implements Comparator.
func (n NuGet) Valid(v string) error {
	_, err := n.parse(v)
	return err
}

// Compare implements Comparator.
func (n NuGet) Compare(a, b string) (int, error) {
	pa, pb, err := parseBoth(n.parse, a, b)
	if err != nil {
		return 0, err
	}
	return compareNuGet(pa, pb), nil
}

// compareNuGet compares two parsed NuGet versions.
func compareNuGet(pa, pb nugetVersion) int {
	for i := range pa.nums {
		if c := compareDigits(pa.nums[i], pb.nums[i]); c != 0 {
			return c
		}
	}
	switch {
	case len(pa.pre) == 0 && len(pb.pre) == 0:
		return 0
	case len(pa.pre) == 0:
		return 1
	case len(pb.pre) == 0:
		return -1
	}
	for i := 0; i < len(pa.pre) && i < len(pb.pre); i++ {
		if c := compareLabel(pa.pre[i], pb.pre[i]); c != 0 {
			return c
		}
	}
	return sign(len(pa.pre) - len(pb.pre))
}

// compareLabel compares two pre-release labels: numeric ones numerically,
// numeric before alphanumeric, alphanumeric ones case-insensitively.
func compareLabel(a, b string) int {
	na, nb := isDigits(a), isDigits(b)
	switch {
	case na && nb:
		return compareDigits(a, b)
	case na:
		return -1
	case nb:
		return 1
	}
	return strings.Compare(strings.ToLower(a), strings.ToLower(b))
}
