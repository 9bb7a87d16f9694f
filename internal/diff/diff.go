// Package diff compares two images, container exports or root filesystems:
// the files of their final filesystems, their packages and, on request,
// their vulnerabilities and forensics findings.
//
// Files are compared without holding either tree in memory: each side is
// read once as a stream (every layer of an image, in order), each entry
// hashed as it streams past, into an index sorted by path that spills
// sorted runs to disk; the runs are merged, whiteouts applied, and the two
// final indexes merge-joined.
package diff

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/trawlsec/trawl/internal/app"
	"github.com/trawlsec/trawl/internal/source/image"
	"github.com/trawlsec/trawl/internal/version"
	"github.com/trawlsec/trawl/pkg/inventory"
	"github.com/trawlsec/trawl/pkg/model"
)

// SchemaVersion is the version of the JSON report.
const SchemaVersion = 1

// Report is what changed from Old to New.
type Report struct {
	SchemaVersion int
	CreatedAt     time.Time
	Old, New      Side
	Files         Files
	Packages      Packages
	// Vulnerabilities is set with the vuln scanner.
	Vulnerabilities *Vulnerabilities `json:",omitempty"`
	// Forensics is set with the forensics scanner.
	Forensics *Forensics `json:",omitempty"`
	// Notes are the entries passed over or unreadable.
	Notes []Note `json:",omitempty"`
}

// Files are the changes of the final filesystems.
type Files struct {
	Added   []Entry  `json:",omitempty"`
	Removed []Entry  `json:",omitempty"`
	Changed []Change `json:",omitempty"`
}

// Change is a path in both sides that differs.
type Change struct {
	Path string
	// What lists what differs: type, content, mode, owner.
	What     []string
	Old, New Entry
}

// Packages are the package changes, by (type, name).
type Packages struct {
	Added      []Package       `json:",omitempty"`
	Removed    []Package       `json:",omitempty"`
	Upgraded   []PackageChange `json:",omitempty"`
	Downgraded []PackageChange `json:",omitempty"`
	// Changed are version changes the type's comparator cannot order.
	Changed []PackageChange `json:",omitempty"`
}

// Package is one package version.
type Package struct {
	Type, Name, Version string
	FilePath            string `json:",omitempty"`
}

// PackageChange is a package whose version changed.
type PackageChange struct {
	Type, Name             string
	OldVersion, NewVersion string
}

// Vulnerabilities are the vulnerabilities only one side has.
type Vulnerabilities struct {
	Introduced []Vulnerability `json:",omitempty"`
	Fixed      []Vulnerability `json:",omitempty"`
}

// Vulnerability is one detected vulnerability of a package.
type Vulnerability struct {
	VulnerabilityID, PkgName, InstalledVersion string
	FixedVersion                               string `json:",omitempty"`
	Severity                                   string `json:",omitempty"`
	Target                                     string
}

// Forensics are the forensics findings of New that Old does not have.
type Forensics struct {
	New []model.ForensicFinding `json:",omitempty"`
}

// Empty reports whether nothing differs.
func (r *Report) Empty() bool {
	f, p := r.Files, r.Packages
	if len(f.Added)+len(f.Removed)+len(f.Changed)+len(p.Added)+len(p.Removed)+len(p.Upgraded)+len(p.Downgraded)+len(p.Changed) > 0 {
		return false
	}
	if v := r.Vulnerabilities; v != nil && len(v.Introduced)+len(v.Fixed) > 0 {
		return false
	}
	return r.Forensics == nil || len(r.Forensics.New) == 0
}

// Options configure a comparison.
type Options struct {
	// Analysis is the template of both sides' analysis options: cache,
	// DB, scanners (vuln, forensics), limits, registry credentials. Target,
	// Arg and Input are set per side.
	Analysis app.Options
	// TempDir holds the index runs (under the cache directory).
	TempDir string
	// RunSize is how many index records a side keeps in memory (0:
	// DefaultRunSize).
	RunSize int
	Logger  *slog.Logger
	Now     func() time.Time
}

// Compare compares old and new.
func Compare(ctx context.Context, old, new Side, o Options) (*Report, error) {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.TempDir != "" {
		if err := os.MkdirAll(o.TempDir, 0o700); err != nil {
			return nil, fmt.Errorf("diff: temporary directory %s: %w", o.TempDir, err)
		}
	}
	rep := &Report{SchemaVersion: SchemaVersion, CreatedAt: o.Now().UTC(), Old: old, New: new}
	var oldNotes, newNotes []Note
	oldIdx := &indexer{side: "old", s: newSorter(o.TempDir, o.RunSize), notes: &oldNotes}
	newIdx := &indexer{side: "new", s: newSorter(o.TempDir, o.RunSize), notes: &newNotes}
	defer oldIdx.s.close()
	defer newIdx.s.close()
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return index(gctx, oldIdx, old, o) })
	g.Go(func() error { return index(gctx, newIdx, new, o) })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	rep.Notes = append(oldNotes, newNotes...)
	if err := compareFiles(ctx, oldIdx.s, newIdx.s, &rep.Files); err != nil {
		return nil, err
	}

	oldA, err := analyze(ctx, old, o)
	if err != nil {
		return nil, err
	}
	newA, err := analyze(ctx, new, o)
	if err != nil {
		return nil, err
	}
	eco := map[string]string{}
	rep.Packages = comparePackages(packagesOf(oldA.Inventory, eco), packagesOf(newA.Inventory, eco), eco)
	if !slices.Contains(o.Analysis.Scanners, app.ScannerVuln) && !slices.Contains(o.Analysis.Scanners, app.ScannerForensics) {
		return rep, nil
	}
	oldR, err := detect(ctx, old, o, oldA)
	if err != nil {
		return nil, err
	}
	newR, err := detect(ctx, new, o, newA)
	if err != nil {
		return nil, err
	}
	if slices.Contains(o.Analysis.Scanners, app.ScannerVuln) {
		rep.Vulnerabilities = compareVulns(oldR, newR)
	}
	if slices.Contains(o.Analysis.Scanners, app.ScannerForensics) {
		rep.Forensics = compareForensics(oldR, newR)
	}
	return rep, nil
}

// index builds one side's file index.
func index(ctx context.Context, x *indexer, s Side, o Options) error {
	switch s.Kind {
	case KindRootfs:
		return x.indexDir(ctx, s.Arg)
	case KindExport:
		return x.indexExport(ctx, s.Arg)
	case KindImage, KindRegistry:
		a := o.Analysis
		iopts := image.Options{
			Platform: a.Platform, Insecure: a.Insecure,
			Username: a.Username, Password: a.Password, RegistryToken: a.RegistryToken,
			TempDir: o.TempDir, Logger: o.Logger,
		}
		ref := s.Arg
		if s.Kind == KindImage {
			iopts.Input, ref = s.Arg, ""
		}
		img, err := image.Open(ctx, ref, iopts)
		if err != nil {
			return err
		}
		defer img.Close()
		if err := x.indexImage(ctx, img); err != nil {
			return fmt.Errorf("%s: %w", s.Arg, err)
		}
		return nil
	}
	return fmt.Errorf("diff: unknown kind %q of %s", s.Kind, s.Arg)
}

// sideOptions are the analysis options of one side.
func sideOptions(s Side, o Options) app.Options {
	a := o.Analysis
	a.Arg, a.Input = s.Arg, ""
	switch s.Kind {
	case KindImage:
		a.Target, a.Arg, a.Input = app.TargetImage, "", s.Arg
	case KindRegistry:
		a.Target = app.TargetImage
	case KindExport:
		a.Target = app.TargetExport
	case KindRootfs:
		a.Target = app.TargetRootfs
	}
	return a
}

func analyze(ctx context.Context, s Side, o Options) (*app.Analysis, error) {
	a := sideOptions(s, o)
	an, err := app.Analyze(ctx, &a)
	if err != nil {
		return nil, fmt.Errorf("analysing %s: %w", s.Arg, err)
	}
	return an, nil
}

func detect(ctx context.Context, s Side, o Options, an *app.Analysis) (*model.Report, error) {
	a := sideOptions(s, o)
	rep, err := app.Detect(ctx, &a, an)
	if err != nil {
		return nil, fmt.Errorf("detecting in %s: %w", s.Arg, err)
	}
	return rep, nil
}

// compareFiles merge-joins the two final filesystems.
func compareFiles(ctx context.Context, oldS, newS *sorter, out *Files) error {
	oldIn, err := oldS.sorted()
	if err != nil {
		return err
	}
	defer oldIn.close()
	newIn, err := newS.sorted()
	if err != nil {
		return err
	}
	defer newIn.close()
	a, b := &resolver{in: oldIn}, &resolver{in: newIn}
	ea, okA, err := a.next()
	if err != nil {
		return err
	}
	eb, okB, err := b.next()
	if err != nil {
		return err
	}
	for okA || okB {
		if err := ctx.Err(); err != nil {
			return err
		}
		c := 0
		switch {
		case !okA:
			c = 1
		case !okB:
			c = -1
		default:
			c = strings.Compare(sortKey(ea.Path), sortKey(eb.Path))
		}
		switch {
		case c < 0:
			out.Removed = append(out.Removed, ea)
		case c > 0:
			out.Added = append(out.Added, eb)
		default:
			if what := changed(ea, eb); len(what) > 0 {
				out.Changed = append(out.Changed, Change{Path: ea.Path, What: what, Old: ea, New: eb})
			}
		}
		if c <= 0 {
			if ea, okA, err = a.next(); err != nil {
				return err
			}
		}
		if c >= 0 {
			if eb, okB, err = b.next(); err != nil {
				return err
			}
		}
	}
	return nil
}

// changed lists what differs between two entries of one path.
func changed(a, b Entry) []string {
	var what []string
	if a.Type != b.Type {
		what = append(what, "type")
	} else if a.SHA256 != b.SHA256 || a.Size != b.Size || a.Link != b.Link {
		what = append(what, "content")
	}
	if a.Mode != b.Mode {
		what = append(what, "mode")
	}
	if a.UID != b.UID || a.GID != b.GID {
		what = append(what, "owner")
	}
	if a.Error != b.Error && len(what) == 0 {
		what = append(what, "readable")
	}
	return what
}

// packagesOf lists an inventory's OS and language packages, and notes
// the OSV ecosystem of each type in eco (an OS package's depends on the
// OS release: its comparator is the same for every release).
func packagesOf(inv *inventory.Inventory, eco map[string]string) []Package {
	var out []Package
	for _, p := range inv.OSPackages {
		out = append(out, Package{Type: inv.OSPackageType, Name: p.Name, Version: pkgVersion(p)})
		if p.Ecosystem != "" {
			eco[inv.OSPackageType] = p.Ecosystem
		}
	}
	for _, set := range inv.Applications {
		for _, p := range set.Packages {
			fp := p.FilePath
			if fp == "" {
				fp = set.FilePath
			}
			out = append(out, Package{Type: set.Type, Name: p.Name, Version: pkgVersion(p), FilePath: fp})
		}
	}
	return out
}

// pkgVersion is a package's full version as its ecosystem writes it.
func pkgVersion(p model.Package) string {
	v := p.Version
	if p.Release != "" {
		v += "-" + p.Release
	}
	if p.Epoch > 0 {
		v = fmt.Sprintf("%d:%s", p.Epoch, v)
	}
	return v
}

type pkgKey struct{ typ, name string }

// comparePackages compares by (type, name): a version only on one side is
// added or removed, except that one version replaced by one other is an
// upgrade (or downgrade).
func comparePackages(old, new []Package, eco map[string]string) Packages {
	group := func(ps []Package) map[pkgKey][]Package {
		m := map[pkgKey][]Package{}
		for _, p := range ps {
			k := pkgKey{p.Type, p.Name}
			if !slices.ContainsFunc(m[k], func(q Package) bool { return q.Version == p.Version }) {
				m[k] = append(m[k], p)
			}
		}
		return m
	}
	om, nm := group(old), group(new)
	var out Packages
	keys := map[pkgKey]bool{}
	for k := range om {
		keys[k] = true
	}
	for k := range nm {
		keys[k] = true
	}
	for k := range keys {
		inOld := func(p Package) bool {
			return slices.ContainsFunc(om[k], func(q Package) bool { return q.Version == p.Version })
		}
		inNew := func(p Package) bool {
			return slices.ContainsFunc(nm[k], func(q Package) bool { return q.Version == p.Version })
		}
		gone := slices.DeleteFunc(slices.Clone(om[k]), inNew)
		came := slices.DeleteFunc(slices.Clone(nm[k]), inOld)
		if len(gone) == 1 && len(came) == 1 {
			c := PackageChange{Type: k.typ, Name: k.name, OldVersion: gone[0].Version, NewVersion: came[0].Version}
			switch order(k.typ, eco[k.typ], c.OldVersion, c.NewVersion) {
			case -1:
				out.Upgraded = append(out.Upgraded, c)
			case 1:
				out.Downgraded = append(out.Downgraded, c)
			default:
				out.Changed = append(out.Changed, c)
			}
			continue
		}
		out.Removed = append(out.Removed, gone...)
		out.Added = append(out.Added, came...)
	}
	byPkg := func(a, b Package) int {
		return cmp.Or(cmp.Compare(a.Type, b.Type), cmp.Compare(a.Name, b.Name), cmp.Compare(a.Version, b.Version))
	}
	byChange := func(a, b PackageChange) int {
		return cmp.Or(cmp.Compare(a.Type, b.Type), cmp.Compare(a.Name, b.Name))
	}
	slices.SortFunc(out.Added, byPkg)
	slices.SortFunc(out.Removed, byPkg)
	slices.SortFunc(out.Upgraded, byChange)
	slices.SortFunc(out.Downgraded, byChange)
	slices.SortFunc(out.Changed, byChange)
	return out
}

// order compares two versions of a package type: -1 (a older), 1 (a
// newer), 0 when they cannot be ordered.
func order(typ, eco, a, b string) int {
	if eco == "" {
		eco = model.PackageTypeOf(typ).Ecosystem
	}
	for _, f := range model.OSFamilies() {
		if eco == "" && f.PkgType == typ {
			eco = f.Archive // an OS type: the comparator is the family's
		}
	}
	c, err := version.ForEcosystem(eco)
	if err != nil {
		return 0
	}
	r, err := c.Compare(a, b)
	if err != nil {
		return 0
	}
	return r
}

func vulnsOf(rep *model.Report) map[string]Vulnerability {
	m := map[string]Vulnerability{}
	for _, r := range rep.Results {
		for _, v := range r.Vulnerabilities {
			k := r.Type + "\x00" + v.VulnerabilityID + "\x00" + v.PkgName
			m[k] = Vulnerability{VulnerabilityID: v.VulnerabilityID, PkgName: v.PkgName, InstalledVersion: v.InstalledVersion,
				FixedVersion: v.FixedVersion, Severity: v.Severity, Target: r.Target}
		}
	}
	return m
}

// compareVulns lists the vulnerabilities (by type, ID and package name)
// only New has (introduced) or only Old has (fixed).
func compareVulns(old, new *model.Report) *Vulnerabilities {
	om, nm := vulnsOf(old), vulnsOf(new)
	out := &Vulnerabilities{}
	for k, v := range nm {
		if _, ok := om[k]; !ok {
			out.Introduced = append(out.Introduced, v)
		}
	}
	for k, v := range om {
		if _, ok := nm[k]; !ok {
			out.Fixed = append(out.Fixed, v)
		}
	}
	by := func(a, b Vulnerability) int {
		return cmp.Or(cmp.Compare(a.PkgName, b.PkgName), cmp.Compare(a.VulnerabilityID, b.VulnerabilityID))
	}
	slices.SortFunc(out.Introduced, by)
	slices.SortFunc(out.Fixed, by)
	return out
}

// compareForensics lists New's findings that Old does not have (by ID,
// path and whether the file was deleted).
func compareForensics(old, new *model.Report) *Forensics {
	key := func(f model.ForensicFinding) string { return fmt.Sprintf("%s\x00%s\x00%t", f.ID, f.Path, f.Deleted) }
	seen := map[string]bool{}
	for _, r := range old.Results {
		for _, f := range r.Findings {
			seen[key(f)] = true
		}
	}
	out := &Forensics{}
	for _, r := range new.Results {
		for _, f := range r.Findings {
			if !seen[key(f)] {
				out.New = append(out.New, f)
			}
		}
	}
	return out
}

// Write writes the report as "table" or "json".
func Write(w io.Writer, format string, rep *Report) error {
	switch format {
	case "json":
		return writeJSON(w, rep)
	case "table", "":
		return writeTable(w, rep)
	}
	return fmt.Errorf("diff: format %q is not supported (table, json)", format)
}
