// Package ruby parses the package formats of RubyGems: Bundler's
// Gemfile.lock and the installed gem specifications
// (specifications/*.gemspec). Gemspec files are Ruby code; they are read by
// matching simple assignments line by line and never evaluated.
package ruby

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/trawlsec/trawl/pkg/model"
)

// Ecosystem is the OSV ecosystem of Ruby gems.
const Ecosystem = model.EcosystemRubyGems

// ID returns the package ID of a gem: name@version.
func ID(name, version string) string { return name + "@" + version }

// ErrGemspec reports a gemspec without a readable name or version.
var ErrGemspec = errors.New("trawl/ruby: gemspec has no literal name or version")

func leadingSpaces(s string) int {
	n := 0
	for n < len(s) && s[n] == ' ' {
		n++
	}
	return n
}

// ParseLockfile reads a Gemfile.lock. Every "name (version)" spec line of
// the GEM, GIT and PATH sections (four spaces of indent) is a package; the
// six-space lines under it are its dependencies. A platform suffix is
// dropped from the version ("1.13.6-x86_64-linux" → "1.13.6"), and a gem
// locked for several platforms is reported once. Gems named in the
// DEPENDENCIES section are direct, the rest indirect. Locations give the
// spec line.
func ParseLockfile(r io.Reader) ([]model.Package, error) {
	type spec struct {
		pkg  model.Package
		deps []string
	}
	var (
		specs   []*spec
		byName  = make(map[string]*spec)
		cur     *spec
		direct  = make(map[string]bool)
		section string
		n       int
	)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), " \t\r")
		if line == "" {
			continue
		}
		indent := leadingSpaces(line)
		if indent == 0 {
			section, cur = line, nil
			continue
		}
		fields := strings.Fields(line)
		switch {
		case section == "DEPENDENCIES" && indent == 2:
			direct[strings.TrimSuffix(fields[0], "!")] = true
		case (section == "GEM" || section == "GIT" || section == "PATH") && indent == 4:
			cur = nil
			if len(fields) != 2 || !strings.HasPrefix(fields[1], "(") || !strings.HasSuffix(fields[1], ")") {
				continue
			}
			version := strings.Trim(fields[1], "()")
			version, _, _ = strings.Cut(version, "-")
			name := fields[0]
			if name == "" || version == "" {
				continue
			}
			if s, ok := byName[name]; ok {
				cur = s // same gem for another platform: merge its dependencies
				continue
			}
			cur = &spec{pkg: model.Package{
				ID: ID(name, version), Name: name, Version: version, Ecosystem: Ecosystem,
				Locations: []model.Location{{StartLine: n, EndLine: n}},
			}}
			specs = append(specs, cur)
			byName[name] = cur
		case cur != nil && indent == 6:
			cur.deps = append(cur.deps, fields[0])
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read Gemfile.lock: %w", err)
	}
	pkgs := make([]model.Package, 0, len(specs))
	for _, s := range specs {
		p := s.pkg
		p.Relationship = model.RelationshipIndirect
		if direct[p.Name] {
			p.Relationship = model.RelationshipDirect
		}
		for _, d := range s.deps {
			if dep, ok := byName[d]; ok {
				p.DependsOn = append(p.DependsOn, dep.pkg.ID)
			}
		}
		slices.Sort(p.DependsOn)
		p.DependsOn = slices.Compact(p.DependsOn)
		pkgs = append(pkgs, p)
	}
	slices.SortFunc(pkgs, func(a, b model.Package) int { return strings.Compare(a.ID, b.ID) })
	return pkgs, nil
}

// ParseGemspec reads an installed gem specification. It finds the block
// variable of "Gem::Specification.new do |s|" and reads the literal string
// values of s.name, s.version, s.license and s.licenses. A gemspec whose
// name or version is not a literal string is an error (ErrGemspec).
// Relationship is unknown: an installed gem does not say who needs it.
func ParseGemspec(r io.Reader) (model.Package, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return model.Package{}, fmt.Errorf("read gemspec: %w", err)
	}
	var (
		v             string
		name, version string
		licenses      []string
	)
	for raw := range bytes.Lines(data) {
		line := strings.TrimSpace(string(raw))
		if v == "" {
			if rest, ok := strings.CutPrefix(line, "Gem::Specification.new do"); ok {
				rest = strings.TrimSpace(rest)
				if len(rest) > 2 && rest[0] == '|' {
					if end := strings.IndexByte(rest[1:], '|'); end > 0 {
						v = strings.TrimSpace(rest[1 : end+1])
					}
				}
			}
			continue
		}
		attr, value, ok := assignment(line, v)
		if !ok {
			continue
		}
		switch attr {
		case "name":
			if s, ok := rubyString(value); ok && name == "" {
				name = s
			}
		case "version":
			if s, ok := rubyString(value); ok && version == "" {
				version = s
			}
		case "license":
			if s, ok := rubyString(value); ok && s != "" {
				licenses = append(licenses, s)
			}
		case "licenses":
			licenses = append(licenses, rubyStrings(value)...)
		}
	}
	if name == "" || version == "" {
		return model.Package{}, ErrGemspec
	}
	return model.Package{
		ID: ID(name, version), Name: name, Version: version, Ecosystem: Ecosystem,
		Relationship: model.RelationshipUnknown, Licenses: licenses,
	}, nil
}

// assignment splits "v.attr = value" into attr and value.
func assignment(line, v string) (attr, value string, ok bool) {
	rest, ok := strings.CutPrefix(line, v+".")
	if !ok {
		return "", "", false
	}
	attr, value, ok = strings.Cut(rest, "=")
	if !ok || strings.HasPrefix(value, "=") || strings.HasPrefix(value, "~") {
		return "", "", false
	}
	attr = strings.TrimSpace(attr)
	if strings.ContainsAny(attr, " \t(") {
		return "", "", false
	}
	return attr, strings.TrimSpace(value), true
}

// rubyString reads a Ruby string literal at the start of s: "…", '…' or
// %q{…} (and its <>, (), [] forms, as old gemspecs write names),
// optionally followed by .freeze.
func rubyString(s string) (string, bool) {
	if rest, ok := strings.CutPrefix(s, "%q"); ok && rest != "" {
		var closer byte
		switch rest[0] {
		case '{':
			closer = '}'
		case '<':
			closer = '>'
		case '(':
			closer = ')'
		case '[':
			closer = ']'
		default:
			return "", false
		}
		end := strings.IndexByte(rest[1:], closer)
		if end < 0 {
			return "", false
		}
		return rest[1 : end+1], true
	}
	if len(s) < 2 || (s[0] != '"' && s[0] != '\'') {
		return "", false
	}
	end := strings.IndexByte(s[1:], s[0])
	if end < 0 {
		return "", false
	}
	return s[1 : end+1], true
}

// rubyStrings reads the string literals of an array literal
// ["a".freeze, "b"].
func rubyStrings(s string) []string {
	if !strings.HasPrefix(s, "[") {
		return nil
	}
	end := strings.IndexByte(s, ']')
	if end < 0 {
		return nil
	}
	var out []string
	for item := range strings.SplitSeq(s[1:end], ",") {
		if str, ok := rubyString(strings.TrimSpace(item)); ok && str != "" {
			out = append(out, str)
		}
	}
	return out
}
