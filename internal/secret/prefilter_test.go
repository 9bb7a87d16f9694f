package secret

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// naiveHits is the reference: every (keyword, end) by brute force.
func naiveHits(data []byte, kws []string) []hit {
	fold := func(b []byte) []byte {
		out := make([]byte, len(b))
		for i, c := range b {
			out[i] = lowerASCII(c)
		}
		return out
	}
	ld := fold(data)
	var out []hit
	for i := range ld {
		for id, k := range kws {
			if bytes.HasPrefix(ld[i:], fold([]byte(k))) {
				out = append(out, hit{kw: int32(id), end: int32(i + len(k))})
			}
		}
	}
	return sortHits(out)
}

func sortHits(h []hit) []hit {
	slices.SortFunc(h, func(a, b hit) int {
		if a.end != b.end {
			return int(a.end - b.end)
		}
		return int(a.kw - b.kw)
	})
	return h
}

func checkMatchers(t *testing.T, kws []string, data []byte) {
	t.Helper()
	want := naiveHits(data, kws)
	dfa := sortHits(newKeywordMatcher(kws).find(data, nil))
	if fmt.Sprint(dfa) != fmt.Sprint(want) {
		t.Fatalf("DFA on %q with %q:\n got %v\nwant %v", data, kws, dfa, want)
	}
	if pm, ok := newPairMatcher(kws); ok {
		got := sortHits(pm.find(data, nil))
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("pair matcher on %q with %q:\n got %v\nwant %v", data, kws, got, want)
		}
	}
}

func TestMatchers(t *testing.T) {
	kws := []string{"key", "AKIA", "he", "she", "his", "hers", "x", "Q~", "ghp_", "k"}
	for _, d := range []string{"", "x", "ushers", "AKIAkeyKEY", "ghp_ghp_", "aQ~q~", "kkk", "hishe", "\xffKe\x00Y"} {
		checkMatchers(t, kws, []byte(d))
	}
	g := newGen(21)
	for i := 0; i < 300; i++ {
		var ks []string
		for j := 0; j < 1+g.r.IntN(6); j++ {
			ks = append(ks, g.s("abAB_-", 1+g.r.IntN(4)))
		}
		checkMatchers(t, ks, []byte(g.s("abcABC_-\n", g.r.IntN(200))))
	}
}

func TestPairMatcherFallback(t *testing.T) {
	// More than 63 distinct leading bytes: the scanner falls back to the DFA.
	var kws []string
	for c := 0; c < 100; c++ {
		kws = append(kws, string(rune('!'+c))+"zz")
	}
	if _, ok := newPairMatcher(kws); ok {
		t.Fatal("pair matcher accepted 100 leading classes")
	}
	checkMatchers(t, kws, []byte("a!zz b\"zz c#zZ"))
}

func FuzzMatchers(f *testing.F) {
	f.Add("key,AKIA,ghp_,x", []byte("an AKIA key ghp_x"))
	f.Add("Q~,pass", []byte("aQ~bPASSWORD"))
	f.Fuzz(func(t *testing.T, list string, data []byte) {
		var kws []string
		for _, k := range strings.Split(list, ",") {
			if k != "" && len(k) < 16 {
				kws = append(kws, k)
			}
		}
		if len(kws) == 0 || len(kws) > 32 || len(data) > 4096 {
			return
		}
		checkMatchers(t, kws, data)
	})
}
