// Package mod reads Go module files: go.mod (through golang.org/x/mod/modfile)
// and go.sum, and turns them into packages.
//
// go.mod gives the main module (relationship root) and every required module,
// direct or "// indirect". replace directives are applied: a module replaced
// by another module version is reported as the replacement; a module replaced
// by a local directory is left out, as its code is not an identifiable
// version. A require that an exclude directive names exactly is dropped, as
// the go command ignores it.
//
// The standard library: by default (Trivy's --detection-priority precise) no
// "stdlib" package is reported for a go.mod, because the go and toolchain
// directives only bound the toolchain that will build the module, they do not
// name it. With Options.Comprehensive the toolchain directive's version (or
// the go directive's, for go 1.21 and later, where it is a minimum toolchain
// version) is reported as "stdlib", as Trivy does in comprehensive mode.
//
// Before go 1.17, go.mod lists only part of the indirect dependencies; the
// rest are in go.sum. ParseWithSum adds the modules go.sum knows and go.mod
// does not as indirect dependencies in that case.
package mod

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/semver"

	"github.com/trawlsec/trawl/pkg/model"
)

// Ecosystem is the OSV ecosystem of Go modules.
const Ecosystem = model.EcosystemGo

// maxFileSize bounds how much of a go.mod or go.sum is read.
const maxFileSize = 64 << 20

// Options change what Parse reports.
type Options struct {
	// Comprehensive reports the toolchain named by the toolchain directive
	// (else by a go directive of go 1.21 or later) as package "stdlib", as
	// Trivy's --detection-priority comprehensive does. Off by default.
	Comprehensive bool
}

// File is a parsed go.mod.
type File struct {
	// Module is the main module path ("" when the file has no module line).
	Module string
	// GoVersion is the go directive's version ("1.17", "1.22.0"), or "".
	GoVersion string
	// Packages are the main module and its dependencies, sorted by name.
	Packages []model.Package
}

// NeedsSum reports whether go.sum has to be read for the indirect
// dependencies: go.mod files before go 1.17 (or without a go directive) do
// not list them all.
func (f *File) NeedsSum() bool {
	return f.GoVersion == "" || versionLess(f.GoVersion, 1, 17)
}

// Parse reads a go.mod and returns its packages, sorted by name.
func Parse(ctx context.Context, r io.Reader, opts Options) ([]model.Package, error) {
	f, err := ParseFile(ctx, r, opts)
	if err != nil {
		return nil, err
	}
	return f.Packages, nil
}

// ParseWithSum reads a go.mod and, when the go version needs it (NeedsSum),
// its go.sum, adding the modules only go.sum knows as indirect dependencies.
// sum may be nil.
func ParseWithSum(ctx context.Context, gomod, gosum io.Reader, opts Options) ([]model.Package, error) {
	f, err := ParseFile(ctx, gomod, opts)
	if err != nil {
		return nil, err
	}
	if gosum == nil || !f.NeedsSum() {
		return f.Packages, nil
	}
	sum, err := ParseSum(ctx, gosum)
	if err != nil {
		return nil, err
	}
	return MergeSum(f, sum), nil
}

// ParseFile reads a go.mod.
func ParseFile(ctx context.Context, r io.Reader, opts Options) (*File, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading go.mod: %w", err)
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("go.mod larger than %d bytes", maxFileSize)
	}
	// Parse is strict about directives it does not know; ParseLax accepts
	// them but drops replace and exclude, so it is only the fallback.
	mf, err := modfile.Parse("go.mod", data, nil)
	if err != nil {
		var laxErr error
		if mf, laxErr = modfile.ParseLax("go.mod", data, nil); laxErr != nil {
			return nil, fmt.Errorf("parsing go.mod: %w", err)
		}
	}

	f := &File{}
	if mf.Go != nil {
		f.GoVersion = mf.Go.Version
	}

	excluded := map[string]bool{}
	for _, e := range mf.Exclude {
		excluded[e.Mod.Path+"@"+e.Mod.Version] = true
	}

	// deps holds the required modules by path, in file order.
	type dep struct {
		pkg      model.Package
		indirect bool
	}
	deps := map[string]*dep{}
	var order []string
	for _, req := range mf.Require {
		if excluded[req.Mod.Path+"@"+req.Mod.Version] {
			continue
		}
		rel := model.RelationshipDirect
		if req.Indirect {
			rel = model.RelationshipIndirect
		}
		p := newPackage(req.Mod.Path, req.Mod.Version, rel)
		if req.Syntax != nil {
			p.Locations = []model.Location{{StartLine: req.Syntax.Start.Line, EndLine: req.Syntax.End.Line}}
		}
		if _, ok := deps[req.Mod.Path]; !ok {
			order = append(order, req.Mod.Path)
		}
		deps[req.Mod.Path] = &dep{pkg: p, indirect: req.Indirect}
	}

	// replace: "old [version] => new version" swaps the module, "old
	// [version] => ./dir" makes it a local directory.
	for _, rep := range mf.Replace {
		d, ok := deps[rep.Old.Path]
		if !ok {
			continue
		}
		if rep.Old.Version != "" && rep.Old.Version != d.pkg.Version {
			continue
		}
		if rep.New.Version == "" {
			delete(deps, rep.Old.Path)
			continue
		}
		p := newPackage(rep.New.Path, rep.New.Version, d.pkg.Relationship)
		p.Locations = d.pkg.Locations
		delete(deps, rep.Old.Path)
		if _, ok := deps[rep.New.Path]; !ok && rep.New.Path != rep.Old.Path {
			order = append(order, rep.New.Path)
		}
		deps[rep.New.Path] = &dep{pkg: p, indirect: d.indirect}
	}

	var pkgs []model.Package
	var direct []string
	for _, path := range order {
		d, ok := deps[path]
		if !ok {
			continue
		}
		delete(deps, path) // a path may be in order twice
		pkgs = append(pkgs, d.pkg)
		if !d.indirect {
			direct = append(direct, d.pkg.ID)
		}
	}

	if opts.Comprehensive {
		if v := toolchainVersion(mf); v != "" {
			p := newPackage("stdlib", "v"+v, model.RelationshipDirect)
			pkgs = append(pkgs, p)
			direct = append(direct, p.ID)
		}
	}

	if mf.Module != nil {
		f.Module = mf.Module.Mod.Path
		root := newPackage(mf.Module.Mod.Path, mf.Module.Mod.Version, model.RelationshipRoot)
		if mf.Module.Syntax != nil {
			root.Locations = []model.Location{{StartLine: mf.Module.Syntax.Start.Line, EndLine: mf.Module.Syntax.End.Line}}
		}
		sort.Strings(direct)
		root.DependsOn = direct
		pkgs = append(pkgs, root)
	}
	sortPackages(pkgs)
	f.Packages = pkgs
	return f, nil
}

// MergeSum adds to f's packages the modules of go.sum (as returned by
// ParseSum) that go.mod does not require, as indirect dependencies. It
// returns the merged list, sorted by name; f is not changed.
func MergeSum(f *File, sum []model.Package) []model.Package {
	out := append([]model.Package(nil), f.Packages...)
	have := map[string]bool{}
	for _, p := range f.Packages {
		have[p.Name] = true
	}
	for _, p := range sum {
		if have[p.Name] || p.Name == f.Module {
			continue
		}
		have[p.Name] = true
		p.Relationship = model.RelationshipIndirect
		out = append(out, p)
	}
	sortPackages(out)
	return out
}

// toolchainVersion returns the toolchain version a go.mod asks for, without
// the "go" prefix: the toolchain directive's ("go1.22.5-custom" → "1.22.5"),
// else the go directive's when it is 1.21 or later ("1.22" → "1.22.0").
func toolchainVersion(mf *modfile.File) string {
	if mf.Toolchain != nil && mf.Toolchain.Name != "" {
		name, _, _ := strings.Cut(mf.Toolchain.Name, "-")
		if v, ok := strings.CutPrefix(name, "go"); ok && v != "" {
			return v
		}
		return ""
	}
	if mf.Go == nil || mf.Go.Version == "" {
		return ""
	}
	v := mf.Go.Version
	if versionLess(v, 1, 21) {
		return ""
	}
	if strings.Count(v, ".") == 1 && !strings.ContainsAny(v, "abcdefghijklmnopqrstuvwxyz") {
		v += ".0"
	}
	return v
}

// versionLess reports whether the go version v ("1.16", "1.22.0",
// "1.21rc1") is below major.minor. Unreadable versions are not.
func versionLess(v string, major, minor int) bool {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return false
	}
	ma, err := strconv.Atoi(parts[0])
	if err != nil {
		return false
	}
	mi := parts[1]
	if i := strings.IndexFunc(mi, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
		mi = mi[:i]
	}
	mn, err := strconv.Atoi(mi)
	if err != nil {
		return false
	}
	return ma < major || (ma == major && mn < minor)
}

// newPackage builds a Go module package with its ID.
func newPackage(name, version, rel string) model.Package {
	return model.Package{
		ID:           ID(name, version),
		Name:         name,
		Version:      version,
		Relationship: rel,
		Ecosystem:    Ecosystem,
	}
}

// ID returns the package ID "name@version", or name alone without version.
func ID(name, version string) string {
	if version == "" {
		return name
	}
	return name + "@" + version
}

func sortPackages(pkgs []model.Package) {
	sort.SliceStable(pkgs, func(i, j int) bool {
		if pkgs[i].Name != pkgs[j].Name {
			return pkgs[i].Name < pkgs[j].Name
		}
		return semver.Compare(pkgs[i].Version, pkgs[j].Version) < 0
	})
}
