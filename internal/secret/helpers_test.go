package secret

import (
	"strings"
	"testing"

	"github.com/trawlsec/trawl/pkg/model"
)

func ids(ss []model.Secret) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.RuleID)
	}
	return out
}

// assertCensored checks that no part of the secret (any line of it) is
// visible in the match or the code lines, and that the match shows '*'.
func assertCensored(t *testing.T, match string, lines []model.Line, secret string) {
	t.Helper()
	if !strings.Contains(match, "*") {
		t.Errorf("match %q is not censored", match)
	}
	for _, part := range strings.Split(secret, "\n") {
		if len(part) < 4 {
			continue
		}
		if strings.Contains(match, part) {
			t.Errorf("match %q shows the secret", match)
		}
		for _, l := range lines {
			if strings.Contains(l.Content, part) {
				t.Errorf("line %d %q shows the secret", l.Number, l.Content)
			}
		}
	}
}
