package forensics

import (
	_ "embed"
	"fmt"
	"regexp"
	"strings"
)

// markersText is the list of content markers: data, not code.
//
//go:embed markers.txt
var markersText string

// Scopes of a marker: which files it is searched in.
const (
	scopeAny    = "any"
	scopeScript = "script"
	scopeCron   = "cron"
)

// marker is one line of markers.txt.
type marker struct {
	class, scope, name string
	re                 *regexp.Regexp
}

// builtinMarkers is the embedded list, parsed once; the list is part of
// the binary, so a bad line is a build mistake that TestMarkersParse catches.
var builtinMarkers = mustParseMarkers(markersText)

func mustParseMarkers(text string) []marker {
	ms, err := parseMarkers(text)
	if err != nil {
		panic(err)
	}
	return ms
}

// parseMarkers reads the markers.txt format: class, scope, name and a
// regular expression separated by tabs; # starts a comment line.
func parseMarkers(text string) ([]marker, error) {
	var out []marker
	for i, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.SplitN(line, "\t", 4)
		if len(f) != 4 {
			return nil, fmt.Errorf("markers.txt:%d: want class, scope, name and pattern separated by tabs", i+1)
		}
		switch f[1] {
		case scopeAny, scopeScript, scopeCron:
		default:
			return nil, fmt.Errorf("markers.txt:%d: unknown scope %q", i+1, f[1])
		}
		re, err := regexp.Compile(f[3])
		if err != nil {
			return nil, fmt.Errorf("markers.txt:%d: %w", i+1, err)
		}
		out = append(out, marker{class: f[0], scope: f[1], name: f[2], re: re})
	}
	return out, nil
}
