// Package dotnet holds the .NET analyzers: NugetLock (packages.lock.json),
// NugetConfig (packages.config) and PackagesProps (Directory.Packages.props,
// Packages.props) are lockfile analyzers for fs and repo targets; DepsJSON
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
	"github.com/trawlsec/trawl/internal/parse/dotnet/depsjson"
	"github.com/trawlsec/trawl/internal/parse/dotnet/nugetconfig"
	"github.com/trawlsec/trawl/internal/parse/dotnet/nugetlock"
	"github.com/trawlsec/trawl/internal/parse/dotnet/packagesprops"
	"github.com/trawlsec/trawl/pkg/model"
)

// TypePackagesProps is the package type of central package management
// files (Trivy's "packages-props").
const TypePackagesProps = packagesprops.Type

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
}

// Name implements analyze.Analyzer.
func (a *analyzer) Name() string { return a.name }

// Version implements analyze.Analyzer.
func (*analyzer) Version() int { return 1 }

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
	return &analyze.Result{Applications: []analyze.PackageSet{{Type: a.typ, FilePath: in.Path, Packages: pkgs}}}, nil
}

// NewNugetLock returns the packages.lock.json analyzer (lockfile).
func NewNugetLock() analyze.Analyzer {
	return &analyzer{name: "nuget-lock", typ: model.TypeNuget, parse: nugetlock.Parse,
		required: func(b string) bool { return b == "packages.lock.json" }}
}

// NewNugetConfig returns the packages.config analyzer (lockfile).
func NewNugetConfig() analyze.Analyzer {
	return &analyzer{name: "nuget-config", typ: model.TypeNuget, parse: nugetconfig.Parse,
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
