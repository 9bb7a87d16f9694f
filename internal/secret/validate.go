package secret

import (
	"bytes"
	"encoding/base64"
	"math"
	"strings"
)

// Quality filters for the built-in rules whose regexps alone would report
// placeholders, variable references and prose.

var placeholderWords = []string{
	"password", "example", "placeholder", "changeme", "change_me", "change-me", "changeit",
	"your", "dummy", "sample", "xxxx", "****", "....", "redacted", "replace",
	"<", ">", "${", "{{", "}}", "%(", "#{", "process.env", "os.environ", "getenv",
}

var placeholderValues = []string{
	"password", "passwd", "secret", "token", "null", "none", "nil", "true",
	"false", "undefined", "empty", "default", "required", "optional", "string",
}

// notPlaceholder rejects values that are references or templates rather
// than secrets.
func notPlaceholder(_, secret []byte) bool {
	return !isPlaceholder(secret)
}

func isPlaceholder(secret []byte) bool {
	s := strings.ToLower(string(secret))
	if s == "" || strings.HasPrefix(s, "$") || strings.HasPrefix(s, "@") || strings.HasPrefix(s, "%") {
		return true
	}
	for _, w := range placeholderWords {
		if strings.Contains(s, w) {
			return true
		}
	}
	for _, w := range placeholderValues {
		if s == w {
			return true
		}
	}
	// One repeated character ("aaaaaaaa", "00000000").
	if strings.Count(s, s[:1]) == len(s) {
		return true
	}
	return false
}

// entropy is the Shannon entropy of b in bits per byte.
func entropy(b []byte) float64 {
	if len(b) == 0 {
		return 0
	}
	var counts [256]int
	for _, c := range b {
		counts[c]++
	}
	n := float64(len(b))
	e := 0.0
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / n
			e -= p * math.Log2(p)
		}
	}
	return e
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')
}

// looksLikeCode reports values that are identifiers, constants, dotted
// member references, colon-separated field lists or file paths
// ("self.password", "config.db_pass", "getPassword", "FTS5_MAX_TOKEN_SIZE",
// "GID:user_list" in "groupname:password:GID:user_list", "/etc/passwd").
func looksLikeCode(b []byte) bool {
	if isPath(b) {
		return true
	}
	if isConstantCase(b) || isNumber(b) {
		return true
	}
	letters, digits, colons, other := 0, 0, 0, 0
	for _, c := range b {
		switch {
		case ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || c == '_':
			letters++
		case '0' <= c && c <= '9':
			digits++
		case c == ':':
			colons++
		case c == '.':
		default:
			other++
		}
	}
	if other > 0 || (colons > 0 && digits > 0) {
		return false
	}
	if digits == 0 {
		return true // an identifier or a word: no digit, no symbol
	}
	// dotted identifiers: every part starts with a letter
	if bytes.IndexByte(b, '.') >= 0 {
		for _, part := range bytes.Split(b, []byte{'.'}) {
			if len(part) == 0 || !isIdentByte(part[0]) || ('0' <= part[0] && part[0] <= '9') {
				return false
			}
		}
		return true
	}
	return false
}

func classes(b []byte) int {
	var lower, upper, digit, sym int
	for _, c := range b {
		switch {
		case 'a' <= c && c <= 'z':
			lower = 1
		case 'A' <= c && c <= 'Z':
			upper = 1
		case '0' <= c && c <= '9':
			digit = 1
		default:
			sym = 1
		}
	}
	return lower + upper + digit + sym
}

// validPassword is the quality filter of generic-password (its entropy
// floor is the rule's minEntropy).
func validPassword(_, secret []byte) bool {
	if isPlaceholder(secret) || looksLikeCode(secret) {
		return false
	}
	return classes(secret) >= 2
}

// validGenericSecret is the quality filter of generic-secret: long, mixed
// letters and digits (its entropy floor is the rule's minEntropy).
func validGenericSecret(_, secret []byte) bool {
	if isPlaceholder(secret) || looksLikeCode(secret) {
		return false
	}
	hasDigit := bytes.ContainsAny(secret, "0123456789")
	hasLetter := bytes.IndexFunc(secret, func(r rune) bool { return ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') }) >= 0
	return hasDigit && hasLetter
}

// validConnPassword rejects placeholder passwords, a password equal to the
// user name ("app:app@db", the usual local-development default) and hosts
// reserved for documentation (RFC 2606: example.com, .test, .invalid).
func validConnPassword(match, secret []byte) bool {
	if isPlaceholder(secret) || len(secret) < 4 {
		return false
	}
	if at := bytes.LastIndexByte(match, '@'); at >= 0 {
		host := strings.ToLower(string(match[at+1:]))
		if strings.HasPrefix(host, "example.") || strings.Contains(host, ".example.") {
			return false
		}
	}
	if i := bytes.Index(match, []byte("://")); i >= 0 {
		rest := match[i+3:]
		if j := bytes.IndexByte(rest, ':'); j >= 0 && bytes.Equal(rest[:j], secret) {
			return false
		}
	}
	return true
}

// validDockerAuth accepts a docker config "auth" value that decodes to
// user:password.
func validDockerAuth(_, secret []byte) bool {
	dec, err := base64.StdEncoding.DecodeString(string(secret))
	if err != nil {
		dec, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(string(secret), "="))
		if err != nil {
			return false
		}
	}
	i := bytes.IndexByte(dec, ':')
	return i > 0 && i < len(dec)-1
}

// isConstantCase reports UPPER_CASE_WITH_DIGITS identifiers.
func isConstantCase(b []byte) bool {
	if len(b) == 0 || b[0] < 'A' || b[0] > 'Z' || bytes.IndexByte(b, '_') < 0 {
		return false
	}
	for _, c := range b {
		if !(('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') || c == '_') {
			return false
		}
	}
	return true
}

func isWordOnly(b []byte) bool {
	for _, c := range b {
		if !isIdentByte(c) {
			return false
		}
	}
	return len(b) > 0
}

// isPath reports absolute, home-relative or dot-relative file paths.
func isPath(b []byte) bool {
	if len(b) < 2 {
		return false
	}
	rooted := b[0] == '/' || b[0] == '~' || bytes.HasPrefix(b, []byte("./")) || bytes.HasPrefix(b, []byte("../"))
	if !rooted {
		return false
	}
	rest := bytes.TrimLeft(b, "~./")
	for _, part := range bytes.Split(rest, []byte{'/'}) {
		if len(part) > 0 && !isWordOnly(bytes.ReplaceAll(bytes.ReplaceAll(part, []byte{'.'}, nil), []byte{'-'}, nil)) {
			return false
		}
	}
	return true
}

// isNumber reports integer literals: 123, -2146893819, 0x8009030c.
func isNumber(b []byte) bool {
	b = bytes.TrimLeft(b, "+-")
	digits := "0123456789"
	if len(b) > 2 && b[0] == '0' && (b[1] == 'x' || b[1] == 'X') {
		b, digits = b[2:], "0123456789abcdefABCDEF"
	}
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if strings.IndexByte(digits, c) < 0 {
			return false
		}
	}
	return true
}

// hasDigit rejects random-looking tokens without a single digit, which for
// the lengths involved are almost surely identifiers ("colors.hvs.…").
func hasDigit(_, secret []byte) bool {
	return bytes.ContainsAny(secret, "0123456789")
}
