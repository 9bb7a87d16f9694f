package secret

import (
	"fmt"
	"strings"
	"testing"
)

func TestMatchSpan(t *testing.T) {
	for expr, want := range map[string]int{
		`abc`:              3,
		`a{2,5}b?`:         6,
		`(?:ab|cdef)x`:     5,
		`a+`:               -1,
		`a{3,}`:            -1,
		`[a-z]{4}\b$`:      4,
		`(?i)k`:            3, // the Kelvin sign folds to k
		`[^a]`:             4,
		`(?P<secret>x.y)z`: 7,
		`(`:                -1,
	} {
		if got := matchSpan(expr); got != want {
			t.Errorf("matchSpan(%q) = %d, want %d", expr, got, want)
		}
	}
	s := builtinScanner(t)
	bounded := 0
	for _, r := range s.rules {
		if r.span > 0 {
			bounded++
		}
	}
	if bounded < len(s.rules)*3/4 {
		t.Errorf("only %d of %d rules have a bounded span", bounded, len(s.rules))
	}
}

// lineScanner is the scanner with keyword-centred windows turned off: every
// line-local rule sees whole keyword lines.
func lineScanner(t testing.TB) *Scanner {
	s := builtinScanner(t)
	for i := range s.rules {
		s.rules[i].span = 0
	}
	return s
}

func sameFindings(t testing.TB, a, b *Scanner, path string, content []byte) {
	t.Helper()
	x, y := a.Scan(path, content), b.Scan(path, content)
	if fmt.Sprint(x) != fmt.Sprint(y) {
		t.Fatalf("span windows and line windows differ on %q:\n%v\n%v", content, ids(x), ids(y))
	}
}

// TestSpanWindowsEquivalent puts every true positive into long lines full
// of keyword noise and checks that span windows find exactly what whole
// lines find.
func TestSpanWindowsEquivalent(t *testing.T) {
	s, ls := builtinScanner(t), lineScanner(t)
	g := newGen(41)
	noise := []string{"token", "AKIA", "pass", "://", "secret", "ghp_", "key", "=", ":", "\"", " ", "_", "-", "sk-", ".eyJ", "aws_"}
	var samples []string
	for _, c := range ruleCases() {
		tp, _ := c.tp(g)
		samples = append(samples, strings.ReplaceAll(tp, "\n", " "))
	}
	for i := 0; i < 300; i++ {
		var b strings.Builder
		for j := 0; j < 40; j++ {
			if g.r.IntN(4) == 0 {
				b.WriteString(samples[g.r.IntN(len(samples))])
			} else {
				b.WriteString(noise[g.r.IntN(len(noise))])
				b.WriteString(g.s(csAN, g.r.IntN(30)))
			}
			b.WriteString(noise[g.r.IntN(len(noise))])
		}
		sameFindings(t, s, ls, "min.js", []byte(b.String()))
	}
}
