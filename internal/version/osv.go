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
	parsed  Parsed // nil for zero
	zero    bool   // introduced "0": before every version
}

// rangeEval is one SEMVER or ECOSYSTEM range, validated and sorted.
type rangeEval struct {
	events []event  // sorted, without limits
	limits []Parsed // parsed limits other than "*"
	star   bool     // a limit "*" (infinity) is present
}

// prepareRange parses the versions of r's events with p and sorts them.
func prepareRange(p Parser, r osv.Range) (rangeEval, error) {
	out := rangeEval{events: make([]event, 0, len(r.Events))}
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
			l, err := p.Parse(e.Limit)
			if err != nil {
				return out, fmt.Errorf("range event %d (limit): %w", i, err)
			}
			out.limits = append(out.limits, l)
			continue
		}
		if !ev.zero {
			pv, err := p.Parse(ev.version)
			if err != nil {
				return out, fmt.Errorf("range event %d: %w", i, err)
			}
			ev.parsed = pv
		}
		out.events = append(out.events, ev)
	}
	// Events are mostly listed in order already: check before sorting
	// (a stable sort of sorted events changes nothing).
	if !slices.IsSortedFunc(out.events, compareEvents) {
		slices.SortStableFunc(out.events, compareEvents)
	}
	return out, nil
}

// compareEvents orders events by version, then kind.
func compareEvents(a, b event) int {
	switch {
	case a.zero && b.zero:
		return 0
	case a.zero:
		return -1
	case b.zero:
		return 1
	}
	if c := a.parsed.Compare(b.parsed); c != 0 {
		return c
	}
	return a.kind - b.kind
}

// beforeLimits implements the OSV BeforeLimits function.
func (r rangeEval) beforeLimits(v Parsed) bool {
	if r.star || len(r.limits) == 0 {
		return true
	}
	for _, l := range r.limits {
		if v.Compare(l) < 0 {
			return true
		}
	}
	return false
}

// affected walks the sorted events as in the OSV IncludedInRanges function.
func (r rangeEval) affected(v Parsed) bool {
	if !r.beforeLimits(v) {
		return false
	}
	vulnerable := false
	for _, e := range r.events {
		if e.zero {
			vulnerable = true
			continue
		}
		c := v.Compare(e.parsed)
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
	return vulnerable
}

// fix returns the first "fixed" event above v.
func (r rangeEval) fix(v Parsed) (event, bool) {
	for _, e := range r.events {
		if e.kind == kindFixed && v.Compare(e.parsed) < 0 {
			return e, true
		}
	}
	return event{}, false
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
//
// To evaluate one version against many entries, use NewInstalled, which
// parses v once.
func Affected(cmp Comparator, v string, a osv.Affected) (bool, error) {
	return NewInstalled(cmp, v).Affected(a)
}

// FixedVersions returns the versions that fix v according to a: for every
// SEMVER or ECOSYSTEM range that v is affected by, the first "fixed" event
// above v, i.e. the fix that closes the interval v lies in. The result is
// sorted under cmp and free of duplicates. It is empty when v is not
// affected by any range, when the ranges give no fix (open or
// last_affected ranges), or when v is invalid.
func FixedVersions(cmp Comparator, v string, a osv.Affected) []string {
	return NewInstalled(cmp, v).FixedVersions(a)
}

// Installed is a package version parsed once under a comparator, to be
// evaluated against many affected entries. Its methods give the results of
// the package functions Affected, FixedVersions and both at once.
type Installed struct {
	p   Parser
	raw string
	v   Parsed
	err error // from parsing raw
}

// NewInstalled parses v under cmp. An unparsable v is not an error here:
// the methods report it as Affected does.
func NewInstalled(cmp Comparator, v string) *Installed {
	p := ParserFor(cmp)
	pv, err := p.Parse(v)
	return &Installed{p: p, raw: v, v: pv, err: err}
}

// Err returns the error parsing the version, wrapping ErrInvalidVersion,
// or nil.
func (in *Installed) Err() error { return in.err }

// Affected is the package function Affected for the installed version.
func (in *Installed) Affected(a osv.Affected) (bool, error) {
	ok, _, err := in.evaluate(a, nil, false)
	return ok, err
}

// FixedVersions is the package function FixedVersions for the installed
// version.
func (in *Installed) FixedVersions(a osv.Affected) []string {
	if in.err != nil {
		return nil
	}
	_, fixed, _ := in.evaluate(osv.Affected{Ranges: a.Ranges}, nil, true)
	return fixed
}

// Evaluate returns Affected(a) and, when the version is affected,
// FixedVersions(a), in one walk of the ranges.
func (in *Installed) Evaluate(a osv.Affected) (bool, []string, error) {
	ok, fixed, err := in.evaluate(a, nil, true)
	if !ok || in.err != nil {
		return ok, nil, err
	}
	return ok, fixed, err
}

// Prepared is the ranges of an affected entry with their events parsed
// and sorted once under a comparator, to evaluate many installed versions
// of one package (Installed.EvaluatePrepared) without parsing them again.
type Prepared struct {
	p      Parser
	ranges []preparedRange
}

type preparedRange struct {
	typ string
	idx int // index in the entry's ranges
	re  rangeEval
	err error
}

// Prepare parses and sorts the SEMVER and ECOSYSTEM ranges under cmp. A
// range that cannot be evaluated is kept with its error, which
// EvaluatePrepared reports as Evaluate would.
func Prepare(cmp Comparator, ranges []osv.Range) *Prepared {
	pr := &Prepared{p: ParserFor(cmp)}
	for i, r := range ranges {
		if !evaluable(r.Type) {
			continue
		}
		re, err := prepareRange(pr.p, r)
		pr.ranges = append(pr.ranges, preparedRange{typ: r.Type, idx: i, re: re, err: err})
	}
	return pr
}

// EvaluatePrepared is Evaluate(osv.Affected{Versions: versions, Ranges:
// ranges}) for the ranges pr was prepared from, with the same comparator.
func (in *Installed) EvaluatePrepared(versions []string, pr *Prepared) (bool, []string, error) {
	ok, fixed, err := in.evaluate(osv.Affected{Versions: versions}, pr, true)
	if !ok || in.err != nil {
		return ok, nil, err
	}
	return ok, fixed, err
}

// evaluate decides whether the version is affected by a (by the ranges
// of pr instead when pr is not nil); with wantFixed, it also collects the
// fixes of every range the version lies in (and then walks every range,
// not only up to the first hit).
func (in *Installed) evaluate(a osv.Affected, pr *Prepared, wantFixed bool) (bool, []string, error) {
	listed := slices.Contains(a.Versions, in.raw)
	if in.err != nil {
		if listed {
			return true, nil, nil
		}
		return false, nil, in.err
	}
	if !listed {
		for _, s := range a.Versions {
			if pv, err := in.p.Parse(s); err == nil && in.v.Compare(pv) == 0 {
				listed = true
				break
			}
		}
	}
	if listed && !wantFixed {
		return true, nil, nil
	}
	var errs []error
	var fixed []event
	hit := false
	n := len(a.Ranges)
	if pr != nil {
		n = len(pr.ranges)
	}
	for k := 0; k < n; k++ {
		var (
			typ string
			i   int
			re  rangeEval
			err error
		)
		if pr != nil {
			r := &pr.ranges[k]
			typ, i, re, err = r.typ, r.idx, r.re, r.err
		} else {
			r := a.Ranges[k]
			if !evaluable(r.Type) {
				continue
			}
			typ, i = r.Type, k
			re, err = prepareRange(in.p, r)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%w: %s range %d: %w", ErrInvalidRange, typ, i, err))
			continue
		}
		if !re.affected(in.v) {
			continue
		}
		hit = true
		if !wantFixed {
			return true, nil, nil
		}
		if f, ok := re.fix(in.v); ok && !slices.ContainsFunc(fixed, func(x event) bool { return x.version == f.version }) {
			fixed = append(fixed, f)
		}
	}
	if !listed && !hit {
		return false, nil, errors.Join(errs...)
	}
	slices.SortStableFunc(fixed, func(x, y event) int {
		if c := x.parsed.Compare(y.parsed); c != 0 {
			return c
		}
		return strings.Compare(x.version, y.version)
	})
	var out []string
	for _, f := range fixed {
		out = append(out, f.version)
	}
	return true, out, nil
}
