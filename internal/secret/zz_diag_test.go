package secret

import (
	"fmt"
	"slices"
	"sort"
	"testing"
	"time"
)

func TestDiagRules(t *testing.T) {
	s := builtinScanner(t)
	paths, contents, _ := loadTree(t, benchTree(t))
	dur := make([]time.Duration, len(s.rules))
	wins := make([]int, len(s.rules))
	var hits []hit
	var pf, tot time.Duration
	for k := 0; k < 3; k++ {
		for fi, c := range contents {
			t00 := time.Now()
			if len(c) < MinSize || IsBinary(c) || s.allowedPath(paths[fi]) {
				continue
			}
			t0 := time.Now()
			hits = s.kw.find(c, hits[:0])
			pf += time.Since(t0)
			pos := make([][]int32, len(s.rules))
			act := make([]bool, len(s.rules))
			for _, h := range hits {
				for _, g := range s.kwRules[h.kw] {
					ri := g.rule
					if g.exact != nil && string(c[int(h.end)-len(g.exact):h.end]) != string(g.exact) {
						continue
					}
					act[ri] = true
					pos[ri] = append(pos[ri], h.end-1)
				}
			}
			for ri := range s.rules {
				if !act[ri] {
					continue
				}
				t0 := time.Now()
				r := &s.rules[ri]
				if r.lineLocal {
					slices.Sort(pos[ri])
					forEachWindow(c, pos[ri], func(lo, hi int) { wins[ri] += hi - lo; s.matchRule(nil, ri, paths[fi], c, lo, hi) })
				} else {
					s.matchRule(nil, ri, paths[fi], c, 0, len(c))
				}
				dur[ri] += time.Since(t0)
			}
			tot += time.Since(t00)
		}
	}
	fmt.Println("prefilter", pf, "total", tot)
	idx := make([]int, len(s.rules))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return dur[idx[a]] > dur[idx[b]] })
	for _, i := range idx[:12] {
		fmt.Println(s.rules[i].ID, dur[i], wins[i])
	}
}
