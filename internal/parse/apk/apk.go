// Package apk parses the Alpine package database, lib/apk/db/installed.
//
// The file is a list of stanzas separated by blank lines; each line is a
// one-letter key, a colon and a value (https://wiki.alpinelinux.org/wiki/Apk_spec).
// Parse follows the packages Trivy reports: Version holds the whole apk
// version ("1.1.22-r3"), the origin (o:) becomes SrcName with the package's
// own version as SrcVersion, and the files listed by F: (directory) and R:
// (file in that directory) become InstalledFiles.
package apk

import (
	"bufio"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	apkversion "github.com/knqyf263/go-apk-version"

	"github.com/trawlsec/trawl/pkg/model"
)

// maxLine bounds one line of the database.
const maxLine = 1 << 20

// Warning reports a stanza that was skipped.
type Warning struct {
	// Line is the 1-based line on which the stanza starts.
	Line int
	// Message says why it was skipped.
	Message string
}

// String formats the warning as "line N: message".
func (w Warning) String() string { return fmt.Sprintf("line %d: %s", w.Line, w.Message) }

type stanza struct {
	line     int
	pkg      model.Package
	dir      string
	depends  []string
	provides []string
	bad      string
}

// Parse reads an apk installed database and returns its packages in file
// order, with a warning for each stanza it skipped (no P:, no or an invalid
// V:, a line that is not "X:value").
//
// DependsOn lists the IDs of the packages of the same database that satisfy
// the stanza's D: entries, through package names and p: provides
// ("so:libc.musl-x86_64.so.1"), sorted. Digest is the C: checksum as
// "sha1:<hex>" (Q1-prefixed) or "md5:<hex>". Licenses splits L: on blanks,
// dropping AND/OR/WITH operators and parentheses; the strings are kept as
// written (normalisation to SPDX ids is the licence scanner's business).
func Parse(r io.Reader) ([]model.Package, []Warning, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), maxLine)

	var (
		stanzas  []*stanza
		warnings []Warning
		cur      *stanza
		lineNo   int
	)
	flush := func() {
		if cur == nil {
			return
		}
		switch {
		case cur.bad != "":
			warnings = append(warnings, Warning{Line: cur.line, Message: cur.bad})
		case cur.pkg.Name == "":
			warnings = append(warnings, Warning{Line: cur.line, Message: "stanza without a package name (P:)"})
		case cur.pkg.Version == "":
			warnings = append(warnings, Warning{Line: cur.line, Message: fmt.Sprintf("package %q has no version (V:)", cur.pkg.Name)})
		case !apkversion.Valid(cur.pkg.Version):
			warnings = append(warnings, Warning{Line: cur.line, Message: fmt.Sprintf("package %q has an invalid version %q", cur.pkg.Name, cur.pkg.Version)})
		default:
			p := &cur.pkg
			p.ID = p.Name + "@" + p.Version
			if p.SrcName != "" {
				p.SrcVersion = p.Version
			}
			stanzas = append(stanzas, cur)
		}
		cur = nil
	}

	for sc.Scan() {
		lineNo++
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		if cur == nil {
			cur = &stanza{line: lineNo}
		}
		if cur.bad != "" {
			continue
		}
		if len(line) < 2 || line[1] != ':' {
			cur.bad = fmt.Sprintf("malformed line %d: %q", lineNo, truncate(line, 80))
			continue
		}
		value := line[2:]
		p := &cur.pkg
		switch line[0] {
		case 'P':
			p.Name = value
		case 'V':
			p.Version = value
		case 'A':
			p.Arch = value
		case 'o':
			p.SrcName = value
		case 'm':
			p.Maintainer = value
		case 'L':
			p.Licenses = parseLicense(value)
		case 'C':
			p.Digest = decodeChecksum(value)
		case 'F':
			cur.dir = value
		case 'R':
			if f := strings.TrimLeft(path.Join("/", cur.dir, value), "/"); f != "" {
				p.InstalledFiles = append(p.InstalledFiles, f)
			}
		case 'D':
			cur.depends = append(cur.depends, strings.Fields(value)...)
		case 'p':
			cur.provides = append(cur.provides, strings.Fields(value)...)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("apk database line %d: %w", lineNo+1, err)
	}
	flush()

	// Dependencies name packages or things they provide; map both to IDs.
	// Duplicate packages (same name and version) are reported once.
	provider := make(map[string]string)
	seen := make(map[string]bool)
	pkgs := make([]model.Package, 0, len(stanzas))
	var deps [][]string
	for _, s := range stanzas {
		if seen[s.pkg.ID] {
			warnings = append(warnings, Warning{Line: s.line, Message: fmt.Sprintf("duplicate package %s", s.pkg.ID)})
			continue
		}
		seen[s.pkg.ID] = true
		provider[s.pkg.Name] = s.pkg.ID
		for _, pr := range s.provides {
			provider[dependencyName(pr)] = s.pkg.ID
		}
		pkgs = append(pkgs, s.pkg)
		deps = append(deps, s.depends)
	}
	for i := range pkgs {
		var on []string
		for _, d := range deps[i] {
			if strings.HasPrefix(d, "!") {
				continue // a conflict, not a dependency
			}
			if id, ok := provider[dependencyName(d)]; ok && id != pkgs[i].ID {
				on = append(on, id)
			}
		}
		slices.Sort(on)
		pkgs[i].DependsOn = slices.Compact(on)
	}
	return pkgs, warnings, nil
}

// dependencyName strips a version constraint: "so:libc.musl-x86_64.so.1=1"
// → "so:libc.musl-x86_64.so.1", "sqlite-libs>=3.26" → "sqlite-libs".
func dependencyName(s string) string {
	if i := strings.IndexAny(s, "<>=~"); i >= 0 {
		return s[:i]
	}
	return s
}

// parseLicense splits an L: value into licence names: "MIT BSD GPL2+" →
// [MIT BSD GPL2+]; "( Apache-2.0 OR MIT ) AND MPL-2.0" → [Apache-2.0 MIT
// MPL-2.0]; a bare version after a name joins it ("MPL 2.0" → "MPL2.0").
func parseLicense(v string) []string {
	var licenses []string
	for _, s := range strings.Fields(v) {
		s = strings.Trim(s, "()")
		switch {
		case s == "", s == "AND", s == "OR", s == "WITH", s == "and", s == "or":
			continue
		case len(licenses) > 0 && (s == "1.0" || s == "2.0" || s == "3.0"):
			licenses[len(licenses)-1] += s
		default:
			licenses = append(licenses, s)
		}
	}
	return licenses
}

// decodeChecksum turns a C: value into a digest string. "Q1" marks a
// base64 SHA-1; anything else is a base64 MD5.
func decodeChecksum(v string) string {
	alg := "md5"
	if rest, ok := strings.CutPrefix(v, "Q1"); ok {
		alg, v = "sha1", rest
	}
	b, err := base64.StdEncoding.DecodeString(v)
	if err != nil || len(b) == 0 {
		return ""
	}
	return alg + ":" + hex.EncodeToString(b)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
