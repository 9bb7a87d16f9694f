package secret

import (
	"slices"
	"strings"
	"testing"
)

// reported reports whether rule id finds a secret in content at path.
func reported(s *Scanner, id, path, content string) bool {
	for _, f := range s.Scan(path, []byte(content)) {
		if f.RuleID == id {
			return true
		}
	}
	return false
}

// TestPlaceholderFilter: per rule family, placeholder and documented
// values (want false) next to real-looking values of the same shape (want
// true), so a filter that is too broad fails as surely as one too narrow.
func TestPlaceholderFilter(t *testing.T) {
	s := builtinScanner(t)
	g := newGen(99)
	ghp := g.s(csAN, 36)
	tests := []struct {
		name, rule, line string
		want             bool
	}{
		// AWS: the documented examples and any key containing the word.
		{"aws id documented", "aws-access-key-id", "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", false},
		{"aws id EXAMPLE suffix", "aws-access-key-id", "AWS_ACCESS_KEY_ID=AKIAI44QH8DHBEXAMPLE", false},
		{"aws id repeated", "aws-access-key-id", "AWS_ACCESS_KEY_ID=AKIAXXXXXXXXXXXXXXXX", false},
		{"aws id sequence", "aws-access-key-id", "AWS_ACCESS_KEY_ID=AKIAABCDEFGHIJKLMNOP", false},
		{"aws id two runs (Trivy's fixture)", "aws-access-key-id", "AWS_ACCESS_KEY_ID=AKIAABCDEFGHI1234567", true},
		{"aws id real-looking", "aws-access-key-id", "AWS_ACCESS_KEY_ID=AKIA" + g.s(csUN, 16), true},
		{"aws id with EXAMPL only", "aws-access-key-id", "AWS_ACCESS_KEY_ID=AKIAQ7EXAMPL3R9ZT2KD", true},
		{"aws secret documented", "aws-secret-access-key", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", false},
		{"aws secret lower example", "aws-secret-access-key", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYexamplekey", false},
		{"aws secret real-looking", "aws-secret-access-key", "aws_secret_access_key = " + g.s(csB64, 40), true},

		// GitHub and other prefixed tokens: the part after the prefix.
		{"ghp repeated", "github-pat", "GH=ghp_" + strings.Repeat("a", 36), false},
		{"ghp x", "github-pat", "GH=ghp_" + strings.Repeat("x", 36), false},
		{"ghp zeros", "github-pat", "GH=ghp_" + strings.Repeat("0", 36), false},
		{"ghp sequence", "github-pat", "GH=ghp_" + "123456789012345678901234567890123456", false},
		{"ghp two runs (Trivy's fixture)", "github-pat", "GH=ghp_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", true},
		{"ghp pair repeated", "github-pat", "GH=ghp_" + strings.Repeat("x1", 18), false},
		{"ghp longer unit repeated", "github-pat", "GH=ghp_" + strings.Repeat("aB3", 12), true},
		{"ghp real-looking", "github-pat", "GH=ghp_" + ghp, true},
		{"ghp one run inside", "github-pat", "GH=ghp_" + ghp[:20] + "xxxxxxxxxxxxxxxx", true},
		{"ghs repeated", "github-app-token", "GH=ghs_" + strings.Repeat("X", 36), false},
		{"github_pat x", "github-fine-grained-pat", "GH=github_pat_" + strings.Repeat("x", 22) + "_" + strings.Repeat("x", 59), false},
		{"github_pat real", "github-fine-grained-pat", "GH=github_pat_" + g.s(csAN, 22) + "_" + g.s(csAN, 59), true},
		{"stripe docs key", "stripe-secret-token", "STRIPE=sk_test_4eC39HqLyjWDarjtT1zdp7dc", false},
		{"stripe xxx", "stripe-secret-token", "STRIPE=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx", false},
		{"stripe real", "stripe-secret-token", "STRIPE=sk_live_" + g.s(csAN, 24), true},
		{"slack zeros", "slack-access-token", "SLACK=xoxb-0000000000-0000000000-xxxxxxxxxxxxxxxxxxxxxxxx", false},
		{"slack real", "slack-access-token", "SLACK=xoxb-" + g.s(csDigit, 11) + "-" + g.s(csDigit, 12) + "-" + g.s(csAN, 24), true},
		{"heroku zero uuid", "heroku-api-key", `heroku_api_key = "00000000-0000-0000-0000-000000000000"`, false},
		{"heroku real uuid", "heroku-api-key", `heroku_api_key = "` + g.uuid() + `"`, true},
		{"jwt.io example", "jwt-token", "T=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", false},
		{"jwt real-looking", "jwt-token", "T=eyJ" + g.s(csURL, 30) + ".eyJ" + g.s(csURL, 40) + "." + g.s(csURL, 43), true},

		// Connection strings: template, placeholder and documented passwords.
		{"conn template", "connection-string-password", "DB=postgres://app:${DB_PASSWORD}@db:5432/x", false},
		{"conn env", "connection-string-password", "DB=postgres://app:$DB_PASSWORD@db:5432/x", false},
		{"conn helm", "connection-string-password", "DB=postgres://app:{{.Values.dbPassword}}@db:5432/x", false},
		{"conn percent-encoded password", "connection-string-password", `u := "http://user:pa%2Fssword@dummy.faketld/"`, false},
		{"conn leet password", "connection-string-password", `u := "http://jane:p%40ssword@google.com"`, false},
		{"conn typo password", "connection-string-password", `u := "http://%3Fam:pa%3Fsword@google.com"`, false},
		{"conn MyPass", "connection-string-password", `u := "http://My%20User:My%20Pass@dummy.faketld/"`, false},
		{"conn RFC 7617", "connection-string-password", "https://aladdin:opensesame@vcs.internal", false},
		{"conn changeme", "connection-string-password", "DB=mysql://root:changeme@db/app", false},
		{"conn stars", "connection-string-password", "DB=mysql://root:*****@db/app", false},
		{"conn low entropy", "connection-string-password", "DB=mysql://root:aaab@db/app", false},
		{"conn real", "connection-string-password", "DB=postgres://app:" + g.s(csAN, 14) + "@db:5432/x", true},
		{"conn short real", "connection-string-password", "DB=postgres://app:Zq7#@db:5432/x", true},
		{"conn word+digits", "connection-string-password", "DB=postgres://app:Rosebud2024x@db:5432/x", true},

		// Generic rules: templates and words as the whole value, entropy.
		{"pw changeme", "generic-password", `password: "change_me"`, false},
		{"pw your_password_here", "generic-password", `DB_PASSWORD="your_password_here"`, false},
		{"pw redacted", "generic-password", `password = "REDACTED"`, false},
		{"pw format text", "generic-password", "// \tgroupname:password:GID:user_list", false},
		{"pw low entropy", "generic-password", `password = "Qz9Qz9Qz8Qz7"`, false},
		{"pw sequence", "generic-password", `password = "ABCDEFghijk"`, false},
		{"pw real", "generic-password", `password = "` + g.s(csAN, 12) + `"`, true},
		{"pw real with colon", "generic-password", `password = "Xk2:p9Lm4Qa"`, true},
		{"maven template", "maven-settings-password", `<password>{{ .Values.mavenPassword }}</password>`, false},
		{"maven env", "maven-settings-password", `<password>${env.MAVEN_PASSWORD}</password>`, false},
		{"maven format", "maven-settings-password", `<password>%(password)s</password>`, false},
		{"maven stars", "maven-settings-password", `<password>***</password>`, false},
		{"maven real", "maven-settings-password", `<password>` + g.s(csAN, 14) + `</password>`, true},
		{"secret x", "generic-secret", `api_key = "xxxxxxxxxxxxxxxxxxxx"`, false},
		{"secret hex sequence", "generic-secret", `api_key = "abcdefghijklmnopqrst"`, false},
		{"secret 16 hex below the old 3.0 floor", "generic-secret", `api_key = "083d60ae393016e6"`, true},
		{"secret 16 hex", "generic-secret", `api_key = "78e3ddeeb2717ed1"`, true},
		{"secret low entropy", "generic-secret", `api_key = "a1a1a1a1b2b2b2b2c3"`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !s.rules[ruleIndex(t, s, tt.rule)].Regex.MatchString(tt.line) {
				t.Fatalf("%q does not match %s at all: the case tests nothing", tt.line, tt.rule)
			}
			path := "app/config.txt"
			if strings.HasPrefix(tt.rule, "maven-") {
				path = "conf/settings.xml"
			}
			if got := reported(s, tt.rule, path, "# x\n"+tt.line+"\n"); got != tt.want {
				t.Errorf("%s on %q: reported %v, want %v", tt.rule, tt.line, got, tt.want)
			}
		})
	}
}

func ruleIndex(t *testing.T, s *Scanner, id string) int {
	t.Helper()
	i := slices.IndexFunc(s.rules, func(r Rule) bool { return r.ID == id })
	if i < 0 {
		t.Fatalf("no rule %s", id)
	}
	return i
}

// TestPlaceholderEveryRule turns every rule's true positive into a
// placeholder (its secret part one repeated character; a documentation
// "EXAMPLE" in it) and checks the placeholder is dropped while the true
// positive is still reported.
func TestPlaceholderEveryRule(t *testing.T) {
	s := builtinScanner(t)
	cases := map[string]ruleCase{}
	for _, c := range ruleCases() {
		cases[c.id] = c
	}
	tested := 0
	for _, r := range s.rules {
		c, ok := cases[r.ID]
		if !ok {
			continue // TestBuiltinRules reports it
		}
		path := c.path
		if path == "" {
			path = "app/config.env"
		}
		content, secret := c.tp(newGen(5))
		if !reported(s, r.ID, path, content) {
			t.Errorf("%s: true positive %q not reported", r.ID, content)
			continue
		}
		for _, v := range placeholderVariants(secret, r.prefix) {
			pc := strings.Replace(content, secret, v, 1)
			if !r.Regex.MatchString(pc) {
				continue // the format does not allow this variant
			}
			tested++
			if reported(s, r.ID, path, pc) {
				t.Errorf("%s: placeholder %q reported", r.ID, v)
			}
		}
	}
	if min := len(s.rules) * 3 / 2; tested < min {
		t.Errorf("only %d placeholder variants matched their rule, want >= %d", tested, min)
	}
}

// placeholderVariants: the secret part's letters and digits all replaced
// by its first one, and (where letters are upper case) its last seven
// replaced by EXAMPLE.
func placeholderVariants(secret string, prefix int) []string {
	body := []byte(secret[prefix:])
	first := byte(0)
	for _, c := range body {
		if isAlnum(c) {
			first = c
			break
		}
	}
	if first == 0 {
		return nil
	}
	rep := []byte(string(body))
	for i, c := range rep {
		if isAlnum(c) {
			rep[i] = first
		}
	}
	out := []string{secret[:prefix] + string(rep)}
	if n := len(body); n >= 12 {
		ex := []byte(string(body))
		copy(ex[n-9:], "EXAMPLE")
		out = append(out, secret[:prefix]+string(ex))
	}
	return out
}

func TestPlaceholderHelpers(t *testing.T) {
	for _, tt := range []struct {
		s    string
		run  bool
		word bool
	}{
		{"xxxxxxxx", true, false}, {"XXXX-XXXX-XXXX", true, false}, {"1234567890", true, false},
		{"abcdefghij", true, false}, {"9876543210", true, false}, {"x1x1x1x1", true, false},
		{"abcdef0123456789", false, false}, {"12341234", false, false}, {"aB3aB3aB3aB3", false, false},
		{"changeme", false, true}, {"change_me", false, true}, {"your_password_here", false, true},
		{"P@ssw0rd", false, true}, {"pa%3Fsword", false, true}, {"null", false, true}, {"None", false, true},
		{"Tr0ub4dor&3", false, false}, {"k8#Lq2!vZ", false, false}, {"hunter22", false, false},
		{"9f86d081884c7d659a2feaa0c55ad015", false, false}, {"mypassword2024", false, false}, {"abc", false, false},
	} {
		if got := isRun(tt.s); got != tt.run {
			t.Errorf("isRun(%q) = %v, want %v", tt.s, got, tt.run)
		}
		if got := isVocab(tt.s); got != tt.word {
			t.Errorf("isVocab(%q) = %v, want %v", tt.s, got, tt.word)
		}
	}
	for _, tt := range []struct {
		re     string
		prefix int
	}{
		{tok(`ghp_[0-9A-Za-z]{36}`), 4},
		{tok(`(?:ghu|ghs)_[0-9A-Za-z]{36}`), 4},
		{tok(`sk_(?:test|live)_[0-9A-Za-z]{10,99}`), 8},
		{lb + `(?P<secret>(?:A3T[A-Z0-9]|AKIA|ASIA)[A-Z0-9]{16})`, 4},
		{keyed(`heroku`, uuid), 0},
		{tok(`[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_\-=]{60,70}`), 0},
	} {
		if got := formatPrefix(tt.re, "secret"); got != tt.prefix {
			t.Errorf("formatPrefix(%s) = %d, want %d", tt.re, got, tt.prefix)
		}
	}
}

// TestTestFiles: test files and fixture directories are skipped by the
// built-in "tests" allow rule, as Trivy's; disabling it scans them again.
func TestTestFiles(t *testing.T) {
	s := builtinScanner(t)
	all, err := NewScanner(Config{DisableAllowRuleIDs: []string{"tests"}})
	if err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]bool{
		"pkg/url/url_test.go": false, "app/test_settings.py": false, "app/settings_test.py": false,
		"web/src/api.spec.ts": false, "web/src/api.test.jsx": false, "web/fixtures/keys.json": false,
		"a/testdata/k.pem": false, "tests/conf.env": false,
		"pkg/url/url.go": true, "app/latest.go": true, "app/contest.py": true, "app/attest_x.py": true,
		"app/testing.go": true, "web/src/api.spec.go": true, "web/fixture/k.json": true, "app/test.py": true,
	} {
		if got := s.Required(p); got != want {
			t.Errorf("Required(%q) = %v, want %v", p, got, want)
		}
		if !all.Required(p) {
			t.Errorf("with the tests allow rule disabled, Required(%q) = false", p)
		}
	}
}

// TestGoTreeSnippets: the shapes of the Go source tree's findings, written
// here (the tree itself is not read): placeholders are dropped wherever
// they are; test vectors are dropped in test files only.
func TestGoTreeSnippets(t *testing.T) {
	s := builtinScanner(t)
	g := newGen(3)
	pem := "-----BEGIN EC PRIVATE KEY-----\n" + g.s(csB64, 64) + "\n" + g.s(csB64, 64) + "\n" + g.s(csB64, 20) + "==\n-----END EC PRIVATE KEY-----\n"
	vector := `		SharedSecret: "` + g.s(csHex, 64) + `",` + "\n"
	for _, tt := range []struct {
		name, path, content string
		want                []string
	}{
		{"url test passwords", "net/url/parse.go", `	"http://jane:p%40ssword@google.com",` + "\n" +
			`	_, err := Parse("http://user^:passwo^rd@foo.com/")` + "\n" + `	url := "http://My%20User:My%20Pass@dummy.faketld/"` + "\n", nil},
		{"group file format", "os/user/listgroups.go", "\t\t// \tgroupname:password:GID:user_list\n", nil},
		{"vector in test file", "crypto/ecdh/ecdh_test.go", vector, nil},
		{"vector elsewhere", "crypto/ecdh/vectors.go", vector, []string{"generic-secret"}},
		{"key in test file", "crypto/tls/example_test.go", "keyPem := []byte(`" + pem + "`)\n", nil},
		{"key file", "crypto/x509/platform_root_key.pem", pem, []string{"private-key"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			if s.Required(tt.path) {
				got = ids(s.Scan(tt.path, []byte(tt.content)))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("findings %v, want %v", got, tt.want)
			}
		})
	}
}
