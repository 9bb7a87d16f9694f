// Package pom reads Maven POMs. Parse reads one pom.xml on its own: the
// project itself and its declared dependencies, with ${...} properties,
// the project's own coordinates and the <dependencyManagement> of the same
// file resolved; compile and runtime dependencies are reported, test-scoped
// ones with Dev set, provided, system, import and optional ones left out.
//
// Resolver (resolve.go) builds the effective model instead, from several
// files: parent POMs, imported BOMs, modules and transitive dependencies
// from the module tree and a local repository; there test and provided
// dependencies are reported with Dev set.
//
// Either way a dependency whose version stays unresolved is skipped and
// reported as a warning rather than guessed.
package pom

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

// Ecosystem is the OSV ecosystem of Maven artifacts.
const Ecosystem = model.EcosystemMaven

// maxPropertyDepth bounds nested property expansion (${a} → ${b} → …).
const maxPropertyDepth = 16

// maxValueLen bounds the length of an expanded value (against
// ${a}${a} blow-ups).
const maxValueLen = 4096

// Result is what Parse found in one pom.xml.
type Result struct {
	Packages []model.Package
	// Warnings name dependencies left out because their version could not
	// be resolved from this file alone.
	Warnings []string
}

type project struct {
	GroupID     string       `xml:"groupId"`
	ArtifactID  string       `xml:"artifactId"`
	Version     string       `xml:"version"`
	Parent      parent       `xml:"parent"`
	Properties  properties   `xml:"properties"`
	Management  dependencies `xml:"dependencyManagement>dependencies"`
	Licenses    []license    `xml:"licenses>license"`
	Modules     []string     `xml:"modules>module"`
	locatedDeps []located
}

type parent struct {
	GroupID    string `xml:"groupId"`
	ArtifactID string `xml:"artifactId"`
	Version    string `xml:"version"`
	// RelativePath is nil when absent (Maven's default "../pom.xml"),
	// empty for <relativePath/> (no local lookup).
	RelativePath *string `xml:"relativePath"`
}

type license struct {
	Name string `xml:"name"`
}

type dependencies struct {
	Dependency []dependency `xml:"dependency"`
}

type dependency struct {
	GroupID    string      `xml:"groupId"`
	ArtifactID string      `xml:"artifactId"`
	Version    string      `xml:"version"`
	Scope      string      `xml:"scope"`
	Optional   string      `xml:"optional"`
	Type       string      `xml:"type"`
	Exclusions []exclusion `xml:"exclusions>exclusion"`
}

type exclusion struct {
	GroupID    string `xml:"groupId"`
	ArtifactID string `xml:"artifactId"`
}

// located is a dependency of <project><dependencies> with its line range.
type located struct {
	dependency
	start, end int
}

// properties collects the free-form <properties> children.
type properties map[string]string

// UnmarshalXML implements xml.Unmarshaler.
func (p *properties) UnmarshalXML(d *xml.Decoder, _ xml.StartElement) error {
	*p = properties{}
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			var v string
			if err := d.DecodeElement(&v, &t); err != nil {
				return err
			}
			(*p)[t.Name.Local] = strings.TrimSpace(v)
		case xml.EndElement:
			return nil
		}
	}
}

// Parse reads a pom.xml. The project is reported as the root package (when
// its coordinates resolve), its dependencies as direct ones.
func Parse(ctx context.Context, content []byte) (*Result, error) {
	proj, err := decode(ctx, content)
	if err != nil {
		return nil, err
	}
	r := resolver{proj: proj}
	res := &Result{}

	managed := map[string]dependency{}
	for _, d := range proj.Management.Dependency {
		d = r.dep(d)
		if _, ok := managed[d.GroupID+":"+d.ArtifactID]; !ok {
			managed[d.GroupID+":"+d.ArtifactID] = d
		}
	}

	var pkgs []model.Package
	seen := map[string]bool{}
	for _, ld := range proj.locatedDeps {
		d := r.dep(ld.dependency)
		name := d.GroupID + ":" + d.ArtifactID
		if m, ok := managed[name]; ok {
			if d.Version == "" {
				d.Version = m.Version
			}
			if d.Scope == "" {
				d.Scope = m.Scope
			}
		}
		scope := strings.ToLower(d.Scope)
		if strings.EqualFold(d.Optional, "true") || (scope != "" && scope != "compile" && scope != "runtime" && scope != "test") {
			continue
		}
		if unresolved(d.GroupID) || unresolved(d.ArtifactID) || unresolved(d.Version) {
			res.Warnings = append(res.Warnings, fmt.Sprintf("dependency %s (line %d): version %q not resolvable from this file", name, ld.start, d.Version))
			continue
		}
		p := model.Package{
			ID: name + "@" + d.Version, Name: name, Version: d.Version, Ecosystem: Ecosystem,
			Relationship: model.RelationshipDirect, Dev: scope == "test",
			Locations: []model.Location{{StartLine: ld.start, EndLine: ld.end}},
		}
		if seen[p.ID] {
			continue
		}
		seen[p.ID] = true
		pkgs = append(pkgs, p)
	}
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].ID < pkgs[j].ID })

	group, artifact, version := r.groupID(), r.expand(proj.ArtifactID), r.version()
	if !unresolved(group) && !unresolved(artifact) && !unresolved(version) {
		root := model.Package{
			ID: group + ":" + artifact + "@" + version, Name: group + ":" + artifact, Version: version,
			Ecosystem: Ecosystem, Relationship: model.RelationshipRoot,
		}
		for _, l := range proj.Licenses {
			if n := strings.TrimSpace(l.Name); n != "" {
				root.Licenses = append(root.Licenses, n)
			}
		}
		for _, p := range pkgs {
			if !p.Dev {
				root.DependsOn = append(root.DependsOn, p.ID)
			}
		}
		pkgs = append([]model.Package{root}, pkgs...)
	} else if artifact != "" {
		res.Warnings = append(res.Warnings, fmt.Sprintf("project %s:%s: version %q not resolvable from this file", group, artifact, version))
	}
	res.Packages = pkgs
	return res, nil
}

// decode reads the project and the line ranges of its direct dependencies.
func decode(ctx context.Context, content []byte) (*project, error) {
	var proj project
	d := xml.NewDecoder(bytes.NewReader(content))
	d.Strict = false
	var stack []string
	found := false
	ln := newLines(content)
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
			return nil, fmt.Errorf("decoding pom.xml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) == 0 {
				if t.Name.Local != "project" {
					return nil, fmt.Errorf("decoding pom.xml: root element is <%s>, not <project>", t.Name.Local)
				}
				found = true
				stack = append(stack, "project")
				continue
			}
			where := strings.Join(stack, ">")
			switch {
			case where == "project>dependencies" && t.Name.Local == "dependency":
				var dep dependency
				if err := d.DecodeElement(&dep, &t); err != nil {
					return nil, fmt.Errorf("decoding pom.xml dependency: %w", err)
				}
				proj.locatedDeps = append(proj.locatedDeps, located{dependency: dep, start: ln.start(off), end: ln.end(d.InputOffset())})
			case where == "project" && t.Name.Local == "dependencies":
				stack = append(stack, "dependencies")
			case where == "project":
				if err := decodeField(d, &proj, t); err != nil {
					return nil, fmt.Errorf("decoding pom.xml <%s>: %w", t.Name.Local, err)
				}
			default:
				if err := d.Skip(); err != nil {
					return nil, fmt.Errorf("decoding pom.xml: %w", err)
				}
			}
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	if !found {
		return nil, errors.New("decoding pom.xml: no <project> element")
	}
	return &proj, nil
}

// decodeField decodes one child element of <project> into proj.
func decodeField(d *xml.Decoder, proj *project, t xml.StartElement) error {
	var dst any
	switch t.Name.Local {
	case "groupId":
		dst = &proj.GroupID
	case "artifactId":
		dst = &proj.ArtifactID
	case "version":
		dst = &proj.Version
	case "parent":
		dst = &proj.Parent
	case "properties":
		dst = &proj.Properties
	case "dependencyManagement":
		var dm struct {
			Dependencies dependencies `xml:"dependencies"`
		}
		if err := d.DecodeElement(&dm, &t); err != nil {
			return err
		}
		proj.Management = dm.Dependencies
		return nil
	case "modules":
		var ms struct {
			Module []string `xml:"module"`
		}
		if err := d.DecodeElement(&ms, &t); err != nil {
			return err
		}
		proj.Modules = ms.Module
		return nil
	case "licenses":
		var ls struct {
			License []license `xml:"license"`
		}
		if err := d.DecodeElement(&ls, &t); err != nil {
			return err
		}
		proj.Licenses = ls.License
		return nil
	default:
		return d.Skip()
	}
	return d.DecodeElement(dst, &t)
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

// line returns the line of byte offset off.
func (l lines) line(off int64) int {
	return sort.SearchInts(l.newlines, int(off)) + 1
}

// start returns the line of the first non-space byte at or after off.
func (l lines) start(off int64) int {
	off = min(off, int64(len(l.content)))
	for off < int64(len(l.content)) && (l.content[off] == ' ' || l.content[off] == '\t' || l.content[off] == '\n' || l.content[off] == '\r') {
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

// unresolved reports an empty value or one that still holds a property.
func unresolved(s string) bool { return s == "" || strings.Contains(s, "${") }

// resolver expands ${...} references against one project.
type resolver struct{ proj *project }

func (r resolver) groupID() string {
	if g := r.expand(r.proj.GroupID); g != "" {
		return g
	}
	return r.expand(r.proj.Parent.GroupID)
}

func (r resolver) version() string {
	if v := r.expand(r.proj.Version); v != "" {
		return v
	}
	return r.expand(r.proj.Parent.Version)
}

func (r resolver) dep(d dependency) dependency {
	d.GroupID = r.expand(d.GroupID)
	d.ArtifactID = r.expand(d.ArtifactID)
	d.Version = r.expand(d.Version)
	d.Scope = r.expand(d.Scope)
	d.Optional = r.expand(d.Optional)
	return d
}

// lookup returns the value of one property name.
func (r resolver) lookup(name string, depth int) (string, bool) {
	switch name {
	case "project.version", "pom.version", "version":
		v := strings.TrimSpace(r.proj.Version)
		if v == "" {
			v = strings.TrimSpace(r.proj.Parent.Version)
		}
		return r.expandDepth(v, depth+1), v != ""
	case "project.groupId", "pom.groupId", "groupId":
		v := strings.TrimSpace(r.proj.GroupID)
		if v == "" {
			v = strings.TrimSpace(r.proj.Parent.GroupID)
		}
		return r.expandDepth(v, depth+1), v != ""
	case "project.artifactId", "pom.artifactId", "artifactId":
		v := strings.TrimSpace(r.proj.ArtifactID)
		return r.expandDepth(v, depth+1), v != ""
	case "project.parent.version", "parent.version":
		v := strings.TrimSpace(r.proj.Parent.Version)
		return r.expandDepth(v, depth+1), v != ""
	case "project.parent.groupId", "parent.groupId":
		v := strings.TrimSpace(r.proj.Parent.GroupID)
		return r.expandDepth(v, depth+1), v != ""
	}
	v, ok := r.proj.Properties[name]
	if !ok {
		return "", false
	}
	return r.expandDepth(v, depth+1), true
}

func (r resolver) expand(s string) string { return r.expandDepth(strings.TrimSpace(s), 0) }

// expandDepth replaces every ${name} it can resolve; unknown references
// are kept as written.
func (r resolver) expandDepth(s string, depth int) string {
	if depth > maxPropertyDepth || !strings.Contains(s, "${") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			break
		}
		j := strings.Index(s[i:], "}")
		if j < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		if b.Len() > maxValueLen {
			return b.String() + s[i:] // give up: left unresolved
		}
		name := s[i+2 : i+j]
		if v, ok := r.lookup(name, depth); ok {
			b.WriteString(v)
		} else {
			b.WriteString(s[i : i+j+1])
		}
		s = s[i+j+1:]
	}
	return b.String()
}
