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
)

// ParseCopyright reads a usr/share/doc/<pkg>/copyright file and returns the
// licences it names, in order of first appearance and without duplicates:
// the values of machine-readable (DEP-5) "License:" fields, split on
// "or"/"and"/",", and the licences referenced as
// /usr/share/common-licenses/<name>. Names are returned as written ("GPL-2",
// "GPLv2+"); mapping them to SPDX identifiers is left to the licence
// normaliser. A file naming no licence gives none.
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
	for sc.Scan() {
		lineNo++
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "License:"):
			for _, l := range licenseSplitRE.Split(normalizeLicense(line[len("License:"):]), -1) {
				add(l)
			}
		case strings.Contains(line, "/usr/share/common-licenses/"):
			if m := commonLicenseRE.FindStringSubmatch(line); len(m) == 2 {
				add(m[1])
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("dpkg copyright line %d: %w", lineNo+1, err)
	}
	return licenses, nil
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
