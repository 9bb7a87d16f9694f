// Package apply merges per-layer analysis results into the inventory of the
// final filesystem: it applies whiteouts and opaque directories across
// layers, attributes each package to the layer that installed it, drops
// language packages whose files belong to an OS package, and keeps what
// later layers deleted where it matters (secrets).
package apply

import (
	"fmt"
	"hash/fnv"
	"sort"
	"strings"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/pkg/inventory"
	"github.com/trawlsec/trawl/pkg/model"
	"github.com/trawlsec/trawl/pkg/purl"
)

// Inventory is the merged view of an artifact (the wire type of
// pkg/inventory).
type Inventory = inventory.Inventory

// fileOwner maps a final-filesystem path to the index of the layer that
// last wrote it.
type fileView map[string]int

func (v fileView) remove(p string) {
	delete(v, p)
	prefix := p + "/"
	for k := range v {
		if strings.HasPrefix(k, prefix) {
			delete(v, k)
		}
	}
}

func (v fileView) clearDir(dir string) {
	if dir == "" {
		clear(v)
		return
	}
	v.remove(dir)
}

type setAt struct {
	set   analyze.PackageSet
	layer int
	// since maps a package key to the layer that first had it, for sets
	// rewritten by later layers (a dpkg status file in every layer).
	since map[string]int
}

type licensesAt struct {
	licenses analyze.PackageLicenses
	layer    int
}

type ownedAt struct {
	owned analyze.OwnedFiles
	layer int
}

// Apply merges layers, lowest first.
func Apply(layers []*analyze.LayerResult) *Inventory {
	inv := &Inventory{}
	view := fileView{}
	osSets := map[string]*setAt{}
	appSets := map[string]*setAt{}
	owned := map[string]ownedAt{}
	licenses := map[string]licensesAt{}
	var osInfo *analyze.OSInfo

	summaries := make([]inventory.LayerSummary, len(layers))
	for i, l := range layers {
		sum := &summaries[i]
		sum.DiffID = l.Layer.DiffID
		// Deletions apply to lower layers only, so they go first.
		before := len(view)
		for _, d := range l.OpaqueDirs {
			view.clearDir(d)
		}
		for _, w := range l.Whiteouts {
			view.remove(w)
		}
		sum.Deleted = before - len(view)
		for _, f := range l.Files {
			if _, ok := view[f]; ok {
				sum.Changed++
			} else {
				sum.Added++
			}
			view[f] = i
		}
		for _, s := range l.OSPackages {
			sum.PackagesRemoved += removedPackages(osSets[s.FilePath], s)
		}
		if l.OS != nil && (osInfo == nil || l.OS.Priority >= osInfo.Priority) {
			// A later layer's detection of at least the same precision
			// replaces an earlier one (an upgraded base); a vaguer one
			// (os-release alone over debian_version) does not.
			o := *l.OS
			osInfo = &o
		}
		for _, s := range l.OSPackages {
			addSet(osSets, s, i)
		}
		for _, s := range l.Applications {
			// One file can hold several package types (an SBOM lists
			// npm and PyPI packages): key sets by path and type.
			addSetKey(appSets, s.FilePath+"\x00"+s.Type, s, i)
		}
		for _, o := range l.Owned {
			owned[o.FilePath] = ownedAt{owned: o, layer: i}
		}
		for _, pl := range l.Licenses {
			licenses[pl.FilePath] = licensesAt{licenses: pl, layer: i}
		}
		prefix := ""
		if l.Layer.DiffID != "" {
			prefix = l.Layer.DiffID + ":"
		}
		for _, n := range l.Skipped {
			n.Path = prefix + n.Path
			inv.Skipped = append(inv.Skipped, n)
		}
		for _, n := range l.Errors {
			n.Path = prefix + n.Path
			inv.Errors = append(inv.Errors, n)
		}
		for _, n := range l.Warnings {
			n.Path = prefix + n.Path
			inv.Warnings = append(inv.Warnings, n)
		}
	}

	// Only what the final filesystem still holds, as written by the layer
	// the result came from, counts.
	present := func(p string, layer int) bool {
		last, ok := view[p]
		return ok && last == layer
	}
	if len(layers) == 1 && len(layers[0].Files) == 0 {
		// A directory walked as one pseudo-layer: nothing can have
		// deleted or replaced what it holds, and the walker does not list
		// its (possibly millions of) files.
		present = func(string, int) bool { return true }
	}
	if osInfo != nil && osInfo.Family != "" {
		o := osInfo.OS
		inv.OS = &o
	}

	ownedFiles := map[string]bool{}
	// The file lists of dpkg packages, by package name (dpkg's info/*.list
	// files; apk and rpm packages carry theirs).
	listed := map[string][]string{}
	for _, p := range sortedKeys(owned) {
		o := owned[p]
		if !present(p, o.layer) {
			continue
		}
		for _, f := range o.owned.Files {
			ownedFiles[strings.TrimPrefix(f, "/")] = true
		}
		if o.owned.Package != "" {
			listed[o.owned.Package] = append(listed[o.owned.Package], o.owned.Files...)
		}
	}

	// Licences from the packages' own files (Debian copyright files) for
	// packages whose database names none.
	pkgLicenses := map[string][]string{}
	for p, l := range licenses {
		if present(p, l.layer) {
			pkgLicenses[l.licenses.Package] = l.licenses.Licenses
		}
	}

	for _, p := range sortedKeys(osSets) {
		s := osSets[p]
		if !present(p, s.layer) {
			continue
		}
		inv.OSPackageType = s.set.Type
		for _, pkg := range s.set.Packages {
			pkg.Layer = layers[s.since[pkgKey(pkg)]].Layer
			if len(pkg.Licenses) == 0 {
				pkg.Licenses = pkgLicenses[pkg.Name]
			}
			if len(pkg.InstalledFiles) == 0 && s.set.Type == model.TypeDpkg {
				pkg.InstalledFiles = listed[pkg.Name]
			}
			if pkg.FilePath == "" && s.set.Type != model.TypeDpkg && s.set.Type != model.TypeApk {
				pkg.FilePath = p
			}
			inv.OSPackages = append(inv.OSPackages, pkg)
		}
	}
	sort.SliceStable(inv.OSPackages, func(i, j int) bool {
		a, b := inv.OSPackages[i], inv.OSPackages[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.FullVersion() < b.FullVersion()
	})

	for _, k := range sortedKeys(appSets) {
		s := appSets[k]
		p := s.set.FilePath
		if !present(p, s.layer) || ownedFiles[p] {
			continue
		}
		set := s.set
		set.Packages = make([]model.Package, len(s.set.Packages))
		for j, pkg := range s.set.Packages {
			pkg.Layer = layers[s.since[pkgKey(pkg)]].Layer
			if pkg.FilePath == "" && model.IsAggregated(set.Type) {
				pkg.FilePath = p
			}
			set.Packages[j] = pkg
		}
		inv.Applications = append(inv.Applications, set)
	}

	for i, l := range layers {
		for _, c := range l.ConfigFiles {
			if present(c.FilePath, i) {
				c.Layer = l.Layer
				inv.ConfigFiles = append(inv.ConfigFiles, c)
			}
		}
	}
	sort.SliceStable(inv.ConfigFiles, func(i, j int) bool { return inv.ConfigFiles[i].FilePath < inv.ConfigFiles[j].FilePath })

	for i, l := range layers {
		for _, s := range l.Secrets {
			s.Layer = l.Layer
			s.Deleted = !present(s.FilePath, i)
			inv.Secrets = append(inv.Secrets, s)
		}
	}

	inv.Forensics = forensics(layers, present, owned, osSets)
	if len(layers) > 0 && layers[0].Layer.DiffID != "" {
		// Image layers: count the packages each installed.
		index := map[string]int{}
		for i, l := range layers {
			index[l.Layer.DiffID] = i
		}
		count := func(p model.Package) {
			if i, ok := index[p.Layer.DiffID]; ok {
				summaries[i].PackagesInstalled++
			}
		}
		for _, p := range inv.OSPackages {
			count(p)
		}
		for _, set := range inv.Applications {
			for _, p := range set.Packages {
				count(p)
			}
		}
		inv.Layers = summaries
	}

	Identify(inv)
	return inv
}

// forensics keeps every layer's forensic facts with the layer they came
// from, marks those whose file a later layer removed or replaced as
// Deleted, and names the OS package that owns each file in the final
// filesystem.
func forensics(layers []*analyze.LayerResult, present func(string, int) bool, owned map[string]ownedAt, osSets map[string]*setAt) []inventory.ForensicFact {
	var out []inventory.ForensicFact
	for i, l := range layers {
		for _, f := range l.Forensics {
			f.Layer = l.Layer
			if f.Kind == inventory.FactWorldWritableDir {
				// Directories are not in the layers' file lists: only
				// a later whiteout deletes one (a later layer changing
				// its mode is not seen).
				f.Deleted = dirRemoved(layers[i+1:], f.FilePath)
			} else {
				f.Deleted = !present(f.FilePath, i)
			}
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return nil
	}
	want := map[string]bool{}
	for _, f := range out {
		want[f.FilePath] = true
	}
	owner := map[string]string{}
	own := func(file, pkg string) {
		p := strings.TrimPrefix(file, "/")
		if want[p] {
			owner[p] = pkg
		}
		// Merged /usr: a package lists /bin/su, the image holds
		// usr/bin/su behind a bin -> usr/bin link.
		if u := "usr/" + p; want[u] {
			if _, ok := owner[u]; !ok {
				owner[u] = pkg
			}
		}
	}
	for _, p := range sortedKeys(owned) {
		o := owned[p]
		if o.owned.Package == "" || !present(p, o.layer) {
			continue // apk and rpm databases: their packages' lists below
		}
		for _, f := range o.owned.Files {
			own(f, o.owned.Package)
		}
	}
	for _, p := range sortedKeys(osSets) {
		s := osSets[p]
		if !present(p, s.layer) {
			continue
		}
		for _, pkg := range s.set.Packages {
			for _, f := range pkg.InstalledFiles {
				own(f, pkg.Name)
			}
		}
	}
	for i := range out {
		out[i].Package = owner[out[i].FilePath]
	}
	return out
}

// removedPackages counts the package names of prev (the database as the
// lower layers left it) that s, its rewrite, no longer lists.
func removedPackages(prev *setAt, s analyze.PackageSet) int {
	if prev == nil {
		return 0
	}
	names := make(map[string]bool, len(s.Packages))
	for _, p := range s.Packages {
		names[p.Name] = true
	}
	n := 0
	for _, p := range prev.set.Packages {
		if !names[p.Name] {
			names[p.Name] = true // count a name once
			n++
		}
	}
	return n
}

// dirRemoved reports whether one of layers deletes directory dir: a
// whiteout of it or of a directory above it, or an opaque directory
// above it.
func dirRemoved(layers []*analyze.LayerResult, dir string) bool {
	under := func(p string) bool { return p == "" || dir == p || strings.HasPrefix(dir, p+"/") }
	for _, l := range layers {
		for _, w := range l.Whiteouts {
			if under(w) {
				return true
			}
		}
		for _, o := range l.OpaqueDirs {
			if o != dir && under(o) {
				return true
			}
		}
	}
	return false
}

func addSet(sets map[string]*setAt, s analyze.PackageSet, layer int) {
	addSetKey(sets, s.FilePath, s, layer)
}

func addSetKey(sets map[string]*setAt, key string, s analyze.PackageSet, layer int) {
	prev := sets[key]
	since := make(map[string]int, len(s.Packages))
	for _, p := range s.Packages {
		k := pkgKey(p)
		if prev != nil {
			if l, ok := prev.since[k]; ok {
				since[k] = l
				continue
			}
		}
		since[k] = layer
	}
	sets[key] = &setAt{set: s, layer: layer, since: since}
}

func pkgKey(p model.Package) string {
	return p.Name + "@" + p.FullVersion() + "/" + p.Arch
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Identify sets the purl (when missing) and UID of every package. Apply
// calls it; inventories built otherwise (from an SBOM) call it themselves.
func Identify(inv *Inventory) {
	// The OSV ecosystem of OS packages ("Debian:12") depends on which
	// release streams the vulnerability DB holds, so the matcher derives it
	// from the OS (store.EcosystemForOS); it is not guessed here.
	for i := range inv.OSPackages {
		p := &inv.OSPackages[i]
		if p.Identifier.PURL == "" {
			p.Identifier.PURL = purl.ForPackage(inv.OSPackageType, inv.OS, p)
		}
		p.Identifier.UID = uid(inv.OSPackageType, "", p)
	}
	for i := range inv.Applications {
		s := &inv.Applications[i]
		for j := range s.Packages {
			p := &s.Packages[j]
			if p.Identifier.PURL == "" {
				p.Identifier.PURL = purl.ForPackage(s.Type, inv.OS, p)
			}
			p.Identifier.UID = uid(s.Type, s.FilePath, p)
		}
	}
}

// uid is a stable identifier of a package within a report.
func uid(typ, file string, p *model.Package) string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s", typ, file, p.FilePath, p.ID, p.Name, p.FullVersion(), p.Arch)
	return fmt.Sprintf("%016x", h.Sum64())
}
