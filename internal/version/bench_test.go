package version

import (
	"testing"

	"github.com/trawlsec/trawl/internal/vulndb/osv"
)

func BenchmarkCompare(b *testing.B) {
	for _, sc := range schemeCases {
		b.Run(sc.name, func(b *testing.B) {
			for b.Loop() {
				for _, c := range sc.cases {
					if _, err := sc.cmp.Compare(c.a, c.b); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

func BenchmarkAffected(b *testing.B) {
	a := osv.Affected{Ranges: []osv.Range{
		{Type: osv.RangeSemver, Events: []osv.Event{
			{Introduced: "0"}, {Fixed: "0.3.3"},
			{Introduced: "0.4.0"}, {Fixed: "0.4.8"},
			{Introduced: "0.5.0"}, {Fixed: "0.5.2"},
		}},
	}}
	for b.Loop() {
		if _, err := Affected(Go{}, "v0.4.5", a); err != nil {
			b.Fatal(err)
		}
	}
}
