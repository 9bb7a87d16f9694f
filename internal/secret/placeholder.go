package secret

import (
	"net/url"
	"regexp"
	"regexp/syntax"
	"strings"
)

// The placeholder filter: one check, run on the secret group of every
// built-in rule before a finding is kept (see keep). Its data is the tables
// below; what a rule contributes is its format prefix (computed from its
// regexp) and, for the free-form rules only, a minimum entropy.

// documentedExamples are key values published in providers' documentation
// (AWS's IAM examples, Stripe's API reference, jwt.io's debugger token) and
// RFC 7617's Basic authentication example password.
var documentedExamples = []string{
	"opensesame",
	"AKIAIOSFODNN7EXAMPLE",
	"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
	"sk_test_4eC39HqLyjWDarjtT1zdp7dc",
	"pk_test_TYooMQauvdEDq54NiTphI7jx",
	"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
}

// exampleWord marks documentation keys (AWS writes its examples as
// "...EXAMPLE" and "...EXAMPLEKEY"). Seven given letters in a row occur in
// a random base64 string of a few hundred characters with a probability
// below 1e-8, so no real key is lost to it.
const exampleWord = "example"

// templateRe matches a whole secret that is a template or variable
// reference: <your-token>, ${VAR}, $(VAR), $VAR, %VAR%, {{ .Values.x }},
// %(name)s, #{var}.
var templateRe = regexp.MustCompile(`^(?:<[^<>]*>|\$\{[^{}]*\}|\$\([^()]*\)|\$[A-Za-z_][A-Za-z0-9_]*|%[A-Za-z_][A-Za-z0-9_]*%|\{\{.*\}\}|%\([A-Za-z_][A-Za-z0-9_]*\)[sdr]|#\{[^{}]*\})$`)

// placeholderVocab are the words placeholder values are made of
// ("your_password_here", "changeme", "change_me", "MyPass", "redacted",
// "none"). A secret part made only of these words (after lower-casing,
// percent-decoding, undoing leetspeak and dropping separators) is not a
// secret; nor is one a single typo away from one of the long ones
// ("pa?sword", "passw0rd").
var placeholderVocab = []string{
	"your", "my", "the", "user", "username", "pass", "password", "passwd", "pwd", "passphrase",
	"secret", "token", "key", "api", "access", "auth", "change", "me", "it", "here", "example",
	"sample", "dummy", "fake", "test", "placeholder", "redacted", "replace", "insert", "enter",
	"foo", "bar", "baz", "qux", "null", "none", "nil", "empty", "default", "value", "todo",
}

// leet undoes the usual character substitutions (p@ssw0rd, s3cr3t).
var leet = strings.NewReplacer("@", "a", "4", "a", "3", "e", "1", "i", "!", "i", "0", "o", "5", "s", "$", "s")

// keep reports whether a built-in rule's match is kept: the secret part
// (the secret without the rule's fixed format prefix) is neither a
// placeholder nor, for rules with a minimum entropy, too regular.
func (r *Rule) keep(secret []byte) bool {
	body := secret
	if r.prefix < len(body) {
		body = body[r.prefix:]
	}
	if isPlaceholderSecret(string(secret), string(body)) {
		return false
	}
	return r.minEntropy == 0 || entropy(body) >= r.minEntropy
}

// isPlaceholderSecret is the shared placeholder check on a secret and its
// secret part (body: the secret without its format prefix).
func isPlaceholderSecret(secret, body string) bool {
	for _, e := range documentedExamples {
		if secret == e {
			return true
		}
	}
	if containsFold(secret, exampleWord) || templateRe.MatchString(body) || oneChar(body) {
		return true
	}
	return isRun(body) || isVocab(body)
}

func containsFold(s, word string) bool {
	for i := 0; i+len(word) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(word)], word) {
			return true
		}
	}
	return false
}

// oneChar reports a secret of one repeated byte ("***", "xxxx").
func oneChar(s string) bool {
	return s != "" && strings.Count(s, s[:1]) == len(s)
}

func isAlnum(c byte) bool {
	return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')
}

// isRun reports a secret part whose every alphanumeric segment is a run:
// one repeated character, a sequence (1234567890, abcdef, fedcba), or a
// pair repeated ("x1x1x1"). Keys generated at random are never runs;
// "xxxx-xxxx" and "0000000000-0000000000-xxxxxxxx" are. Two runs in one
// segment ("0123456789ABCDEF…", the made-up keys of Trivy's own fixtures,
// which Trivy reports) are not.
func isRun(s string) bool {
	alnum := 0
	for i := 0; i < len(s); {
		if !isAlnum(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isAlnum(s[j]) {
			j++
		}
		if !runSegment(strings.ToLower(s[i:j])) {
			return false
		}
		alnum += j - i
		i = j
	}
	return alnum >= 6
}

// runSegment: every step repeats the character or moves to a neighbour
// (9→0 wraps), or the segment is a pair repeated. Longer repeated units
// are left alone: made-up test tokens are often written so ("aB3" twelve
// times).
func runSegment(s string) bool {
	run := true
	for i := 1; i < len(s) && run; i++ {
		a, b := s[i-1], s[i]
		d := int(b) - int(a)
		run = d >= -1 && d <= 1 || (a == '9' && b == '0') || (a == '0' && b == '9')
	}
	return run || (len(s) >= 6 && s[2:] == s[:len(s)-2])
}

// isVocab reports a secret part made of placeholder words only, or one
// edit away from a placeholder word of six letters or more.
func isVocab(s string) bool {
	if d, err := url.PathUnescape(s); err == nil {
		s = d
	}
	s = leet.Replace(strings.ToLower(s))
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if 'a' <= s[i] && s[i] <= 'z' {
			b.WriteByte(s[i])
		} else if '0' <= s[i] && s[i] <= '9' {
			return false // digits left after leetspeak: not a word
		}
	}
	w := b.String()
	if len(w) < 3 || len(w) > 64 {
		return false
	}
	// ok[i]: w[:i] is a sequence of vocabulary words.
	ok := make([]bool, len(w)+1)
	ok[0] = true
	for i := 1; i <= len(w); i++ {
		for _, v := range placeholderVocab {
			if len(v) <= i && ok[i-len(v)] && w[i-len(v):i] == v {
				ok[i] = true
				break
			}
		}
	}
	if ok[len(w)] {
		return true
	}
	for _, v := range placeholderVocab {
		if len(v) >= 6 && oneEdit(w, v) {
			return true
		}
	}
	return false
}

// oneEdit reports whether a and b differ by exactly one insertion,
// deletion or substitution.
func oneEdit(a, b string) bool {
	if len(a) < len(b) {
		a, b = b, a
	}
	if len(a)-len(b) > 1 || a == b {
		return false
	}
	i := 0
	for i < len(b) && a[i] == b[i] {
		i++
	}
	if len(a) == len(b) {
		return a[i+1:] == b[i+1:]
	}
	return a[i+1:] == b[i:]
}

// formatPrefix returns how many leading bytes of every secret a rule's
// regexp matches are fixed by the format rather than secret: the literal
// prefix of the secret group ("ghp_", "sk_test_", "AKIA"), including short
// alternations of fixed length ("(?:ghu|ghs)_", "(?:A3T[A-Z0-9]|AKIA|…)").
// 0 when the secret group starts with free characters.
func formatPrefix(re, group string) int {
	tree, err := syntax.Parse(re, syntax.Perl)
	if err != nil {
		return 0
	}
	g := findCapture(tree, group)
	if g == nil {
		if group != "" {
			return 0
		}
		g = tree
	}
	n, _ := prefixLen(g)
	return n
}

func findCapture(re *syntax.Regexp, name string) *syntax.Regexp {
	if re.Op == syntax.OpCapture && re.Name == name {
		return re.Sub[0]
	}
	for _, s := range re.Sub {
		if c := findCapture(s, name); c != nil {
			return c
		}
	}
	return nil
}

// prefixLen returns the fixed prefix length of re and whether re is
// wholly fixed (so that what follows it continues the prefix).
func prefixLen(re *syntax.Regexp) (int, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		return len(string(re.Rune)), true
	case syntax.OpCharClass:
		if classSize(re) <= 4 { // [su] from a factored "ghu|ghs"
			return 1, true
		}
		return 0, false
	case syntax.OpCapture:
		return prefixLen(re.Sub[0])
	case syntax.OpConcat:
		n := 0
		for _, s := range re.Sub {
			k, whole := prefixLen(s)
			n += k
			if !whole {
				return n, false
			}
		}
		return n, true
	case syntax.OpAlternate:
		if n, ok := fixedLen(re); ok {
			return n, true
		}
	}
	return 0, false
}

// fixedLen returns the length of every string re matches, when it is one
// length made of literals and character classes.
func fixedLen(re *syntax.Regexp) (int, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		return len(string(re.Rune)), true
	case syntax.OpCharClass:
		return 1, true
	case syntax.OpCapture:
		return fixedLen(re.Sub[0])
	case syntax.OpConcat:
		n := 0
		for _, s := range re.Sub {
			k, ok := fixedLen(s)
			if !ok {
				return 0, false
			}
			n += k
		}
		return n, true
	case syntax.OpAlternate:
		n := -1
		for _, s := range re.Sub {
			k, ok := fixedLen(s)
			if !ok || (n >= 0 && k != n) {
				return 0, false
			}
			n = k
		}
		return n, n >= 0
	}
	return 0, false
}

func classSize(re *syntax.Regexp) int {
	n := 0
	for i := 0; i+1 < len(re.Rune); i += 2 {
		n += int(re.Rune[i+1]-re.Rune[i]) + 1
	}
	return n
}
