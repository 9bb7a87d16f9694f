// Package dotnet holds the .NET analyzers: NugetLock (packages.lock.json),
// NugetConfig (packages.config), PackagesProps (Directory.Packages.props,
// Packages.props) and Csproj (*.csproj PackageReferences, completed from
// central package management) are lockfile analyzers for fs and repo
// targets; DepsJSON
// reads the *.deps.json a published application ships and runs on every
// target, images included. All report packages of ecosystem "NuGet"; purls
// are set centrally, later.
package dotnet

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/parse/dotnet/csproj"
	"github.com/trawlsec/trawl/internal/parse/dotnet/depsjson"
	"github.com/trawlsec/trawl/internal/parse/dotnet/nugetconfig"
	"github.com/trawlsec/trawl/internal/parse/dotnet/nugetlock"
	"github.com/trawlsec/trawl/internal/parse/dotnet/packagesprops"
	"github.com/trawlsec/trawl/pkg/model"
)

// TypePackagesProps is the package type of central package management
// files (Trivy's "packages-props").
const TypePackagesProps = packagesprops.Type

// TypeCsproj is the package type of *.csproj package references.
const TypeCsproj = "dotnet-csproj"

// regular reports whether info, when known, is a regular file.
func regular(info fs.FileInfo) bool { return info == nil || info.Mode().IsRegular() }

// parser is one of the parse packages' Parse functions.
type parser func(context.Context, []byte) ([]model.Package, error)

// analyzer is the shared implementation: a file-name test and a parser.
type analyzer struct {
	name     string
	typ      string
	required func(base string) bool
	parse    parser
	// packages is the NuGet global packages folder whose .nuspec files
	// give the packages' licences; "" for none.
	packages string
}

// Name implements analyze.Analyzer.
func (a *analyzer) Name() string { return a.name }

// Version implements analyze.Analyzer. Reading a packages folder is a
// version of its own, as the output differs for the same input.
func (a *analyzer) Version() int {
	if a.packages != "" {
		return 1002
	}
	return 1
}

// Required implements analyze.Analyzer.
func (a *analyzer) Required(p string, info fs.FileInfo) bool {
	return regular(info) && a.required(path.Base(p))
}

// Analyze implements analyze.Analyzer.
func (a *analyzer) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	pkgs, err := a.parse(ctx, in.Content)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Path, err)
	}
	if len(pkgs) == 0 {
		return nil, nil
	}
	nuspecLicenses(a.packages, pkgs)
	return &analyze.Result{Applications: []analyze.PackageSet{{Type: a.typ, FilePath: in.Path, Packages: pkgs}}}, nil
}

// NewNugetLock returns the packages.lock.json analyzer (lockfile).
func NewNugetLock() analyze.Analyzer { return NewNugetLockWithPackages("") }

// NewNugetLockWithPackages returns the packages.lock.json analyzer that
// also reads the packages' licences from their .nuspec in the NuGet global
// packages folder dir ("" for none; see DefaultNugetPackages). The caller
// chooses dir; the analyzer reads only .nuspec files below it.
func NewNugetLockWithPackages(dir string) analyze.Analyzer {
	return &analyzer{name: "nuget-lock", typ: model.TypeNuget, parse: nugetlock.Parse, packages: dir,
		required: func(b string) bool { return b == "packages.lock.json" }}
}

// NewNugetConfig returns the packages.config analyzer (lockfile).
func NewNugetConfig() analyze.Analyzer { return NewNugetConfigWithPackages("") }

// NewNugetConfigWithPackages is NewNugetConfig reading licences from the
// global packages folder dir, as NewNugetLockWithPackages.
func NewNugetConfigWithPackages(dir string) analyze.Analyzer {
	return &analyzer{name: "nuget-config", typ: model.TypeNuget, parse: nugetconfig.Parse, packages: dir,
		required: func(b string) bool { return b == "packages.config" }}
}

// NewPackagesProps returns the Directory.Packages.props / Packages.props
// analyzer (lockfile). File names are matched ignoring case.
func NewPackagesProps() analyze.Analyzer {
	return &analyzer{name: "packages-props", typ: TypePackagesProps, parse: packagesprops.Parse,
		required: func(b string) bool {
			return strings.EqualFold(b, "Directory.Packages.props") || strings.EqualFold(b, "Packages.props")
		}}
}

// NewDepsJSON returns the *.deps.json analyzer (every target).
func NewDepsJSON() analyze.Analyzer {
	return &analyzer{name: "dotnet-deps", typ: model.TypeDotNetCore, parse: depsjson.Parse,
		required: func(b string) bool { return strings.HasSuffix(b, ".deps.json") && len(b) > len(".deps.json") }}
}

// Csproj reads the PackageReferences of *.csproj files. It is an
// analyze.PostAnalyzer: a reference without a version of its own takes
// the one of the nearest Directory.Packages.props in the project's
// directory or above it (as MSBuild's central package management does).
type Csproj struct{}

// NewCsproj returns the *.csproj analyzer (lockfile).
func NewCsproj() *Csproj { return &Csproj{} }

// Name implements analyze.Analyzer.
func (*Csproj) Name() string { return "dotnet-csproj" }

// Version implements analyze.Analyzer.
func (*Csproj) Version() int { return 1 }

// isProps reports a central package management file name.
func isProps(base string) bool { return strings.EqualFold(base, "Directory.Packages.props") }

// Required implements analyze.PostAnalyzer: *.csproj files and the
// Directory.Packages.props files that complete them.
func (*Csproj) Required(p string, info fs.FileInfo) bool {
	b := path.Base(p)
	return regular(info) && ((len(b) > len(".csproj") && strings.EqualFold(path.Ext(b), ".csproj")) || isProps(b))
}

// Analyze implements analyze.Analyzer for one project file on its own.
func (a *Csproj) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	return analyze.AnalyzeOne(ctx, a, in)
}

// PostAnalyze implements analyze.PostAnalyzer: one package set per
// project file. Unreadable files and unresolved versions are warnings.
func (a *Csproj) PostAnalyze(ctx context.Context, files fs.FS) (*analyze.Result, error) {
	var projects []string
	props := map[string]string{} // directory → its Directory.Packages.props
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if isProps(path.Base(p)) {
			props[path.Dir(p)] = p
		} else {
			projects = append(projects, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("csproj post-analysis: %w", err)
	}
	res := &analyze.Result{}
	warn := func(p, reason string) {
		res.Warnings = append(res.Warnings, analyze.FileNote{Path: p, Analyzer: a.Name(), Reason: reason})
	}
	central := map[string]map[string]string{} // props path → versions
	for _, p := range projects {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		content, err := fs.ReadFile(files, p)
		if err != nil {
			warn(p, err.Error())
			continue
		}
		refs, err := csproj.Parse(ctx, content)
		if err != nil {
			warn(p, fmt.Sprintf("%s: %v", p, err))
			continue
		}
		var versions map[string]string
		if pp := nearest(props, path.Dir(p)); pp != "" {
			v, ok := central[pp]
			if !ok {
				v, err = centralVersions(ctx, files, pp)
				if err != nil {
					warn(pp, err.Error())
				}
				central[pp] = v
			}
			versions = v
		}
		pkgs, notes := csproj.Resolve(refs, versions)
		for _, n := range notes {
			warn(p, n)
		}
		if len(pkgs) > 0 {
			res.Applications = append(res.Applications, analyze.PackageSet{Type: TypeCsproj, FilePath: p, Packages: pkgs})
		}
	}
	if len(res.Applications) == 0 && len(res.Warnings) == 0 {
		return nil, nil
	}
	return res, nil
}

// nearest returns the props file of dir or of the closest directory above.
func nearest(props map[string]string, dir string) string {
	for {
		if p, ok := props[dir]; ok {
			return p
		}
		if dir == "." || dir == "/" || dir == "" {
			return ""
		}
		dir = path.Dir(dir)
	}
}

// centralVersions reads a Directory.Packages.props into lower-cased
// package names and their versions.
func centralVersions(ctx context.Context, files fs.FS, p string) (map[string]string, error) {
	content, err := fs.ReadFile(files, p)
	if err != nil {
		return nil, err
	}
	pkgs, err := packagesprops.Parse(ctx, content)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	out := make(map[string]string, len(pkgs))
	for _, pkg := range pkgs {
		out[strings.ToLower(pkg.Name)] = pkg.Version
	}
	return out, nil
}
