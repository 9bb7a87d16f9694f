// Package pip parses pip requirements files (requirements*.txt). Only
// requirements pinned with "==" to one exact version are packages; ranges,
// wildcards, URLs and bare names are not.
package pip

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"

	"github.com/trawlsec/trawl/internal/parse/python/pypi"
	"github.com/trawlsec/trawl/pkg/model"
)

// File is what a requirements file holds.
type File struct {
	// Packages are the pinned requirements, in file order, with the
	// (logical) line range each came from.
	Packages []model.Package
	// Includes are the files named by -r/--requirement and
	// -c/--constraint lines. They are not followed: the caller decides
	// whether and how to read them.
	Includes []string
}

// maxLine bounds one physical line.
const maxLine = 1 << 20

// Parse reads a requirements file. UTF-8 and UTF-16 (with a byte order
// mark) are accepted. Line continuations ("\" at the end of a line) join
// lines; comments start at "#"; extras ("pkg[a,b]"), environment markers
// ("; python_version < '3.8'") and options such as --hash are dropped.
func Parse(r io.Reader) (*File, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read requirements: %w", err)
	}
	data, err = toUTF8(data)
	if err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	// Small inputs (one requirement per call from environment.yml) get a
	// small buffer; the scanner grows it up to maxLine when a line needs it.
	sc.Buffer(make([]byte, 0, min(64<<10, len(data)+1)), maxLine)
	f := &File{}
	seen := make(map[string]int) // ID → index in f.Packages
	var (
		logical strings.Builder
		start   int
		n       int
	)
	flush := func(end int) {
		line := logical.String()
		logical.Reset()
		if inc, ok := include(line); ok {
			f.Includes = append(f.Includes, inc)
			return
		}
		name, version, ok := pinned(line)
		if !ok {
			return
		}
		name = strings.TrimSpace(name) // as written; the ID is normalised
		id := pypi.ID(pypi.Normalize(name), version)
		l := model.Location{StartLine: start, EndLine: end}
		if i, dup := seen[id]; dup {
			f.Packages[i].Locations = append(f.Packages[i].Locations, l)
			return
		}
		seen[id] = len(f.Packages)
		f.Packages = append(f.Packages, model.Package{
			ID: id, Name: name, Version: version, Ecosystem: pypi.Ecosystem,
			Relationship: model.RelationshipUnknown,
			Locations:    []model.Location{l},
		})
	}
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		if logical.Len() == 0 {
			start = n
		}
		// A comment ends the line, and also any continuation in it.
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
			logical.WriteString(line)
			logical.WriteByte(' ')
			flush(n)
			continue
		}
		if s, ok := strings.CutSuffix(strings.TrimRight(line, " \t"), `\`); ok {
			logical.WriteString(s)
			logical.WriteByte(' ')
			continue
		}
		logical.WriteString(line)
		flush(n)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read requirements line %d: %w", n+1, err)
	}
	if logical.Len() > 0 {
		flush(n)
	}
	return f, nil
}

// toUTF8 converts UTF-16 with a byte order mark to UTF-8 and drops a UTF-8
// byte order mark.
func toUTF8(data []byte) ([]byte, error) {
	var le bool
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:], nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		le = true
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
	default:
		return data, nil
	}
	data = data[2:]
	if len(data)%2 != 0 {
		return nil, fmt.Errorf("UTF-16 requirements file has an odd number of bytes")
	}
	u := make([]uint16, len(data)/2)
	for i := range u {
		if le {
			u[i] = uint16(data[2*i]) | uint16(data[2*i+1])<<8
		} else {
			u[i] = uint16(data[2*i])<<8 | uint16(data[2*i+1])
		}
	}
	return []byte(string(utf16.Decode(u))), nil
}

// include returns the file named by a -r/--requirement or -c/--constraint
// line.
func include(line string) (string, bool) {
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return "", false
	}
	opt, arg, _ := strings.Cut(fields[0], "=")
	for _, o := range []string{"-r", "--requirement", "-c", "--constraint"} {
		switch {
		case opt == o && arg != "":
			return arg, true
		case opt == o && len(fields) > 1:
			return fields[1], true
		case len(o) == 2 && strings.HasPrefix(fields[0], o) && len(fields[0]) > 2:
			return fields[0][2:], true // -rfile.txt
		}
	}
	return "", false
}

// pinned returns name and version of a "name[extras] == version" line.
func pinned(line string) (name, version string, ok bool) {
	line = strings.TrimSpace(line)
	if line == "" || line[0] == '-' {
		return "", "", false // options: -e, -i, --index-url, --hash …
	}
	if i := strings.IndexByte(line, ';'); i >= 0 {
		line = line[:i] // environment marker
	}
	if i := strings.Index(line, " --"); i >= 0 {
		line = line[:i] // per-requirement options (--hash)
	}
	line = strings.ReplaceAll(strings.ReplaceAll(line, " ", ""), "\t", "")
	if i := strings.IndexByte(line, '['); i >= 0 {
		j := strings.IndexByte(line[i:], ']')
		if j < 0 {
			return "", "", false
		}
		line = line[:i] + line[i+j+1:]
	}
	name, version, ok = strings.Cut(line, "==")
	if !ok || strings.HasPrefix(version, "=") || !validName(name) || !validVersion(version) {
		return "", "", false
	}
	return name, version, true
}

// validName reports whether s is a PEP 508 project name.
func validName(s string) bool {
	if s == "" || !alnum(s[0]) || !alnum(s[len(s)-1]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !alnum(c) && c != '-' && c != '_' && c != '.' {
			return false
		}
	}
	return true
}

// validVersion reports whether s looks like one PEP 440 version (not a
// wildcard, not a list of specifiers).
func validVersion(s string) bool {
	t := strings.TrimPrefix(strings.TrimPrefix(s, "v"), "V")
	if t == "" || t[0] < '0' || t[0] > '9' {
		return false
	}
	for i := 0; i < len(t); i++ {
		if c := t[i]; !alnum(c) && c != '.' && c != '!' && c != '+' && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

func alnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
