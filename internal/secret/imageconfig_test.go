package secret

import (
	"strings"
	"testing"
)

func TestScanImageConfig(t *testing.T) {
	g := newGen(51)
	akid := "AKIA" + g.s(csUN, 16)
	sk := g.s(csB64, 40)
	pat := "ghp_" + g.s(csAN, 36)
	raw := `{"architecture":"amd64","config":{"Env":["PATH=/usr/bin","AWS_ACCESS_KEY_ID=` + akid + `","AWS_SECRET_ACCESS_KEY=` + sk + `"],` +
		`"Labels":{"org.opencontainers.image.source":"https://example.com/x"}},` +
		`"history":[{"created_by":"ARG GITHUB_TOKEN=` + pat + `"},{"created_by":"/bin/sh -c #(nop)  CMD [\"serve\"]","empty_layer":true}]}`
	got, err := builtinScanner(t).ScanImageConfig([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"aws-access-key-id": akid, "aws-secret-access-key": sk, "github-pat": pat}
	if len(got) != len(want) {
		t.Fatalf("got %v", ids(got))
	}
	for _, f := range got {
		secret, ok := want[f.RuleID]
		if !ok {
			t.Errorf("unexpected %s", f.RuleID)
			continue
		}
		assertCensored(t, f.Match, f.Code.Lines, secret)
		if f.StartLine < 2 || f.StartLine != f.EndLine {
			t.Errorf("%s at lines %d-%d", f.RuleID, f.StartLine, f.EndLine)
		}
	}
	if _, err := builtinScanner(t).ScanImageConfig([]byte("{not json")); err == nil || !strings.Contains(err.Error(), "image config") {
		t.Errorf("err = %v", err)
	}
}
