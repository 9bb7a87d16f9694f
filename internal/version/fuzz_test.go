package version

import (
	"errors"
	"testing"

	"github.com/trawlsec/trawl/internal/vulndb/osv"
)

// fuzzCompare checks, for any pair of strings, that cmp does not panic,
// that Compare fails exactly when one side is invalid, and that valid
// versions satisfy Compare(a, a) == 0 and Compare(a, b) == -Compare(b, a).
func fuzzCompare(f *testing.F, name string) {
	var cmp Comparator
	for _, sc := range schemeCases {
		if sc.name == name {
			cmp = sc.cmp
			for _, c := range sc.cases {
				f.Add(c.a, c.b)
			}
			for _, v := range sc.invalid {
				f.Add(v, sc.cases[0].a)
			}
		}
	}
	if cmp == nil {
		f.Fatalf("no scheme %q", name)
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		errA, errB := cmp.Valid(a), cmp.Valid(b)
		ab, err := cmp.Compare(a, b)
		if (errA != nil || errB != nil) != (err != nil) {
			t.Fatalf("Compare(%q, %q) error %v, but Valid: %v, %v", a, b, err, errA, errB)
		}
		if err != nil {
			if !errors.Is(err, ErrInvalidVersion) {
				t.Fatalf("Compare(%q, %q) error %v does not wrap ErrInvalidVersion", a, b, err)
			}
			return
		}
		if ab < -1 || ab > 1 {
			t.Fatalf("Compare(%q, %q) = %d, not in -1..1", a, b, ab)
		}
		if aa, err := cmp.Compare(a, a); err != nil || aa != 0 {
			t.Fatalf("Compare(%q, %q) = %d, %v; want 0", a, a, aa, err)
		}
		ba, err := cmp.Compare(b, a)
		if err != nil || ba != -ab {
			t.Fatalf("Compare(%q, %q) = %d but Compare(%q, %q) = %d, %v", a, b, ab, b, a, ba, err)
		}
		// The parsed path orders as Compare does.
		pa, errA := cmp.(Parser).Parse(a)
		pb, errB := cmp.(Parser).Parse(b)
		if errA != nil || errB != nil || pa.Compare(pb) != ab {
			t.Fatalf("Parse(%q).Compare(Parse(%q)) disagrees with Compare = %d (%v, %v)", a, b, ab, errA, errB)
		}
	})
}

func FuzzCompareDeb(f *testing.F)      { fuzzCompare(f, "deb") }
func FuzzCompareRPM(f *testing.F)      { fuzzCompare(f, "rpm") }
func FuzzCompareAPK(f *testing.F)      { fuzzCompare(f, "apk") }
func FuzzCompareSemVer(f *testing.F)   { fuzzCompare(f, "semver") }
func FuzzCompareGo(f *testing.F)       { fuzzCompare(f, "go") }
func FuzzComparePEP440(f *testing.F)   { fuzzCompare(f, "pep440") }
func FuzzCompareMaven(f *testing.F)    { fuzzCompare(f, "maven") }
func FuzzCompareGem(f *testing.F)      { fuzzCompare(f, "gem") }
func FuzzCompareNuGet(f *testing.F)    { fuzzCompare(f, "nuget") }
func FuzzCompareComposer(f *testing.F) { fuzzCompare(f, "composer") }

// FuzzAffected evaluates random ranges under the SemVer and PEP 440
// comparators: it must not panic, a listed version must match, an open
// range from "0" must match every valid version, and every fixed version
// returned must be above v and come from a fixed event.
func FuzzAffected(f *testing.F) {
	f.Add("1.0.1", "1.0.0", "1.0.2", "3.0.0", "3.2.5", "")
	f.Add("2.0rc1", "0", "2.0", "", "", "3.0")
	f.Add("1.0.0", "1.0.0", "1.0.0", "x", "", "*")
	f.Fuzz(func(t *testing.T, v, in1, fix1, in2, fix2, lim string) {
		for _, cmp := range []Comparator{SemVer{}, PEP440{}} {
			events := []osv.Event{{Introduced: in1}, {Fixed: fix1}, {Introduced: in2}, {Fixed: fix2}, {Limit: lim}}
			var kept []osv.Event
			for _, e := range events {
				if e != (osv.Event{}) {
					kept = append(kept, e)
				}
			}
			a := osv.Affected{Ranges: []osv.Range{{Type: osv.RangeEcosystem, Events: kept}}}
			got, err := Affected(cmp, v, a)
			if got && err != nil {
				t.Fatalf("Affected(%q) = true with error %v", v, err)
			}
			valid := cmp.Valid(v) == nil
			for _, fx := range FixedVersions(cmp, v, a) {
				if c, err := cmp.Compare(v, fx); err != nil || c >= 0 {
					t.Fatalf("FixedVersions(%q) returned %q, not above it (%d, %v)", v, fx, c, err)
				}
				if fx != fix1 && fx != fix2 {
					t.Fatalf("FixedVersions(%q) returned %q, not a fixed event", v, fx)
				}
			}
			listed := osv.Affected{Versions: []string{in1, v}}
			if got, err := Affected(cmp, v, listed); valid && (!got || err != nil) {
				t.Fatalf("listed version %q: %v, %v", v, got, err)
			}
			open := osv.Affected{Ranges: []osv.Range{{Type: osv.RangeSemver, Events: []osv.Event{{Introduced: "0"}}}}}
			if got, err := Affected(cmp, v, open); valid != got || valid != (err == nil) {
				t.Fatalf("open range, %q (valid %v): %v, %v", v, valid, got, err)
			}
		}
	})
}
