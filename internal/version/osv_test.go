package version

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/trawlsec/trawl/internal/vulndb/osv"
)

func rng(typ string, events ...osv.Event) osv.Range {
	return osv.Range{Type: typ, Events: events}
}

func intro(v string) osv.Event   { return osv.Event{Introduced: v} }
func fixed(v string) osv.Event   { return osv.Event{Fixed: v} }
func lastAff(v string) osv.Event { return osv.Event{LastAffected: v} }
func limit(v string) osv.Event   { return osv.Event{Limit: v} }

func TestAffected(t *testing.T) {
	semverMulti := osv.Affected{Ranges: []osv.Range{rng(osv.RangeSemver,
		intro("1.0.0"), fixed("1.0.2"), intro("3.0.0"), fixed("3.2.5"))}}
	// The same events, shuffled: evaluation must sort them first.
	semverShuffled := osv.Affected{Ranges: []osv.Range{rng(osv.RangeSemver,
		fixed("3.2.5"), intro("1.0.0"), intro("3.0.0"), fixed("1.0.2"))}}
	tests := []struct {
		name    string
		cmp     Comparator
		a       osv.Affected
		version string
		want    bool
	}{
		{"introduced 0 open", SemVer{}, osv.Affected{Ranges: []osv.Range{rng(osv.RangeSemver, intro("0"))}}, "0.0.1", true},
		{"introduced 0 open, any version", SemVer{}, osv.Affected{Ranges: []osv.Range{rng(osv.RangeSemver, intro("0"))}}, "99.0.0", true},
		{"introduced 0 fixed, below", SemVer{}, osv.Affected{Ranges: []osv.Range{rng(osv.RangeSemver, intro("0"), fixed("1.0.2"))}}, "1.0.1", true},
		{"introduced 0 fixed, at fix", SemVer{}, osv.Affected{Ranges: []osv.Range{rng(osv.RangeSemver, intro("0"), fixed("1.0.2"))}}, "1.0.2", false},
		{"introduced 0 fixed, pre-release of fix", SemVer{}, osv.Affected{Ranges: []osv.Range{rng(osv.RangeSemver, intro("0"), fixed("1.0.2"))}}, "1.0.2-rc.1", true},
		{"multi: below first", SemVer{}, semverMulti, "0.9.0", false},
		{"multi: at first introduced", SemVer{}, semverMulti, "1.0.0", true},
		{"multi: in first", SemVer{}, semverMulti, "1.0.1", true},
		{"multi: at first fix", SemVer{}, semverMulti, "1.0.2", false},
		{"multi: between", SemVer{}, semverMulti, "2.5.0", false},
		{"multi: in second", SemVer{}, semverMulti, "3.1.0", true},
		{"multi: at second fix", SemVer{}, semverMulti, "3.2.5", false},
		{"multi: above", SemVer{}, semverMulti, "4.0.0", false},
		{"shuffled: in first", SemVer{}, semverShuffled, "1.0.1", true},
		{"shuffled: between", SemVer{}, semverShuffled, "2.0.0", false},
		{"shuffled: in second", SemVer{}, semverShuffled, "3.2.4", true},
		{"shuffled: above", SemVer{}, semverShuffled, "3.2.5", false},
		{"last_affected: at", SemVer{}, osv.Affected{Ranges: []osv.Range{rng(osv.RangeSemver, intro("1.0.0"), lastAff("1.4.0"))}}, "1.4.0", true},
		{"last_affected: above", SemVer{}, osv.Affected{Ranges: []osv.Range{rng(osv.RangeSemver, intro("1.0.0"), lastAff("1.4.0"))}}, "1.4.1", false},
		{"last_affected: below introduced", SemVer{}, osv.Affected{Ranges: []osv.Range{rng(osv.RangeSemver, intro("1.0.0"), lastAff("1.4.0"))}}, "0.9.0", false},
		{"limit: below", SemVer{}, osv.Affected{Ranges: []osv.Range{rng(osv.RangeSemver, intro("0"), limit("2.0.0"))}}, "1.9.9", true},
		{"limit: at", SemVer{}, osv.Affected{Ranges: []osv.Range{rng(osv.RangeSemver, intro("0"), limit("2.0.0"))}}, "2.0.0", false},
		{"limit: several, below one", SemVer{}, osv.Affected{Ranges: []osv.Range{rng(osv.RangeSemver, intro("0"), limit("2.0.0"), limit("3.0.0"))}}, "2.5.0", true},
		{"limit: star", SemVer{}, osv.Affected{Ranges: []osv.Range{rng(osv.RangeSemver, intro("0"), limit("*"))}}, "9.0.0", true},
		{"limit: with fix inside", SemVer{}, osv.Affected{Ranges: []osv.Range{rng(osv.RangeSemver, intro("0"), fixed("1.0.0"), limit("2.0.0"))}}, "1.5.0", false},
		{"introduced and fixed equal: empty", SemVer{}, osv.Affected{Ranges: []osv.Range{rng(osv.RangeSemver, intro("1.0.0"), fixed("1.0.0"))}}, "1.0.0", false},
		{"versions only: listed", PEP440{}, osv.Affected{Versions: []string{"1.0", "1.1"}}, "1.1", true},
		{"versions only: equal under comparator", PEP440{}, osv.Affected{Versions: []string{"1.0", "1.1"}}, "1.1.0", true},
		{"versions only: not listed", PEP440{}, osv.Affected{Versions: []string{"1.0", "1.1"}}, "1.2", false},
		{"versions only: unparsable entry, exact string", PEP440{}, osv.Affected{Versions: []string{"weird-ver"}}, "1.0", false},
		{"versions only: unparsable version listed verbatim", PEP440{}, osv.Affected{Versions: []string{"0.1-bulbasaur"}}, "0.1-bulbasaur", true},
		{"versions or ranges", PEP440{}, osv.Affected{Versions: []string{"0.5"}, Ranges: []osv.Range{rng(osv.RangeEcosystem, intro("1.0"), fixed("2.0"))}}, "0.5", true},
		{"two ranges OR-ed", PEP440{}, osv.Affected{Ranges: []osv.Range{
			rng(osv.RangeEcosystem, intro("1.0"), fixed("1.5")),
			rng(osv.RangeEcosystem, intro("2.0"), fixed("2.5"))}}, "2.1", true},
		{"ecosystem range, PEP 440 pre-release", PEP440{}, osv.Affected{Ranges: []osv.Range{rng(osv.RangeEcosystem, intro("0"), fixed("2.0"))}}, "2.0rc1", true},
		{"ecosystem range, post-release is fixed", PEP440{}, osv.Affected{Ranges: []osv.Range{rng(osv.RangeEcosystem, intro("0"), fixed("2.0"))}}, "2.0.post1", false},
		{"GIT range ignored", SemVer{}, osv.Affected{Ranges: []osv.Range{{Type: osv.RangeGit, Repo: "https://x", Events: []osv.Event{intro("0")}}}}, "1.0.0", false},
		{"go: v-prefixed package, bare record", Go{}, osv.Affected{Ranges: []osv.Range{rng(osv.RangeSemver, intro("0"), fixed("0.3.7"))}}, "v0.3.5", true},
		{"go: pseudo-version before fix", Go{}, osv.Affected{Ranges: []osv.Range{rng(osv.RangeSemver, intro("0"), fixed("0.0.0-20210520170846-37e1c6afe023"))}}, "v0.0.0-20210226172049-e18ecbb05110", true},
		{"go: +incompatible at fix", Go{}, osv.Affected{Ranges: []osv.Range{rng(osv.RangeSemver, intro("0"), fixed("4.0.0"))}}, "v3.2.0+incompatible", true},
		{"deb: backported fix", Deb{}, osv.Affected{Ranges: []osv.Range{rng(osv.RangeEcosystem, intro("0"), fixed("1.26.12-1+deb12u1"))}}, "1.26.12-1+deb12u4", false},
		{"deb: epoch", Deb{}, osv.Affected{Ranges: []osv.Range{rng(osv.RangeEcosystem, intro("0"), fixed("1:2.0-1"))}}, "3.0-1", true},
		{"apk: revision", APK{}, osv.Affected{Ranges: []osv.Range{rng(osv.RangeEcosystem, intro("0"), fixed("1.1.1g-r0"))}}, "1.1.1d-r3", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Affected(tt.cmp, tt.version, tt.a)
			if err != nil {
				t.Fatalf("Affected(%q): %v", tt.version, err)
			}
			checkEvaluators(t, tt.cmp, tt.version, tt.a)
			if got != tt.want {
				t.Errorf("Affected(%q) = %v, want %v", tt.version, got, tt.want)
			}
		})
	}
}

func TestAffectedErrors(t *testing.T) {
	open := osv.Affected{Ranges: []osv.Range{rng(osv.RangeSemver, intro("0"))}}
	// An invalid package version never matches, even an open range.
	if got, err := Affected(SemVer{}, "not-a-version", open); got || !errors.Is(err, ErrInvalidVersion) || errors.Is(err, ErrInvalidRange) {
		t.Errorf("invalid package version: got %v, %v; want false, ErrInvalidVersion", got, err)
	}
	// An invalid event version makes its range unevaluable: an error,
	// not a silent "not affected".
	bad := osv.Affected{Ranges: []osv.Range{rng(osv.RangeSemver, intro("0"), fixed("one.two"))}}
	if got, err := Affected(SemVer{}, "1.0.0", bad); got || !errors.Is(err, ErrInvalidVersion) || !errors.Is(err, ErrInvalidRange) {
		t.Errorf("invalid event: got %v, %v; want false, ErrInvalidVersion", got, err)
	}
	// ... unless another range already says affected.
	mixed := osv.Affected{Ranges: []osv.Range{bad.Ranges[0], rng(osv.RangeSemver, intro("0"), fixed("2.0.0"))}}
	if got, err := Affected(SemVer{}, "1.0.0", mixed); !got || err != nil {
		t.Errorf("invalid and valid range: got %v, %v; want true, nil", got, err)
	}
	// An event with two fields set is malformed.
	two := osv.Affected{Ranges: []osv.Range{rng(osv.RangeSemver, osv.Event{Introduced: "0", Fixed: "1.0.0"})}}
	if got, err := Affected(SemVer{}, "0.5.0", two); got || !errors.Is(err, ErrInvalidRange) {
		t.Errorf("two-field event: got %v, %v; want false, error", got, err)
	}
	empty := osv.Affected{Ranges: []osv.Range{rng(osv.RangeSemver, osv.Event{})}}
	if _, err := Affected(SemVer{}, "0.5.0", empty); err == nil {
		t.Error("empty event: want error")
	}
	for _, a := range []osv.Affected{bad, mixed, two, empty} {
		for _, v := range []string{"0.5.0", "1.0.0", "3.0.0", "x"} {
			checkEvaluators(t, SemVer{}, v, a)
		}
	}
	badLimit := osv.Affected{Ranges: []osv.Range{rng(osv.RangeSemver, intro("0"), limit("x.y"))}}
	if _, err := Affected(SemVer{}, "0.5.0", badLimit); !errors.Is(err, ErrInvalidVersion) {
		t.Errorf("invalid limit: got %v, want ErrInvalidVersion", err)
	}
}

func TestFixedVersions(t *testing.T) {
	multi := osv.Affected{Ranges: []osv.Range{rng(osv.RangeSemver,
		fixed("3.2.5"), intro("1.0.0"), intro("3.0.0"), fixed("1.0.2"))}}
	tests := []struct {
		name    string
		cmp     Comparator
		a       osv.Affected
		version string
		want    []string
	}{
		{"first interval", SemVer{}, multi, "1.0.1", []string{"1.0.2"}},
		{"second interval", SemVer{}, multi, "3.0.0", []string{"3.2.5"}},
		{"not affected", SemVer{}, multi, "2.0.0", nil},
		{"open range", SemVer{}, osv.Affected{Ranges: []osv.Range{rng(osv.RangeSemver, intro("0"))}}, "1.0.0", nil},
		{"last_affected gives no fix", SemVer{}, osv.Affected{Ranges: []osv.Range{rng(osv.RangeSemver, intro("0"), lastAff("1.0.0"))}}, "1.0.0", nil},
		{"invalid version", SemVer{}, multi, "x", nil},
		{"several ranges, sorted and de-duplicated", Go{}, osv.Affected{Ranges: []osv.Range{
			rng(osv.RangeSemver, intro("0"), fixed("1.10.0")),
			rng(osv.RangeSemver, intro("0"), fixed("1.9.2")),
			rng(osv.RangeSemver, intro("1.0.0"), fixed("1.10.0")),
			rng(osv.RangeSemver, intro("2.0.0"), fixed("2.1.0")), // v not in it
		}}, "v1.5.0", []string{"1.9.2", "1.10.0"}},
		{"pep440", PEP440{}, osv.Affected{Ranges: []osv.Range{rng(osv.RangeEcosystem, intro("0"), fixed("2.31.0"))}}, "2.28.1", []string{"2.31.0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FixedVersions(tt.cmp, tt.version, tt.a)
			checkEvaluators(t, tt.cmp, tt.version, tt.a)
			if !slices.Equal(got, tt.want) {
				t.Errorf("FixedVersions(%q) = %q, want %q", tt.version, got, tt.want)
			}
		})
	}
}

// checkEvaluators checks that Installed.Evaluate and EvaluatePrepared give
// what Affected and FixedVersions give.
func checkEvaluators(t *testing.T, cmp Comparator, v string, a osv.Affected) {
	t.Helper()
	wantOK, wantErr := Affected(cmp, v, a)
	var wantFixed []string
	if wantOK {
		wantFixed = FixedVersions(cmp, v, a)
	}
	in := NewInstalled(cmp, v)
	for name, eval := range map[string]func() (bool, []string, error){
		"Evaluate":         func() (bool, []string, error) { return in.Evaluate(a) },
		"EvaluatePrepared": func() (bool, []string, error) { return in.EvaluatePrepared(a.Versions, Prepare(cmp, a.Ranges)) },
	} {
		ok, fixed, err := eval()
		if ok != wantOK || !slices.Equal(fixed, wantFixed) || fmt.Sprint(err) != fmt.Sprint(wantErr) {
			t.Errorf("%s(%q) = %v %q %v; Affected and FixedVersions give %v %q %v", name, v, ok, fixed, err, wantOK, wantFixed, wantErr)
		}
	}
}
