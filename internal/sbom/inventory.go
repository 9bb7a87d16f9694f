package sbom

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	packageurl "github.com/package-url/packageurl-go"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/apply"
	"github.com/trawlsec/trawl/pkg/model"
)

// analyzerName tags the warnings Decode returns.
const analyzerName = "sbom"

// Property prefixes of the tools whose properties Decode understands.
const (
	propTrawl = "trawl:"
	propTrivy = "aquasecurity:trivy:"
)

// kind is the role of a component in the document.
type kind int

const (
	kindPackage kind = iota
	// kindApp is a target grouping packages (a lockfile, "Node.js").
	kindApp
	kindOS
	// kindRoot is the artifact the document describes.
	kindRoot
)

// component is a CycloneDX component or an SPDX package, reduced to what
// the inventory needs.
type component struct {
	ref      string
	bomRef   string
	kind     kind
	name     string
	group    string
	version  string
	purl     string
	props    map[string]string
	licenses []string
	// srcInfo is SPDX's "built package from: name version".
	srcName, srcFullVersion string
}

// document is a decoded SBOM in a format-neutral form.
type document struct {
	comps []*component
	byRef map[string]*component
	// containers maps a component ref to the refs of the components that
	// hold it (application, OS).
	containers map[string][]string
	// dependents is the reverse of deps, built on first use.
	dependents map[string][]string
	// deps maps a component ref to the refs it depends on.
	deps     map[string][]string
	warnings []string
}

func newDocument() *document {
	return &document{byRef: map[string]*component{}, containers: map[string][]string{}, deps: map[string][]string{}}
}

func (d *document) add(c *component) {
	if c.ref == "" {
		c.ref = fmt.Sprintf("\x00anon-%d", len(d.comps))
	}
	if _, dup := d.byRef[c.ref]; dup {
		c.ref = fmt.Sprintf("%s\x00%d", c.ref, len(d.comps))
	}
	d.comps = append(d.comps, c)
	d.byRef[c.ref] = c
}

func (d *document) warnf(format string, args ...any) {
	d.warnings = append(d.warnings, fmt.Sprintf(format, args...))
}

// setProp records a tool property, stripping a known prefix; other
// properties are ignored.
func setProp(props map[string]string, name, value string) {
	for _, p := range [...]string{propTrawl, propTrivy} {
		if k, ok := strings.CutPrefix(name, p); ok && k != "" {
			if _, seen := props[k]; !seen {
				props[k] = value
			}
			return
		}
	}
}

type builtPkg struct {
	pkg     model.Package
	typ     string
	setPath string
	os      bool
	ref     string
}

// inventory turns the document into an inventory.
func (d *document) inventory(name string) *apply.Inventory {
	inv := &apply.Inventory{}
	for _, c := range d.comps {
		if c.kind == kindOS && inv.OS == nil && c.name != "" {
			inv.OS = &model.OS{Family: normalizeFamily(c.name), Name: c.version}
		}
	}

	var built []*builtPkg
	idByRef := map[string]string{}
	var distroOS *model.OS
	for _, c := range d.comps {
		b := d.build(c, &distroOS)
		if b == nil {
			continue
		}
		built = append(built, b)
		idByRef[c.ref] = b.pkg.ID
	}
	if inv.OS == nil && distroOS != nil {
		inv.OS = distroOS
	}

	for _, b := range built {
		var deps []string
		for _, to := range d.deps[b.ref] {
			if id, ok := idByRef[to]; ok && to != b.ref {
				deps = append(deps, id)
			}
		}
		b.pkg.DependsOn = uniqueSorted(deps)
	}

	// One OS package type: the most common one wins.
	osCount := map[string]int{}
	for _, b := range built {
		if b.os {
			osCount[b.typ]++
		}
	}
	for _, t := range []string{model.TypeDpkg, model.TypeApk, model.TypeRPM} {
		if osCount[t] > osCount[inv.OSPackageType] {
			inv.OSPackageType = t
		}
	}

	type setKey struct{ typ, path string }
	sets := map[setKey]*analyze.PackageSet{}
	for _, b := range built {
		if b.os {
			if b.typ != inv.OSPackageType {
				d.warnf("OS package %s (%s) is not of the document's OS package type %s; skipped", b.pkg.ID, b.typ, inv.OSPackageType)
				continue
			}
			inv.OSPackages = append(inv.OSPackages, b.pkg)
			continue
		}
		k := setKey{b.typ, b.setPath}
		s := sets[k]
		if s == nil {
			s = &analyze.PackageSet{Type: b.typ, FilePath: b.setPath}
			sets[k] = s
		}
		s.Packages = append(s.Packages, b.pkg)
	}
	sortPackages(inv.OSPackages)
	keys := make([]setKey, 0, len(sets))
	for k := range sets {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].typ != keys[j].typ {
			return keys[i].typ < keys[j].typ
		}
		return keys[i].path < keys[j].path
	})
	for _, k := range keys {
		s := sets[k]
		sortPackages(s.Packages)
		inv.Applications = append(inv.Applications, *s)
	}
	for _, w := range d.warnings {
		inv.Warnings = append(inv.Warnings, analyze.FileNote{Path: name, Analyzer: analyzerName, Reason: w})
	}
	return inv
}

// build makes the package of one component, or returns nil (with a
// warning where the component should have been a package).
func (d *document) build(c *component, distroOS **model.OS) *builtPkg {
	if c.kind == kindRoot || c.kind == kindOS {
		return nil
	}
	if c.purl == "" {
		if c.kind == kindPackage {
			d.warnf("component %q has no purl; skipped", displayName(c))
		}
		return nil
	}
	pu, err := packageurl.FromString(c.purl)
	if err != nil {
		d.warnf("component %q has an invalid purl %q: %v; skipped", displayName(c), c.purl, err)
		return nil
	}
	k, ok := kindOf(pu.Type)
	if !ok {
		d.warnf("component %q: purl type %q is not supported; skipped", displayName(c), pu.Type)
		return nil
	}
	quals := pu.Qualifiers.Map()
	name := purlName(pu)
	if given := componentName(c, pu); sameName(pu.Type, name, given) {
		name = given
	}
	if name == "" {
		d.warnf("component %q has a purl without a name; skipped", displayName(c))
		return nil
	}
	version := pu.Version
	if version == "" {
		version = c.version
	}
	p := model.Package{
		Name:       name,
		Version:    version,
		Arch:       quals["arch"],
		Licenses:   c.licenses,
		Identifier: model.Identifier{PURL: c.purl, BOMRef: c.bomRef},
		Ecosystem:  k.ecosystem,
	}
	props := c.props
	b := &builtPkg{os: k.os, ref: c.ref}

	if k.os {
		b.typ = k.pkgType
		full := version
		if e := quals["epoch"]; e != "" && e != "0" && !strings.Contains(version, ":") {
			full = e + ":" + version
		}
		if pu.Type == packageurl.TypeApk {
			p.Version = full
		} else {
			p.Epoch, p.Version, p.Release = splitDebVersion(full)
		}
		if os, ok := osFromDistro(pu); ok && *distroOS == nil {
			*distroOS = &os
		}
	} else {
		b.typ = k.pkgType
		if t := props["PkgType"]; t != "" && !model.IsOSType(t) {
			b.typ = t
		} else if t := d.containerType(c); t != "" && !model.IsOSType(t) {
			b.typ = t
		} else if pu.Type == packageurl.TypeGolang && props["FilePath"] != "" {
			b.typ = model.TypeGoBinary
		}
		p.FilePath = props["FilePath"]
		switch {
		case model.IsAggregated(b.typ):
			b.setPath = p.FilePath
		default:
			b.setPath = d.containerName(c)
			if b.setPath == "" {
				b.setPath = p.FilePath
			}
		}
	}

	// Source package.
	p.SrcName = props["SrcName"]
	p.SrcVersion = props["SrcVersion"]
	p.SrcRelease = props["SrcRelease"]
	if e, err := strconv.Atoi(props["SrcEpoch"]); err == nil && e > 0 {
		p.SrcEpoch = e
	}
	if p.SrcName == "" && c.srcName != "" {
		p.SrcName = c.srcName
		if k.os && pu.Type != packageurl.TypeApk {
			p.SrcEpoch, p.SrcVersion, p.SrcRelease = splitDebVersion(c.srcFullVersion)
		} else {
			p.SrcVersion = c.srcFullVersion
		}
	}
	if k.os && p.SrcName == "" {
		p.SrcName, p.SrcVersion, p.SrcRelease, p.SrcEpoch = upstream(pu.Type, quals["upstream"])
	}
	if k.os && p.SrcName == "" {
		// As the OS parsers do: the source defaults to the binary.
		p.SrcName = p.Name
	}
	if k.os && p.SrcVersion == "" {
		p.SrcVersion, p.SrcRelease, p.SrcEpoch = p.Version, p.Release, p.Epoch
	}

	p.Layer = model.Layer{Digest: props["LayerDigest"], DiffID: props["LayerDiffID"]}
	p.Dev = props["Dev"] == "true"
	p.ID = props["PkgID"]
	if p.ID == "" {
		p.ID = p.Name + "@" + p.FullVersion()
	}
	b.pkg = p
	return b
}

// componentName is the name the SBOM gives, with the CycloneDX group
// joined the way the ecosystem writes it.
func componentName(c *component, pu packageurl.PackageURL) string {
	if c.group == "" || strings.HasPrefix(c.name, c.group) {
		return c.name
	}
	if pu.Type == packageurl.TypeMaven {
		return c.group + ":" + c.name
	}
	return c.group + "/" + c.name
}

func displayName(c *component) string {
	if c.version != "" {
		return c.name + "@" + c.version
	}
	if c.name == "" {
		return c.ref
	}
	return c.name
}

// container returns the application component that holds c, if any: the
// nearest one up the containment and dependency edges, so that a Go
// binary's modules, which hang below its main module, belong to the binary.
func (d *document) container(c *component) *component {
	if d.dependents == nil {
		d.dependents = map[string][]string{}
		for from, tos := range d.deps {
			for _, to := range tos {
				d.dependents[to] = append(d.dependents[to], from)
			}
		}
		for _, l := range d.dependents {
			sort.Strings(l) // a deterministic choice when several apps share a package
		}
	}
	seen := map[string]bool{c.ref: true}
	queue := []string{c.ref}
	for len(queue) > 0 {
		ref := queue[0]
		queue = queue[1:]
		ups := append(append([]string(nil), d.containers[ref]...), d.dependents[ref]...)
		for _, up := range ups {
			if seen[up] {
				continue
			}
			seen[up] = true
			p := d.byRef[up]
			if p == nil {
				continue
			}
			if p.kind == kindApp {
				return p
			}
			queue = append(queue, up)
		}
	}
	return nil
}

func (d *document) containerType(c *component) string {
	if p := d.container(c); p != nil {
		return p.props["Type"]
	}
	return ""
}

func (d *document) containerName(c *component) string {
	if p := d.container(c); p != nil {
		return p.name
	}
	return ""
}

func sortPackages(pkgs []model.Package) {
	sort.SliceStable(pkgs, func(i, j int) bool {
		a, b := pkgs[i], pkgs[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		if av, bv := a.FullVersion(), b.FullVersion(); av != bv {
			return av < bv
		}
		return a.FilePath < b.FilePath
	})
}

func uniqueSorted(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	out := append([]string(nil), s...)
	sort.Strings(out)
	n := 0
	for i, v := range out {
		if i == 0 || v != out[n-1] {
			out[n] = v
			n++
		}
	}
	return out[:n]
}
