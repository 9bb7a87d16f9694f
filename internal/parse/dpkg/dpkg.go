// Package dpkg parses the Debian package database: the dpkg status file
// (var/lib/dpkg/status, and each file of the distroless
// var/lib/dpkg/status.d/ directory, which use the same format) and the
// per-package file lists var/lib/dpkg/info/<pkg>[:arch].list.
//
// Parse is shaped like debug/buildinfo.Read: it reads one file from an
// io.Reader and knows nothing of paths or layers. A corrupt stanza is skipped
// with a Warning naming its line and the rest of the file is still read;
// only an I/O error (or a line too long to be a status file) fails the whole
// file.
package dpkg

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"

	debversion "github.com/knqyf263/go-deb-version"

	"github.com/trawlsec/trawl/pkg/model"
)

// maxLine bounds a single status-file line. Real Depends/Description lines
// are a few KiB at most.
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

// stanza is one paragraph of the status file: its fields (lower-cased
// names, first occurrence wins, continuation lines joined with "\n") and the
// line it starts on.
type stanza struct {
	line   int
	fields map[string]string
	bad    string // why the stanza is corrupt; empty when it is fine
}

func (s *stanza) get(name string) string { return s.fields[name] }

// Parse reads a dpkg status file and returns its installed packages in file
// order, with per-stanza warnings for the stanzas it had to skip.
//
// A stanza is a package when its Status says it is wanted and present (see
// installed), it has a Package field and a Version that go-deb-version
// accepts. Stanzas without a Status field (distroless status.d files are
// control files, which have none) count as installed, as in Trivy.
//
// Version is split into Epoch, Version and Release; the Source field
// ("name" or "name (version)") gives SrcName and the split source version,
// which default to the binary's own name and version. ID is
// "name@<version as written>", as Trivy writes it. DependsOn lists the IDs
// of the packages of the same file this one depends on (alternatives
// included, version constraints and arch qualifiers dropped), sorted.
func Parse(r io.Reader) ([]model.Package, []Warning, error) {
	var (
		pkgs     []model.Package
		warnings []Warning
		depends  [][]string
	)
	seen := make(map[string]bool)
	err := scanStanzas(r, func(s *stanza) {
		if s.bad != "" {
			warnings = append(warnings, Warning{Line: s.line, Message: s.bad})
			return
		}
		pkg, deps, skip, warn := toPackage(s)
		switch {
		case warn != "":
			warnings = append(warnings, Warning{Line: s.line, Message: warn})
			return
		case skip:
			return
		case seen[pkg.ID]:
			warnings = append(warnings, Warning{Line: s.line, Message: fmt.Sprintf("duplicate package %s", pkg.ID)})
			return
		}
		seen[pkg.ID] = true
		pkgs = append(pkgs, pkg)
		depends = append(depends, deps)
	})
	if err != nil {
		return nil, nil, err
	}

	// Depends names packages; resolve them to the IDs of this file's packages.
	ids := make(map[string]string, len(pkgs))
	for _, p := range pkgs {
		ids[p.Name] = p.ID
	}
	for i := range pkgs {
		var on []string
		for _, d := range depends[i] {
			if id, ok := ids[d]; ok && id != pkgs[i].ID {
				on = append(on, id)
			}
		}
		slices.Sort(on)
		pkgs[i].DependsOn = slices.Compact(on)
	}
	return pkgs, warnings, nil
}

// scanStanzas splits r into stanzas and calls fn for each.
func scanStanzas(r io.Reader, fn func(*stanza)) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), maxLine)
	var (
		cur     *stanza
		lastKey string
		lineNo  int
	)
	flush := func() {
		if cur != nil {
			fn(cur)
		}
		cur, lastKey = nil, ""
	}
	for sc.Scan() {
		lineNo++
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		if cur == nil {
			cur = &stanza{line: lineNo, fields: make(map[string]string)}
		}
		if cur.bad != "" {
			continue // already corrupt: swallow the rest of the stanza
		}
		if line[0] == ' ' || line[0] == '\t' {
			if lastKey == "" {
				cur.bad = fmt.Sprintf("continuation line %d outside a field", lineNo)
				continue
			}
			if v, ok := cur.fields[lastKey]; ok {
				cur.fields[lastKey] = v + "\n" + strings.TrimSpace(line)
			}
			continue
		}
		if line[0] == '#' {
			continue // deb822 comment
		}
		key, value, ok := strings.Cut(line, ":")
		key = strings.TrimSpace(key)
		if !ok || key == "" || strings.ContainsAny(key, " \t") {
			cur.bad = fmt.Sprintf("malformed field line %d: %q", lineNo, truncate(line, 80))
			continue
		}
		key = strings.ToLower(key)
		if _, dup := cur.fields[key]; dup {
			lastKey = "" // keep the first occurrence, ignore this one's continuations
			continue
		}
		cur.fields[key] = strings.TrimSpace(value)
		lastKey = key
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("dpkg status line %d: %w", lineNo+1, err)
	}
	flush()
	return nil
}

// toPackage converts a well-formed stanza. skip is set for stanzas that are
// not installed packages (no warning); warn explains a corrupt one.
func toPackage(s *stanza) (pkg model.Package, deps []string, skip bool, warn string) {
	if !installed(s.get("status")) {
		return pkg, nil, true, ""
	}
	name := s.get("package")
	if name == "" {
		return pkg, nil, false, "stanza without a Package field"
	}
	rawVersion := s.get("version")
	if rawVersion == "" {
		return pkg, nil, false, fmt.Sprintf("package %q has no Version", name)
	}
	v, err := debversion.NewVersion(rawVersion)
	if err != nil {
		return pkg, nil, false, fmt.Sprintf("package %q has an invalid version %q: %v", name, rawVersion, err)
	}
	pkg = model.Package{
		ID:         name + "@" + rawVersion,
		Name:       name,
		Version:    v.Version(),
		Release:    v.Revision(),
		Epoch:      v.Epoch(),
		Arch:       s.get("architecture"),
		Maintainer: s.get("maintainer"),
	}

	srcName, srcVersion := parseSource(s.get("source"))
	if srcName == "" {
		srcName = name
	}
	if srcVersion == "" {
		srcVersion = rawVersion
	}
	sv, err := debversion.NewVersion(srcVersion)
	if err != nil {
		return model.Package{}, nil, false, fmt.Sprintf("package %q has an invalid source version %q: %v", name, srcVersion, err)
	}
	pkg.SrcName = srcName
	pkg.SrcVersion = sv.Version()
	pkg.SrcRelease = sv.Revision()
	pkg.SrcEpoch = sv.Epoch()

	return pkg, parseDepends(s.get("depends")), false, ""
}

// installed reports whether a Status field ("want flag status") describes a
// package whose files are on disk. Like Trivy, a package the administrator
// asked to remove or purge is not reported, and a stanza with no Status (a
// distroless status.d control file) is; unlike Trivy, a package whose files
// are gone (state not-installed or config-files, whatever is wanted) is
// not reported either.
func installed(status string) bool {
	f := strings.Fields(status)
	if len(f) == 0 {
		return true
	}
	if f[0] == "deinstall" || f[0] == "purge" {
		return false
	}
	state := f[len(f)-1]
	return state != "not-installed" && state != "config-files"
}

// parseSource splits a Source field: "pam" or "gcc-5 (5.1.1-12ubuntu1)".
func parseSource(src string) (name, version string) {
	src = strings.TrimSpace(src)
	if src == "" {
		return "", ""
	}
	name, rest, _ := strings.Cut(src, " ")
	rest = strings.TrimSpace(rest)
	if strings.HasPrefix(rest, "(") && strings.HasSuffix(rest, ")") {
		version = strings.TrimSpace(rest[1 : len(rest)-1])
	}
	return name, version
}

// parseDepends returns the package names a Depends field mentions:
// "libc6 (>= 2.14), debconf | debconf-2.0, python3:any" →
// [libc6 debconf debconf-2.0 python3].
func parseDepends(s string) []string {
	var names []string
	for dep := range strings.SplitSeq(s, ",") {
		for alt := range strings.SplitSeq(dep, "|") {
			alt, _, _ = strings.Cut(alt, "(")
			alt, _, _ = strings.Cut(alt, "[")
			alt, _, _ = strings.Cut(alt, "<")
			alt = strings.TrimSpace(alt)
			alt, _, _ = strings.Cut(alt, ":")
			if alt != "" && !slices.Contains(names, alt) {
				names = append(names, alt)
			}
		}
	}
	return names
}

// ParseList reads a var/lib/dpkg/info/<pkg>.list file and returns the files
// it lists, as artifact-relative paths without a leading slash. Directories
// (entries that are a prefix of the next entry) and "/." are left out, as
// Trivy does.
func ParseList(r io.Reader) ([]string, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), maxLine)
	var (
		files    []string
		previous string
		lineNo   int
	)
	add := func(p string) {
		p = strings.TrimLeft(p, "/")
		if p != "" && p != "." {
			files = append(files, p)
		}
	}
	for sc.Scan() {
		lineNo++
		current := strings.TrimRight(sc.Text(), "\r")
		if current == "" || current == "/." {
			continue
		}
		if previous != "" && !strings.HasPrefix(current, previous+"/") {
			add(previous)
		}
		previous = current
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("dpkg file list line %d: %w", lineNo+1, err)
	}
	if previous != "" {
		add(previous)
	}
	return files, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
