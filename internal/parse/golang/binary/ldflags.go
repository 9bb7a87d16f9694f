package binary

import (
	"strings"

	"golang.org/x/mod/semver"
)

// versionPrefixes are the package names whose "…version" variables are
// taken as the program's version before any other ("main.version",
// "…/version.Version", "…/cmd.version", "…/common.ver").
var versionPrefixes = map[string]bool{"main": true, "common": true, "version": true, "cmd": true}

// LDFlagsVersion looks in the value of the "-ldflags" build setting for
// "-X importpath.name=value" assignments whose name ends in "version" or
// "ver" (case-insensitive, after a dot) and whose value is a semantic
// version with or without the leading "v". Candidates are ranked:
//
//  1. variables of the main module's own commands (mainPath + "/cmd/…"),
//  2. variables of packages named main, common, version or cmd,
//  3. any other.
//
// The first rank with candidates decides; if it holds more than one distinct
// value the version is ambiguous and "" is returned, as it is when nothing
// matches.
func LDFlagsVersion(mainPath, ldflags string) string {
	if ldflags == "" {
		return ""
	}
	var ranks [3][]string
	words := splitWords(ldflags)
	for i := 0; i < len(words); i++ {
		w := words[i]
		var assign string
		switch {
		case w == "-X" || w == "--X":
			if i+1 >= len(words) {
				continue
			}
			i++
			assign = words[i]
		case strings.HasPrefix(w, "-X="):
			assign = w[len("-X="):]
		case strings.HasPrefix(w, "--X="):
			assign = w[len("--X="):]
		default:
			continue
		}
		key, val, ok := strings.Cut(assign, "=")
		if !ok {
			continue
		}
		key = strings.Trim(key, `'"`)
		val = strings.Trim(val, `'"`)
		if !isVersionKey(key) || !(semver.IsValid(val) || semver.IsValid("v"+val)) {
			continue
		}
		r := 2
		switch {
		case strings.HasPrefix(key, mainPath+"/cmd/"):
			r = 0
		case versionPrefixes[keyPackage(key)]:
			r = 1
		}
		if !contains(ranks[r], val) {
			ranks[r] = append(ranks[r], val)
		}
	}
	for _, vals := range ranks {
		switch len(vals) {
		case 0:
			continue
		case 1:
			return vals[0]
		default:
			return ""
		}
	}
	return ""
}

// isVersionKey reports whether an -X variable looks like it holds a version.
func isVersionKey(key string) bool {
	k := strings.ToLower(key)
	return strings.HasSuffix(k, ".version") || strings.HasSuffix(k, ".ver")
}

// keyPackage returns the lower-cased last import path element of an -X key:
// "github.com/x/y/pkg/version.Version" → "version", "main.version" → "main".
func keyPackage(key string) string {
	if i := strings.LastIndex(key, "/"); i >= 0 {
		key = key[i+1:]
	}
	pkg, _, _ := strings.Cut(key, ".")
	return strings.ToLower(pkg)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// splitWords splits s into words the way a POSIX shell would for the
// quoting the go command writes: blanks separate words, single quotes keep
// everything literal, double quotes keep blanks and allow backslash escapes,
// a backslash outside quotes escapes the next byte. An unterminated quote
// ends at the end of s.
func splitWords(s string) []string {
	var (
		words []string
		cur   strings.Builder
		in    bool // inside a word
	)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
		case c == '\'':
			in = true
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				cur.WriteString(s[i+1:])
				i = len(s)
				break
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
		case c == '"':
			in = true
			for i++; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\"\\$`", s[i+1]) >= 0 {
					i++
				}
				cur.WriteByte(s[i])
			}
		case c == '\\' && i+1 < len(s):
			in = true
			i++
			cur.WriteByte(s[i])
		default:
			in = true
			cur.WriteByte(c)
		}
	}
	if in {
		words = append(words, cur.String())
	}
	return words
}
