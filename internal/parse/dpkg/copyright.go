package dpkg

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
)

var (
	// commonLicenseRE finds references to the licence texts Debian ships:
	// "/usr/share/common-licenses/GPL-2" → "GPL-2".
	commonLicenseRE = regexp.MustCompile(`/?usr/share/common-licenses/([0-9A-Za-z_.+-]+[0-9A-Za-z+])`)
	// licenseSplitRE splits "GPL-1+ or Artistic, and BSD-4-clause" into
	// its licences.
	licenseSplitRE = regexp.MustCompile(`(,?[_ ]+(?:or|and)[_ ]+)|(,[ ]*)`)
	// shortNameRE is the shape of a DEP-5 licence short name, with an
	// optional exception: "GPL-2+", "BSD-3-clause",
	// "GPL-3+ with Bison exception". Sentences are not short names.
	shortNameRE = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z.+_-]*( with [0-9A-Za-z][0-9A-Za-z.+_-]* exception)?$`)
	// licenseHeadings are the title lines of licence texts that free-form
	// copyright files paste whole, with the short name they stand for
	// (matched on the whole trimmed line, case ignored).
	licenseHeadings = map[string]string{
		"PYTHON SOFTWARE FOUNDATION LICENSE VERSION 2": "PSF-2",
	}
)

// ParseCopyright reads a usr/share/doc/<pkg>/copyright file and returns the
// licences it names, in order of first appearance and without duplicates.
//
// A machine-readable (DEP-5) file — its first field is "Format:" — gives
// the first line of each "License:" field, split on "or"/"and"/",". A
// free-form file is read conservatively: a "License:" line counts only when
// every licence it names has the shape of a short name ("License: Apache-2.0",
// not "License: Permission is hereby granted, …"), a reference to
// /usr/share/common-licenses/<name> names <name>, and the title line of a
// pasted licence text in licenseHeadings names its licence. Names are returned as
// written ("GPL-2", "GPLv2+"); mapping them to SPDX identifiers is left to
// the licence normaliser. A file naming no licence gives none.
func ParseCopyright(r io.Reader) ([]string, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), maxLine)
	var licenses []string
	add := func(l string) {
		l = strings.TrimSpace(l)
		if l != "" && !slices.Contains(licenses, l) {
			licenses = append(licenses, l)
		}
	}
	lineNo := 0
	dep5, first := false, true
	for sc.Scan() {
		lineNo++
		line := sc.Text()
		if first && strings.TrimSpace(line) != "" {
			first = false
			dep5 = hasField(line, "Format")
		}
		switch {
		case hasField(line, "License"):
			parts := licenseSplitRE.Split(normalizeLicense(line[len("License:"):]), -1)
			if !dep5 && !allShortNames(parts) {
				continue
			}
			for _, l := range parts {
				add(l)
			}
		case strings.Contains(line, "/usr/share/common-licenses/"):
			if m := commonLicenseRE.FindStringSubmatch(line); len(m) == 2 {
				add(m[1])
			}
		case !dep5:
			if l, ok := licenseHeadings[strings.ToUpper(strings.TrimSpace(line))]; ok {
				add(l)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("dpkg copyright line %d: %w", lineNo+1, err)
	}
	return licenses, nil
}

// hasField reports whether line starts the deb822 field name (its case
// ignored, as deb822 does).
func hasField(line, name string) bool {
	return len(line) > len(name) && line[len(name)] == ':' && strings.EqualFold(line[:len(name)], name)
}

// allShortNames reports whether every non-empty part has the shape of a
// licence short name, and there is at least one.
func allShortNames(parts []string) bool {
	n := 0
	for _, p := range parts {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if !shortNameRE.MatchString(p) {
			return false
		}
		n++
	}
	return n > 0
}

// normalizeLicense trims the decorations seen in License: fields:
// "The MIT License (MIT)" → "The MIT License".
func normalizeLicense(s string) string {
	s, _, _ = strings.Cut(s, "(")
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "The main library is licensed under ")
	s = strings.TrimSuffix(s, " license")
	return strings.TrimSpace(s)
}
