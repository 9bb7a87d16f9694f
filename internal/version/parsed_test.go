package version

import (
	"testing"

	"github.com/trawlsec/trawl/internal/vulndb/osv"
)

// TestParsedCompare checks that every comparator is a Parser whose parsed
// comparison agrees with Compare, and whose Parse fails as Valid does.
func TestParsedCompare(t *testing.T) {
	for _, sc := range schemeCases {
		p, ok := sc.cmp.(Parser)
		if !ok {
			t.Errorf("%s: comparator is not a Parser", sc.name)
			continue
		}
		for _, c := range sc.cases {
			pa, err := p.Parse(c.a)
			if err != nil {
				t.Fatalf("%s: Parse(%q): %v", sc.name, c.a, err)
			}
			pb, err := p.Parse(c.b)
			if err != nil {
				t.Fatalf("%s: Parse(%q): %v", sc.name, c.b, err)
			}
			if got := pa.Compare(pb); got != c.want {
				t.Errorf("%s: parsed %q vs %q = %d, want %d", sc.name, c.a, c.b, got, c.want)
			}
			if got := pb.Compare(pa); got != -c.want {
				t.Errorf("%s: parsed %q vs %q = %d, want %d", sc.name, c.b, c.a, got, -c.want)
			}
		}
		for _, v := range sc.invalid {
			_, perr := p.Parse(v)
			verr := sc.cmp.Valid(v)
			if perr == nil || verr == nil || perr.Error() != verr.Error() {
				t.Errorf("%s: Parse(%q) error %v, Valid %v", sc.name, v, perr, verr)
			}
		}
	}
}

// plainComparator hides the Parse method of a comparator.
type plainComparator struct{ Comparator }

// TestInstalledFallback checks the Comparator-only path of NewInstalled and
// that Evaluate gives what Affected and FixedVersions give.
func TestInstalledFallback(t *testing.T) {
	a := osv.Affected{Versions: []string{"0.9.9"}, Ranges: []osv.Range{
		{Type: osv.RangeSemver, Events: []osv.Event{
			{Introduced: "0"}, {Fixed: "0.3.3"},
			{Introduced: "0.4.0"}, {Fixed: "0.4.8"},
		}},
		{Type: osv.RangeEcosystem, Events: []osv.Event{{Introduced: "0.4.1"}, {Fixed: "0.4.9"}}},
	}}
	for _, cmp := range []Comparator{SemVer{}, plainComparator{SemVer{}}} {
		for v, want := range map[string][]string{"0.4.5": {"0.4.8", "0.4.9"}, "0.4.0": {"0.4.8"}, "0.9.9": nil, "1.0.0": nil} {
			ok, fixed, err := NewInstalled(cmp, v).Evaluate(a)
			wantOK, _ := Affected(cmp, v, a)
			if err != nil || ok != wantOK || ok != (v != "1.0.0") || len(fixed) != len(want) {
				t.Fatalf("%T %s: Evaluate = %v %v %v", cmp, v, ok, fixed, err)
			}
			for i := range want {
				if fixed[i] != want[i] {
					t.Fatalf("%T %s: fixed %v, want %v", cmp, v, fixed, want)
				}
			}
		}
	}
}
