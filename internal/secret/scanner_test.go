package secret

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/trawlsec/trawl/pkg/model"
)

func TestScanLinesAndContext(t *testing.T) {
	g := newGen(7)
	pat := "ghp_" + g.s(csAN, 36)
	akid := "AKIA" + g.s(csUN, 16)
	lines := []string{
		"#!/bin/sh",                // 1
		"set -e",                   // 2
		"export AWS=" + akid,       // 3 (context of the PAT, censored too)
		"",                         // 4
		"export GITHUB_PAT=" + pat, // 5
		"echo done",                // 6
		"exit 0",                   // 7
		"# trailer",                // 8
	}
	content := strings.Join(lines, "\n") + "\n"
	s := builtinScanner(t)
	got := s.Scan("deploy.sh", []byte(content))
	if len(got) != 2 {
		t.Fatalf("got %v", ids(got))
	}
	if got[0].RuleID != "aws-access-key-id" || got[1].RuleID != "github-pat" {
		t.Fatalf("order %v", ids(got))
	}
	ghp := got[1]
	stars := strings.Repeat("*", len(pat))
	want := model.Secret{
		RuleID: "github-pat", Category: "GitHub", Severity: "CRITICAL", Title: "GitHub Personal Access Token",
		StartLine: 5, EndLine: 5,
		Match:  "export GITHUB_PAT=" + stars,
		Offset: strings.Index(content, pat),
		Code: model.Code{Lines: []model.Line{
			{Number: 3, Content: "export AWS=" + strings.Repeat("*", 20)},
			{Number: 4, Content: ""},
			{Number: 5, Content: "export GITHUB_PAT=" + stars, IsCause: true, FirstCause: true, LastCause: true},
			{Number: 6, Content: "echo done"},
			{Number: 7, Content: "exit 0"},
		}},
	}
	if d := cmp.Diff(want, ghp); d != "" {
		t.Errorf("github-pat finding (-want +got):\n%s", d)
	}
	// First line of the file: context is clipped at the top.
	if n := got[0].Code.Lines[0].Number; n != 1 {
		t.Errorf("context starts at line %d", n)
	}
}

func TestScanCRLFAndLastLine(t *testing.T) {
	g := newGen(8)
	pat := "ghp_" + g.s(csAN, 36)
	content := "a\r\nb\r\nGH=" + pat // no final newline
	got := builtinScanner(t).Scan("x.txt", []byte(content))
	if len(got) != 1 || got[0].StartLine != 3 {
		t.Fatalf("got %+v", got)
	}
	if l := got[0].Code.Lines; len(l) != 3 || l[0].Content != "a" || l[2].Content != "GH="+strings.Repeat("*", 40) {
		t.Errorf("lines %+v", l)
	}
}

func TestScanMultilinePrivateKey(t *testing.T) {
	g := newGen(9)
	body := []string{g.s(csB64, 64), g.s(csB64, 64), g.s(csB64, 12) + "=="}
	content := "x: 1\n-----BEGIN OPENSSH PRIVATE KEY-----\n" + strings.Join(body, "\n") + "\n-----END OPENSSH PRIVATE KEY-----\ny: 2\n"
	got := builtinScanner(t).Scan("id_ed25519", []byte(content))
	if len(got) != 1 || got[0].RuleID != "private-key" {
		t.Fatalf("got %v", ids(got))
	}
	f := got[0]
	if f.StartLine != 3 || f.EndLine != 5 {
		t.Errorf("lines %d-%d, want 3-5", f.StartLine, f.EndLine)
	}
	assertCensored(t, f.Match, f.Code.Lines, strings.Join(body, "\n"))
	var causes []int
	for _, l := range f.Code.Lines {
		if l.IsCause {
			causes = append(causes, l.Number)
		}
	}
	if fmt.Sprint(causes) != "[3 4 5]" {
		t.Errorf("cause lines %v", causes)
	}
	if first, last := f.Code.Lines[0].Number, f.Code.Lines[len(f.Code.Lines)-1].Number; first != 1 || last != 7 {
		t.Errorf("context %d..%d, want 1..7", first, last)
	}
	// PGP and JSON-escaped (service account) keys.
	pgp := "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n" + body[0] + "\n" + body[1] + "\n-----END PGP PRIVATE KEY BLOCK-----\n"
	if got := builtinScanner(t).Scan("k.asc", []byte(pgp)); len(got) != 1 || got[0].RuleID != "private-key" {
		t.Errorf("PGP: %v", ids(got))
	}
	js := `{"private_key": "-----BEGIN PRIVATE KEY-----\n` + body[0] + `\n` + body[1] + `\n-----END PRIVATE KEY-----\n"}`
	if got := builtinScanner(t).Scan("sa.json", []byte(js)); len(got) != 1 || got[0].RuleID != "private-key" {
		t.Errorf("JSON-escaped: %v", ids(got))
	}
}

func TestScanDedup(t *testing.T) {
	g := newGen(10)
	pat := "ghp_" + g.s(csAN, 36)
	sk := g.s(csAN, 40)
	content := "GITHUB_TOKEN=" + pat + "\nAWS_SECRET_ACCESS_KEY=" + sk + "\nFACEBOOK_SECRET=\"" + g.s(csHex, 32) + "\"\n"
	got := builtinScanner(t).Scan(".env", []byte(content))
	want := []string{"github-pat", "aws-secret-access-key", "facebook-token"}
	if fmt.Sprint(ids(got)) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v (specific rules win over generic ones, one finding per secret)", ids(got), want)
	}
}

func TestScanSkips(t *testing.T) {
	s := builtinScanner(t)
	pat := "ghp_" + newGen(11).s(csAN, 36)
	if got := s.Scan("a.txt", []byte("x\x00y\x01"+pat)); got != nil {
		t.Errorf("binary content scanned: %v", ids(got))
	}
	if got := s.Scan("a.pyc", []byte("x\x00y\x01 "+pat+" ")); len(got) != 1 {
		t.Errorf(".pyc should be scanned despite binary content: %v", ids(got))
	}
	if got := s.Scan("a.txt", []byte("ghp_12345")); got != nil {
		t.Errorf("file under MinSize scanned")
	}
	if got := s.Scan("src/tests/fixture.env", []byte("T="+pat)); got != nil {
		t.Errorf("built-in 'tests' allow rule ignored: %v", ids(got))
	}
	if got := s.Scan("README.md", []byte("T="+pat)); got != nil {
		t.Errorf("built-in 'markdown' allow rule ignored")
	}
	if !IsBinary([]byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0}) || IsBinary([]byte("plain\ttext\r\n\x1b[0m")) {
		t.Error("IsBinary")
	}
}

func TestRequired(t *testing.T) {
	s := builtinScanner(t)
	for p, want := range map[string]bool{
		"app/.env":                    true,
		"/app/config.yaml":            true,
		".git/config":                 false,
		"repo/.git/objects/ab/cd":     false,
		"web/node_modules/x/index.js": false,
		"go.sum":                      false,
		"svc/go.mod":                  false,
		"img/logo.png":                false,
		"dist/app.tar":                false,
		"pkg/yarn.lock":               false,
		"pkg/tests/data.env":          false, // allow rule tests
		"vendor/github.com/x/y.go":    false,
		"usr/share/doc/x/README":      false,
		"usr/local/go/src/x.go":       false,
		"lib/python3.11/site-packages/requests/api.py": false,
		"x/foo-1.0.dist-info/METADATA":                 false,
		"notes.md":                                     false,
		"testing.env":                                  true,
		"attest/x":                                     true,
		"a/tests":                                      true, // a file named tests
	} {
		if got := s.Required(p); got != want {
			t.Errorf("Required(%q) = %v, want %v", p, got, want)
		}
	}
	// skip-patterns: [] disables skipping; custom globs replace the defaults.
	s2, err := NewScanner(Config{SkipPatterns: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	if !s2.Required(".git/config") || !s2.Required("go.sum") {
		t.Error("empty skip-patterns should disable skipping")
	}
	s3, err := NewScanner(Config{SkipPatterns: []string{"**/*.lock", "build/**", "**/secret-?.txt"}})
	if err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]bool{"a/b.lock": false, "build/x/y": false, "x/build/y": true, "d/secret-1.txt": false, ".git/config": true} {
		if got := s3.Required(p); got != want {
			t.Errorf("custom skip: Required(%q) = %v, want %v", p, got, want)
		}
	}
}

// TestAllowFastMatchesRegexp checks that the regexp-free matchers of the
// built-in allow rules agree with their documented regexps.
func TestAllowFastMatchesRegexp(t *testing.T) {
	allow, err := BuiltinAllowRules()
	if err != nil {
		t.Fatal(err)
	}
	parts := []string{"test", "tests", "testdata", "__tests__", "example", "examples", "vendor", "usr", "share", "include",
		"lib", "local", "go", "pkg", "mod", "locale", "locales", "node_modules", "site-packages", "dist-packages", "gems",
		"wp-includes", "wp-admin", "x.dist-info", "conda-meta", "a.md", "src", "x", "attest", "README.md", ".dist-info",
		"fixtures", "__fixtures__", "fixture", "a_test.go", "a_test.py", "test_a.py", "test_.py", "test_a.pyc", "atest_a.py",
		"test.py", "a.spec.ts", "a.test.tsx", "a.test.mjs", "a.spec.go", "a.tests.js", "latest.go", "contest_x.go"}
	g := newGen(12)
	for i := 0; i < 20000; i++ {
		n := 1 + g.r.IntN(5)
		var elems []string
		for j := 0; j < n; j++ {
			elems = append(elems, parts[g.r.IntN(len(parts))])
		}
		p := strings.Join(elems, "/")
		for _, a := range allow {
			if fast, slow := a.fast.match(p), a.Path.MatchString(p); fast != slow {
				t.Fatalf("allow rule %s on %q: fast %v, regexp %v", a.ID, p, fast, slow)
			}
		}
	}
}

func TestCustomRulesAndAllowRules(t *testing.T) {
	cfg, err := LoadConfig(filepath.Join("testdata", "trivy-secret.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewScanner(cfg)
	if err != nil {
		t.Fatal(err)
	}
	g := newGen(13)
	tok := "itk_" + g.s(csHex, 24)
	t.Run("secret group censored", func(t *testing.T) {
		got := s.Scan("app/settings.py", []byte("INTERNAL_TOKEN = "+tok+"\n"))
		if len(got) != 1 || got[0].RuleID != "internal-api-token" || got[0].Severity != "HIGH" || got[0].Category != "Internal" {
			t.Fatalf("got %+v", got)
		}
		if got[0].Match != "INTERNAL_TOKEN = "+strings.Repeat("*", len(tok)) {
			t.Errorf("match %q: only the secret group is censored", got[0].Match)
		}
	})
	t.Run("keywords gate the rule", func(t *testing.T) {
		// The regex would match case-sensitively, but the keyword is absent.
		if got := s.Scan("a.py", []byte("INTERNAL_TOKEN = ITK_"+g.s(csHex, 24))); len(got) != 0 {
			t.Errorf("got %v", ids(got))
		}
	})
	t.Run("rule allow rule", func(t *testing.T) {
		if got := s.Scan("a.py", []byte("INTERNAL_TOKEN = itk_"+strings.Repeat("0", 24))); len(got) != 0 {
			t.Errorf("sandbox token reported: %v", ids(got))
		}
	})
	t.Run("global allow rules", func(t *testing.T) {
		if got := s.Scan("a.sh", []byte("DEPLOY_PASS=DUMMYVALUE\n")); len(got) != 0 {
			t.Errorf("DUMMY value reported: %v", ids(got))
		}
		if got := s.Scan("ci/fixtures/a.sh", []byte("DEPLOY_PASS=hunter22\n")); len(got) != 0 {
			t.Errorf("fixtures path reported")
		}
		if s.Required("ci/fixtures/a.sh") {
			t.Error("Required ignores the custom path allow rule")
		}
	})
	t.Run("path filter", func(t *testing.T) {
		if got := s.Scan("deploy.sh", []byte("DEPLOY_PASS=hunter22\n")); len(got) != 1 {
			t.Errorf("got %v", ids(got))
		}
		if got := s.Scan("deploy.py", []byte("DEPLOY_PASS=hunter22\n")); len(got) != 0 {
			t.Errorf("path filter ignored: %v", ids(got))
		}
		if got := s.Scan("samples/deploy.sh", []byte("DEPLOY_PASS=hunter22\n")); len(got) != 0 {
			t.Errorf("rule path allow rule ignored: %v", ids(got))
		}
	})
	t.Run("exclude blocks", func(t *testing.T) {
		content := "cat <<EXAMPLE\nDEPLOY_PASS=inexample\nEXAMPLE\nDEPLOY_PASS=realone\n/* GH=ghp_" + g.s(csAN, 36) + " */\n"
		got := s.Scan("deploy.sh", []byte(content))
		if len(got) != 1 || got[0].StartLine != 4 {
			t.Errorf("got %+v", got)
		}
	})
	t.Run("disable-allow-rules", func(t *testing.T) {
		// markdown is disabled by the config, so README.md is scanned.
		if got := s.Scan("README.md", []byte("GH=ghp_"+g.s(csAN, 36))); len(got) != 1 {
			t.Errorf("got %v", ids(got))
		}
		if !s.Required("README.md") {
			t.Error("README.md not required although the markdown allow rule is disabled")
		}
	})
}

func TestLongLineTruncated(t *testing.T) {
	pat := "ghp_" + newGen(14).s(csAN, 36)
	line := strings.Repeat("a=1;", 500) + "t='" + pat + "';" + strings.Repeat("b=2;", 500)
	content := strings.Repeat("x", 1000) + "\n" + line + "\n"
	got := builtinScanner(t).Scan("min.js", []byte(content))
	if len(got) != 1 {
		t.Fatalf("got %v", ids(got))
	}
	for _, l := range got[0].Code.Lines {
		if len(l.Content) > 2*maxLineLength || !l.Truncated {
			t.Errorf("line %d: %d bytes, truncated %v", l.Number, len(l.Content), l.Truncated)
		}
	}
	if !strings.Contains(got[0].Match, strings.Repeat("*", 40)) {
		t.Errorf("truncated match does not show the censored secret: %q", got[0].Match)
	}
}

func TestScanConcurrent(t *testing.T) {
	s := builtinScanner(t)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			g := newGen(uint64(100 + w))
			for i := 0; i < 200; i++ {
				pat := "ghp_" + g.s(csAN, 36)
				content := fmt.Sprintf("line\nGH=%s\nAKIA%s\n", pat, g.s(csUN, 16))
				got := s.Scan("f.env", []byte(content))
				if len(got) != 2 || got[0].StartLine != 2 || got[1].StartLine != 3 {
					t.Errorf("worker %d: %+v", w, got)
					return
				}
			}
		}(w)
	}
	wg.Wait()
}

// TestFindingsCappedPerRule: a file that matches one rule millions of times
// yields MaxFindingsPerRule findings and names the capped rule, instead of
// a run whose time grows with the square of the matches.
func TestFindingsCappedPerRule(t *testing.T) {
	var b strings.Builder
	for i := range 200_000 {
		fmt.Fprintf(&b, "password=hunter%07dabcXYZ\n", i)
	}
	res, err := builtinScanner(t).ScanContext(context.Background(), "creds.txt", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Secrets) != MaxFindingsPerRule {
		t.Errorf("%d findings, want %d", len(res.Secrets), MaxFindingsPerRule)
	}
	if len(res.Capped) != 1 || res.Capped[0] != res.Secrets[0].RuleID {
		t.Errorf("capped rules %v, findings of %s", res.Capped, res.Secrets[0].RuleID)
	}
	// Exactly the cap: not reported as capped.
	var exact strings.Builder
	for i := range MaxFindingsPerRule {
		fmt.Fprintf(&exact, "password=hunter%07dabcXYZ\n", i)
	}
	res, _ = builtinScanner(t).ScanContext(context.Background(), "creds.txt", []byte(exact.String()))
	if len(res.Secrets) != MaxFindingsPerRule || len(res.Capped) != 0 {
		t.Errorf("at the cap: %d findings, capped %v", len(res.Secrets), res.Capped)
	}
}

// TestScanContextCancelled: a cancelled scan stops and says so.
func TestScanContextCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	content := []byte(strings.Repeat("password=hunter2abcXYZ1\n", 10_000))
	if _, err := builtinScanner(t).ScanContext(ctx, "creds.txt", content); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled scan: %v", err)
	}
}
