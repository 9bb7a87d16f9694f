// Package csproj reads the NuGet references of an MSBuild project file
// (*.csproj): its <PackageReference> items with their Version or
// VersionOverride (attribute or child element) and line ranges. Versions
// named by central package management (Directory.Packages.props) are not
// known here; Resolve completes them from a central version map.
//
// MSBuild conditions and properties are not evaluated: items under a
// Condition are read like the others, and a version holding "$(...)" stays
// unresolved.
package csproj

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/trawlsec/trawl/pkg/model"
)

// Ecosystem is the OSV ecosystem of NuGet packages.
const Ecosystem = model.EcosystemNuGet

// Reference is one <PackageReference> of a project file.
type Reference struct {
	// Name is the Include (or, without one, the Update) attribute.
	Name string
	// Version and VersionOverride are as written, trimmed.
	Version         string
	VersionOverride string
	// StartLine and EndLine are the item's 1-based lines.
	StartLine, EndLine int
}

type item struct {
	Include             string `xml:"Include,attr"`
	Update              string `xml:"Update,attr"`
	Version             string `xml:"Version,attr"`
	VersionOverride     string `xml:"VersionOverride,attr"`
	VersionElem         string `xml:"Version"`
	VersionOverrideElem string `xml:"VersionOverride"`
}

// Parse reads a project file's package references in document order.
func Parse(ctx context.Context, content []byte) ([]Reference, error) {
	d := xml.NewDecoder(bytes.NewReader(content))
	d.Strict = false
	ln := newLines(content)
	var refs []Reference
	depth := 0
	found := false
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		off := d.InputOffset()
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("decoding project file: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				if t.Name.Local != "Project" {
					return nil, fmt.Errorf("decoding project file: root element is <%s>, not <Project>", t.Name.Local)
				}
				found = true
			}
			if depth > 0 && t.Name.Local == "PackageReference" {
				var it item
				if err := d.DecodeElement(&it, &t); err != nil {
					return nil, fmt.Errorf("decoding PackageReference: %w", err)
				}
				name := strings.TrimSpace(it.Include)
				if name == "" {
					name = strings.TrimSpace(it.Update)
				}
				if name == "" {
					continue
				}
				r := Reference{
					Name: name, Version: first(it.Version, it.VersionElem), VersionOverride: first(it.VersionOverride, it.VersionOverrideElem),
					StartLine: ln.start(off), EndLine: ln.end(d.InputOffset()),
				}
				refs = append(refs, r)
				continue
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
	if !found {
		return nil, errors.New("decoding project file: no <Project> element")
	}
	return refs, nil
}

func first(a, b string) string {
	if a = strings.TrimSpace(a); a != "" {
		return a
	}
	return strings.TrimSpace(b)
}

// Resolve turns references into packages. central maps lower-cased package
// names to the versions of the Directory.Packages.props that applies (nil
// when there is none). VersionOverride wins over Version, which wins over
// the central version. A reference whose version stays unknown, holds an
// MSBuild property, or is a floating version or an open range is left out
// and named in the returned warnings. Exact ranges ("[1.2.3]") and minimum
// versions ("[1.2.3,)" and plain "1.2.3", NuGet's lowest applicable
// version) give their version. All packages are direct; sorted by ID, a
// package referenced twice is reported once with both locations.
func Resolve(refs []Reference, central map[string]string) ([]model.Package, []string) {
	var warnings []string
	byID := map[string]int{}
	var pkgs []model.Package
	for _, r := range refs {
		raw := r.VersionOverride
		if raw == "" {
			raw = r.Version
		}
		if raw == "" {
			raw = central[strings.ToLower(r.Name)]
		}
		if strings.Contains(r.Name, "$(") {
			warnings = append(warnings, fmt.Sprintf("package reference %q (line %d): name holds an MSBuild property", r.Name, r.StartLine))
			continue
		}
		v, ok := version(raw)
		if !ok {
			warnings = append(warnings, fmt.Sprintf("package reference %s (line %d): version %q not resolvable", r.Name, r.StartLine, raw))
			continue
		}
		loc := model.Location{StartLine: r.StartLine, EndLine: r.EndLine}
		id := r.Name + "@" + v
		if i, ok := byID[strings.ToLower(id)]; ok {
			pkgs[i].Locations = append(pkgs[i].Locations, loc)
			continue
		}
		byID[strings.ToLower(id)] = len(pkgs)
		pkgs = append(pkgs, model.Package{
			ID: id, Name: r.Name, Version: v, Ecosystem: Ecosystem,
			Relationship: model.RelationshipDirect, Locations: []model.Location{loc},
		})
	}
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].ID < pkgs[j].ID })
	return pkgs, warnings
}

// version returns the version a NuGet version string pins, if any.
func version(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" || strings.Contains(s, "$(") || strings.Contains(s, "*") {
		return "", false
	}
	if strings.HasPrefix(s, "[") {
		inner := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(s, "["), "]"))
		if strings.HasSuffix(s, "]") && !strings.Contains(inner, ",") {
			return inner, inner != "" // [1.2.3]: exactly
		}
		lo, _, ok := strings.Cut(strings.TrimPrefix(s, "["), ",")
		if lo = strings.TrimSpace(lo); ok && lo != "" {
			return lo, true // [1.2.3,…: the lowest applicable version
		}
		return "", false
	}
	if strings.ContainsAny(s, "(),] ") {
		return "", false
	}
	return s, true
}

// lines maps byte offsets to 1-based line numbers.
type lines struct {
	content  []byte
	newlines []int
}

func newLines(content []byte) lines {
	l := lines{content: content}
	for i, b := range content {
		if b == '\n' {
			l.newlines = append(l.newlines, i)
		}
	}
	return l
}

func (l lines) line(off int64) int { return sort.SearchInts(l.newlines, int(off)) + 1 }

// start returns the line of the first non-space byte at or after off.
func (l lines) start(off int64) int {
	off = min(off, int64(len(l.content)))
	for off < int64(len(l.content)) && strings.ContainsRune(" \t\r\n", rune(l.content[off])) {
		off++
	}
	return l.line(off)
}

// end returns the line of the byte just before off.
func (l lines) end(off int64) int {
	off = min(off, int64(len(l.content)))
	if off > 0 {
		off--
	}
	return l.line(off)
}
