package version

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/trawlsec/trawl/internal/vulndb/osv"
)

// event kinds, in the order events of equal version are walked: an
// "introduced" and a "fixed" at the same version make an empty range.
const (
	kindIntroduced = iota
	kindLastAffected
	kindFixed
)

type event struct {
	kind    int
	version string
	zero    bool // introduced "0": before every version
}

// rangeEval is one SEMVER or ECOSYSTEM range, validated and sorted.
type rangeEval struct {
	events []event // sorted, without limits
	limits []string
	star   bool // a limit "*" (infinity) is present
}

// prepareRange validates the versions of r's events under cmp and sorts them.
func prepareRange(cmp Comparator, r osv.Range) (rangeEval, error) {
	var out rangeEval
	for i, e := range r.Events {
		var ev event
		n := 0
		if e.Introduced != "" {
			ev, n = event{kind: kindIntroduced, version: e.Introduced, zero: e.Introduced == "0"}, n+1
		}
		if e.Fixed != "" {
			ev, n = event{kind: kindFixed, version: e.Fixed}, n+1
		}
		if e.LastAffected != "" {
			ev, n = event{kind: kindLastAffected, version: e.LastAffected}, n+1
		}
		if e.Limit != "" {
			n++
		}
		if n != 1 {
			return out, fmt.Errorf("version: range event %d has %d fields set, want exactly 1", i, n)
		}
		if e.Limit != "" {
			if strings.Contains(e.Limit, "*") {
				out.star = true
				continue
			}
			if err := cmp.Valid(e.Limit); err != nil {
				return out, fmt.Errorf("range event %d (limit): %w", i, err)
			}
			out.limits = append(out.limits, e.Limit)
			continue
		}
		if !ev.zero {
			if err := cmp.Valid(ev.version); err != nil {
				return out, fmt.Errorf("range event %d: %w", i, err)
			}
		}
		out.events = append(out.events, ev)
	}
	var sortErr error
	slices.SortStableFunc(out.events, func(a, b event) int {
		switch {
		case a.zero && b.zero:
			return 0
		case a.zero:
			return -1
		case b.zero:
			return 1
		}
		c, err := cmp.Compare(a.version, b.version)
		if err != nil {
			sortErr = err
			return 0
		}
		if c != 0 {
			return c
		}
		return a.kind - b.kind
	})
	if sortErr != nil {
		return out, sortErr
	}
	return out, nil
}

// beforeLimits implements the OSV BeforeLimits function.
func (r rangeEval) beforeLimits(cmp Comparator, v string) (bool, error) {
	if r.star || len(r.limits) == 0 {
		return true, nil
	}
	for _, l := range r.limits {
		c, err := cmp.Compare(v, l)
		if err != nil {
			return false, err
		}
		if c < 0 {
			return true, nil
		}
	}
	return false, nil
}

// affected walks the sorted events as in the OSV IncludedInRanges function.
func (r rangeEval) affected(cmp Comparator, v string) (bool, error) {
	ok, err := r.beforeLimits(cmp, v)
	if err != nil || !ok {
		return false, err
	}
	vulnerable := false
	for _, e := range r.events {
		if e.zero {
			vulnerable = true
			continue
		}
		c, err := cmp.Compare(v, e.version)
		if err != nil {
			return false, err
		}
		switch e.kind {
		case kindIntroduced:
			if c >= 0 {
				vulnerable = true
			}
		case kindFixed:
			if c >= 0 {
				vulnerable = false
			}
		case kindLastAffected:
			if c > 0 {
				vulnerable = false
			}
		}
	}
	return vulnerable, nil
}

// fix returns the version of the first "fixed" event above v.
func (r rangeEval) fix(cmp Comparator, v string) (string, bool) {
	for _, e := range r.events {
		if e.kind != kindFixed {
			continue
		}
		if c, err := cmp.Compare(v, e.version); err == nil && c < 0 {
			return e.version, true
		}
	}
	return "", false
}

// evaluable reports whether a range of type t is evaluated by version
// ordering; GIT ranges (commit graphs) and unknown types are not.
func evaluable(t string) bool {
	switch strings.ToUpper(t) {
	case osv.RangeSemver, osv.RangeEcosystem:
		return true
	}
	return false
}

// Affected reports whether version v of the package is affected according to
// a, following the OSV schema's evaluation algorithm: v is affected when it
// is listed in a.Versions (as the same string, or equal under cmp) or lies in
// any SEMVER or ECOSYSTEM range. Range events are sorted under cmp before
// they are walked; introduced "0" sorts before every version and a limit
// containing "*" is infinity. Both range types are evaluated with cmp, the
// comparator of the package's ecosystem. GIT ranges are ignored.
//
// An invalid v matches only a verbatim entry of a.Versions (PyPI lists
// legacy, non-PEP 440 releases there); otherwise it is an error wrapping
// ErrInvalidVersion, never a silent "not affected". A range whose events
// do not parse under cmp, or are malformed, cannot be evaluated: its error,
// wrapping ErrInvalidRange, is returned only when no other range or listed
// version matches v. Entries of a.Versions that do
// not parse are only matched as exact strings.
func Affected(cmp Comparator, v string, a osv.Affected) (bool, error) {
	if slices.Contains(a.Versions, v) {
		return true, nil
	}
	if err := cmp.Valid(v); err != nil {
		return false, err
	}
	for _, s := range a.Versions {
		if c, err := cmp.Compare(v, s); err == nil && c == 0 {
			return true, nil
		}
	}
	var errs []error
	for i, r := range a.Ranges {
		if !evaluable(r.Type) {
			continue
		}
		re, err := prepareRange(cmp, r)
		if err != nil {
			errs = append(errs, fmt.Errorf("%w: %s range %d: %w", ErrInvalidRange, r.Type, i, err))
			continue
		}
		ok, err := re.affected(cmp, v)
		if err != nil {
			errs = append(errs, fmt.Errorf("%w: %s range %d: %w", ErrInvalidRange, r.Type, i, err))
			continue
		}
		if ok {
			return true, nil
		}
	}
	return false, errors.Join(errs...)
}

// FixedVersions returns the versions that fix v according to a: for every
// SEMVER or ECOSYSTEM range that v is affected by, the first "fixed" event
// above v, i.e. the fix that closes the interval v lies in. The result is
// sorted under cmp and free of duplicates. It is empty when v is not
// affected by any range, when the ranges give no fix (open or
// last_affected ranges), or when v is invalid.
func FixedVersions(cmp Comparator, v string, a osv.Affected) []string {
	if cmp.Valid(v) != nil {
		return nil
	}
	var out []string
	for _, r := range a.Ranges {
		if !evaluable(r.Type) {
			continue
		}
		re, err := prepareRange(cmp, r)
		if err != nil {
			continue
		}
		if ok, err := re.affected(cmp, v); err != nil || !ok {
			continue
		}
		if f, ok := re.fix(cmp, v); ok && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, func(x, y string) int {
		c, err := cmp.Compare(x, y)
		if err != nil {
			return strings.Compare(x, y)
		}
		if c == 0 {
			return strings.Compare(x, y)
		}
		return c
	})
	return out
}
