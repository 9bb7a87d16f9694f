// Package jar reads Java archives (.jar, .war, .ear, .par, .jpi, .hpi) from
// memory and reports the Maven artifacts they hold.
//
// Identity follows Trivy: every pom.properties in an archive (a shaded jar
// holds several) is a package named groupId:artifactId; an archive without
// one is identified by its META-INF/MANIFEST.MF (Implementation-*,
// Specification-*, Bundle-* attributes), and failing that by its file name
// ("name-1.2.3.jar"). Archives nested inside archives (WEB-INF/lib/*.jar in a
// war, a war in an ear) are read recursively up to Limits.MaxDepth.
//
// The parser is pure: nothing is extracted to disk (entry names such as
// "../x" therefore never matter), nothing is executed and the network is
// never reached. Decompression is bounded per entry and per top-level
// archive so that zip bombs are refused with a warning rather than read.
package jar

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/trawlsec/trawl/pkg/model"
)

// Ecosystem is the OSV ecosystem of Java artifacts.
const Ecosystem = model.EcosystemMaven

// Limits bound the work done on one top-level archive.
type Limits struct {
	// MaxDepth is how many levels of nested archives are opened below the
	// top-level one (0: the top-level archive only).
	MaxDepth int
	// MaxTotal bounds the uncompressed bytes read from all entries of one
	// top-level archive and the archives nested in it.
	MaxTotal int64
	// MaxEntry bounds the uncompressed size of one nested archive.
	MaxEntry int64
	// MaxMeta bounds the uncompressed size of one pom.properties or
	// MANIFEST.MF.
	MaxMeta int64
	// MaxEntries bounds the entries of one archive; larger archives are
	// refused.
	MaxEntries int
}

// DefaultLimits returns the limits Parse uses when given the zero Limits:
// depth 5, 256 MiB in total, 128 MiB per nested archive, 1 MiB per metadata
// file and 200,000 entries per archive.
func DefaultLimits() Limits {
	return Limits{MaxDepth: 5, MaxTotal: 256 << 20, MaxEntry: 128 << 20, MaxMeta: 1 << 20, MaxEntries: 200_000}
}

// Warning is a part of an archive that was skipped.
type Warning struct {
	// Path is the archive or entry concerned ("app.war/WEB-INF/lib/x.jar").
	Path   string
	Reason string
}

// Result is what Parse found in one archive.
type Result struct {
	Packages []model.Package
	Warnings []Warning
}

var (
	// ErrNotZip reports content that is not a zip archive.
	ErrNotZip = errors.New("trawl/java/jar: not a zip archive")
	// errBudget reports that the per-archive byte budget is spent.
	errBudget = errors.New("uncompressed size limit reached")
)

// IsArchiveName reports whether name ends in a Java archive extension
// (case-insensitively).
func IsArchiveName(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".jar", ".war", ".ear", ".par", ".jpi", ".hpi":
		return true
	}
	return false
}

// parser holds the state of one Parse call.
type parser struct {
	ctx    context.Context
	lim    Limits
	budget int64
	res    Result
}

// Parse reads the archive content, whose artifact-relative path is
// filePath, and returns the packages of it and of the archives nested in it,
// sorted by file path, name and version. Packages found in a nested archive
// have FilePath "outer.war/WEB-INF/lib/inner.jar". Digest is the SHA-1 of the
// archive the package was identified in.
//
// Content that is not a zip archive returns ErrNotZip. Problems below the
// top level (a corrupt nested jar, an entry over the limits) become warnings
// and the rest of the archive is still read.
func Parse(ctx context.Context, filePath string, content []byte, lim Limits) (*Result, error) {
	if lim == (Limits{}) {
		lim = DefaultLimits()
	}
	p := &parser{ctx: ctx, lim: lim, budget: lim.MaxTotal}
	if err := p.archive(filePath, content, 0); err != nil {
		return nil, err
	}
	sort.SliceStable(p.res.Packages, func(i, j int) bool {
		a, b := p.res.Packages[i], p.res.Packages[j]
		if a.FilePath != b.FilePath {
			return a.FilePath < b.FilePath
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Version < b.Version
	})
	return &p.res, nil
}

func (p *parser) warn(path, format string, args ...any) {
	p.res.Warnings = append(p.res.Warnings, Warning{Path: path, Reason: fmt.Sprintf(format, args...)})
}

// archive reads one archive at the given nesting depth.
func (p *parser) archive(filePath string, content []byte, depth int) error {
	if err := p.ctx.Err(); err != nil {
		return err
	}
	zr, err := zip.NewReader(bytes.NewReader(content), int64(len(content)))
	if err != nil {
		return fmt.Errorf("%w: %w", ErrNotZip, err)
	}
	if len(zr.File) > p.lim.MaxEntries {
		return fmt.Errorf("%d entries, over the limit of %d", len(zr.File), p.lim.MaxEntries)
	}
	sum := sha1.Sum(content)
	digest := "sha1:" + hex.EncodeToString(sum[:])

	var (
		pkgs     []model.Package
		manifest *zip.File
		nested   []*zip.File
		props    []*zip.File
		poms     = map[string]*zip.File{}
	)
	for _, f := range zr.File {
		if err := p.ctx.Err(); err != nil {
			return err
		}
		name := f.Name
		switch {
		case strings.HasSuffix(name, "/"):
			continue
		case path.Base(name) == "pom.properties":
			props = append(props, f)
		case path.Base(name) == "pom.xml" && strings.HasPrefix(name, "META-INF/maven/"):
			poms[path.Dir(name)] = f
		case strings.EqualFold(name, "META-INF/MANIFEST.MF"):
			manifest = f
		case IsArchiveName(name):
			nested = append(nested, f)
		}
	}

	for _, f := range props {
		b, err := p.read(f, p.lim.MaxMeta)
		if err != nil {
			p.warn(filePath+"/"+f.Name, "%v", err)
			continue
		}
		pkg, ok := parseProperties(b)
		if !ok {
			continue
		}
		if pom, ok := poms[path.Dir(f.Name)]; ok {
			if b, err := p.read(pom, p.lim.MaxMeta); err == nil {
				pkg.Licenses = pomLicenses(b)
			}
		}
		pkgs = append(pkgs, pkg)
	}
	if len(pkgs) == 0 && manifest != nil {
		b, err := p.read(manifest, p.lim.MaxMeta)
		if err != nil {
			p.warn(filePath+"/"+manifest.Name, "%v", err)
		} else if pkg, ok := parseManifest(b); ok {
			pkgs = append(pkgs, pkg)
		}
	}
	if len(pkgs) == 0 {
		if pkg, ok := parseFileName(filePath); ok {
			pkgs = append(pkgs, pkg)
		}
	}
	seen := map[string]bool{}
	for _, pkg := range pkgs {
		if seen[pkg.ID] {
			continue
		}
		seen[pkg.ID] = true
		pkg.FilePath = filePath
		pkg.Digest = digest
		p.res.Packages = append(p.res.Packages, pkg)
	}

	for _, f := range nested {
		inner := filePath + "/" + f.Name
		if depth >= p.lim.MaxDepth {
			p.warn(inner, "nested archive not read: deeper than %d levels", p.lim.MaxDepth)
			continue
		}
		b, err := p.read(f, p.lim.MaxEntry)
		if err != nil {
			p.warn(inner, "%v", err)
			if errors.Is(err, errBudget) {
				return nil
			}
			continue
		}
		if err := p.archive(inner, b, depth+1); err != nil {
			if ctxErr := p.ctx.Err(); ctxErr != nil {
				return ctxErr
			}
			p.warn(inner, "%v", err)
		}
	}
	return nil
}

// read decompresses one entry of at most limit bytes, charging it to the
// archive's budget. The declared size is checked first, so that a bomb is
// refused without being inflated; a header that lies is caught while reading.
func (p *parser) read(f *zip.File, limit int64) ([]byte, error) {
	if f.UncompressedSize64 > uint64(limit) {
		return nil, fmt.Errorf("entry not read: uncompressed size %d over the limit of %d (possible zip bomb)", f.UncompressedSize64, limit)
	}
	if int64(f.UncompressedSize64) > p.budget {
		return nil, fmt.Errorf("entry not read: %w (%d bytes per archive)", errBudget, p.lim.MaxTotal)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("opening entry: %w", err)
	}
	defer rc.Close()
	max := min(limit, p.budget)
	b, err := io.ReadAll(io.LimitReader(rc, max+1))
	p.budget -= int64(len(b))
	if err != nil {
		return nil, fmt.Errorf("reading entry: %w", err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("entry not read: more than %d bytes uncompressed (possible zip bomb)", max)
	}
	return b, nil
}

// newPackage builds a package with its ID and ecosystem.
func newPackage(name, version string) model.Package {
	return model.Package{ID: name + "@" + version, Name: name, Version: version, Ecosystem: Ecosystem}
}

// parseProperties reads a pom.properties file. It needs groupId, artifactId
// and version.
func parseProperties(b []byte) (model.Package, bool) {
	var group, artifact, version string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == '!' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			k, v, ok = strings.Cut(line, ":")
		}
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch strings.TrimSpace(k) {
		case "groupId":
			group = v
		case "artifactId":
			artifact = v
		case "version":
			version = v
		}
	}
	if group == "" || artifact == "" || version == "" {
		return model.Package{}, false
	}
	return newPackage(group+":"+artifact, version), true
}

// parseManifest reads the main section of a MANIFEST.MF, joining
// continuation lines, and derives groupId, artifactId and version the way
// Trivy does.
func parseManifest(b []byte) (model.Package, bool) {
	attrs := map[string]string{}
	var last string
	for _, line := range strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n") {
		if line == "" {
			if len(attrs) > 0 {
				break // end of the main section
			}
			continue
		}
		if line[0] == ' ' {
			if last != "" {
				attrs[last] += line[1:]
			}
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			last = ""
			continue
		}
		last = strings.TrimSpace(k)
		attrs[last] = strings.TrimSpace(v)
	}
	first := func(keys ...string) string {
		for _, k := range keys {
			if v := strings.TrimSpace(attrs[k]); v != "" {
				return v
			}
		}
		return ""
	}
	group := first("Implementation-Vendor-Id")
	if group == "" {
		if sym := first("Bundle-SymbolicName"); sym != "" {
			sym, _, _ = strings.Cut(sym, ";") // directives such as ;singleton:=true
			group = strings.TrimSpace(sym)
			if i := strings.LastIndex(group, "."); i > 0 {
				group = group[:i]
			}
		}
	}
	if group == "" {
		group = first("Implementation-Vendor", "Specification-Vendor")
	}
	artifact := first("Implementation-Title", "Specification-Title", "Bundle-Name")
	version := first("Implementation-Version", "Specification-Version", "Bundle-Version")
	if !validCoordinate(group) || !validCoordinate(artifact) || version == "" || strings.ContainsAny(version, " \t") {
		return model.Package{}, false
	}
	pkg := newPackage(group+":"+artifact, version)
	// Jenkins plugins name their licences Plugin-License-Name,
	// Plugin-License-Name-2, …
	for i := 1; ; i++ {
		k := "Plugin-License-Name"
		if i > 1 {
			k += "-" + strconv.Itoa(i)
		}
		v := first(k)
		if v == "" {
			break
		}
		pkg.Licenses = append(pkg.Licenses, v)
	}
	return pkg, true
}

// pomLicenses returns the licence names of a pom.xml; a pom.xml that does
// not decode gives none.
func pomLicenses(b []byte) []string {
	var pom struct {
		Licenses []struct {
			Name string `xml:"name"`
		} `xml:"licenses>license"`
	}
	if err := xml.Unmarshal(b, &pom); err != nil {
		return nil
	}
	var out []string
	for _, l := range pom.Licenses {
		if n := strings.TrimSpace(l.Name); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// validCoordinate reports whether s can be a Maven groupId or artifactId
// (letters, digits, '.', '-', '_'). Manifest titles and vendors are often
// prose ("Spring Framework", "JBoss by Red Hat"), which is no identity.
func validCoordinate(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// fileNameRe splits "name-1.2.3" (the extension removed) as Trivy does.
var fileNameRe = regexp.MustCompile(`^([a-zA-Z0-9._-]*[^-*])-(\d\S*(?:-SNAPSHOT)?)$`)

// parseFileName derives artifactId and version from an archive's file name.
// The groupId is unknown, so the package name is the artifactId alone.
func parseFileName(filePath string) (model.Package, bool) {
	base := path.Base(filePath)
	base = strings.TrimSuffix(base, path.Ext(base))
	m := fileNameRe.FindStringSubmatch(base)
	if m == nil {
		return model.Package{}, false
	}
	return newPackage(m[1], m[2]), true
}
