// Package license holds helpers for the licence strings package metadata
// carries.
package license

import "strings"

// Split splits a licence string at commas and at " or " / " and "
// (blanks or underscores around the word).
func Split(s string) []string {
	var out []string
	add := func(l string) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	start := 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == ',':
			add(s[start:i])
			start = i + 1
		case s[i] == ' ' || s[i] == '_':
			j := i
			for j < len(s) && (s[j] == ' ' || s[j] == '_') {
				j++
			}
			word := ""
			switch {
			case strings.HasPrefix(s[j:], "or"):
				word = "or"
			case strings.HasPrefix(s[j:], "and"):
				word = "and"
			}
			k := j + len(word)
			if word != "" && k < len(s) && (s[k] == ' ' || s[k] == '_') {
				add(s[start:i])
				for k < len(s) && (s[k] == ' ' || s[k] == '_') {
					k++
				}
				start = k
				i = k - 1
			}
		}
	}
	add(s[start:])
	return out
}
