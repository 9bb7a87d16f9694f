// Package all is the explicit list of trawl's analyzers and of which run for
// which target. There is no registration by init(): adding an analyzer means
// adding it here, and TestEveryAnalyzerListed checks that none is forgotten.
package all

import (
	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/analyze/config"
	"github.com/trawlsec/trawl/internal/analyze/forensics"
	helmanalyzer "github.com/trawlsec/trawl/internal/analyze/helm"
	"github.com/trawlsec/trawl/internal/analyze/lang/cocoapods"
	"github.com/trawlsec/trawl/internal/analyze/lang/conan"
	"github.com/trawlsec/trawl/internal/analyze/lang/conda"
	"github.com/trawlsec/trawl/internal/analyze/lang/dart"
	"github.com/trawlsec/trawl/internal/analyze/lang/dotnet"
	"github.com/trawlsec/trawl/internal/analyze/lang/elixir"
	"github.com/trawlsec/trawl/internal/analyze/lang/golang"
	"github.com/trawlsec/trawl/internal/analyze/lang/java"
	"github.com/trawlsec/trawl/internal/analyze/lang/julia"
	"github.com/trawlsec/trawl/internal/analyze/lang/nodejs"
	"github.com/trawlsec/trawl/internal/analyze/lang/php"
	"github.com/trawlsec/trawl/internal/analyze/lang/python"
	"github.com/trawlsec/trawl/internal/analyze/lang/ruby"
	"github.com/trawlsec/trawl/internal/analyze/lang/rust"
	"github.com/trawlsec/trawl/internal/analyze/lang/swift"
	"github.com/trawlsec/trawl/internal/analyze/licensefile"
	"github.com/trawlsec/trawl/internal/analyze/os/apk"
	"github.com/trawlsec/trawl/internal/analyze/os/dpkg"
	"github.com/trawlsec/trawl/internal/analyze/os/release"
	"github.com/trawlsec/trawl/internal/analyze/os/rpm"
	"github.com/trawlsec/trawl/internal/analyze/sbomfile"
	secretanalyzer "github.com/trawlsec/trawl/internal/analyze/secret"
	"github.com/trawlsec/trawl/internal/secret"
)

// Targets, as in the CLI.
const (
	TargetImage  = "image"
	TargetFS     = "fs"
	TargetRootfs = "rootfs"
	TargetRepo   = "repo"
)

// Options select analyzers.
type Options struct {
	// OSPackages and LangPackages follow --pkg-types.
	OSPackages   bool
	LangPackages bool
	// Secrets is the secret scanner; nil disables secret scanning.
	Secrets *secret.Scanner
	// Misconfig keeps configuration files (Dockerfiles) for the
	// misconfiguration scanner.
	Misconfig bool
	// ConfigPatterns are --file-patterns: more files kept as
	// configuration files of a given type.
	ConfigPatterns []config.Pattern
	// MavenRepository is a local Maven repository directory (the
	// ~/.m2/repository layout) pom.xml resolution may read; "" for none.
	// The caller picks it (java.DefaultMavenRepository); analyzers never
	// look for one themselves.
	MavenRepository string
	// NugetPackages is the NuGet global packages folder
	// (~/.nuget/packages layout) whose .nuspec files give NuGet packages
	// their licences; "" for none. The caller picks it
	// (dotnet.DefaultNugetPackages).
	NugetPackages string
	// GoModCache is the Go module cache whose module directories give
	// go.mod packages their licences; "" for none. The caller picks it
	// (golang.DefaultModCache).
	GoModCache string
	// Forensics turns on the forensics analyzer (image and rootfs only),
	// and the OS package databases it needs to tell which files a package
	// owns.
	Forensics bool
	// LicenseFull keeps licence files (LICENSE, COPYING…) for their
	// classification (--license-full).
	LicenseFull bool
}

// OS returns the OS detection and OS package database analyzers.
func OS() []analyze.Analyzer {
	return []analyze.Analyzer{release.New(), dpkg.New(), apk.New(), rpm.New()}
}

// Lockfiles returns the analyzers of project files: lockfiles and manifests,
// used for fs and repo targets (as Trivy does).
func Lockfiles() []analyze.Analyzer { return lockfiles(Options{}) }

func lockfiles(o Options) []analyze.Analyzer {
	return []analyze.Analyzer{
		nodejs.NewNpm(), nodejs.NewYarn(), nodejs.NewPnpm(), nodejs.NewBun(),
		python.NewPip(), python.NewPipenv(), python.NewPoetry(), python.NewUv(), python.NewPylock(),
		conda.NewEnvironment(),
		ruby.NewBundler(),
		php.NewComposer(), php.NewComposerVendor(),
		dart.NewPub(), elixir.NewMix(), swift.NewSwift(), cocoapods.NewCocoaPods(), julia.NewJulia(),
		golang.NewMod().WithModCache(o.GoModCache),
		rust.NewCargo(),
		java.NewPomWithRepository(o.MavenRepository), java.NewGradle(), java.NewSbt(),
		dotnet.NewNugetLockWithPackages(o.NugetPackages), dotnet.NewNugetConfigWithPackages(o.NugetPackages),
		dotnet.NewPackagesProps(), dotnet.NewCsproj(),
		conan.NewLock(),
	}
}

// Installed returns the analyzers of installed package metadata, used for
// image and rootfs targets.
func Installed() []analyze.Analyzer {
	return []analyze.Analyzer{
		nodejs.NewNodePkg(), python.NewPackaging(), ruby.NewGemSpec(), php.NewComposerVendor(), conda.NewMeta(),
		// SBOMs shipped inside images (Bitnami's .spdx-*.spdx, *.cdx.json).
		sbomfile.New(),
	}
}

// Binaries returns the analyzers of compiled and packaged artifacts (Go and
// Rust binaries, Java archives, .NET deps.json), used everywhere.
func Binaries() []analyze.Analyzer {
	return []analyze.Analyzer{golang.NewBinary(), rust.NewBinary(), java.NewJar(), dotnet.NewDepsJSON()}
}

// ForTarget returns the analyzers a target runs.
func ForTarget(target string, o Options) []analyze.Analyzer {
	var out []analyze.Analyzer
	switch target {
	case TargetImage, TargetRootfs:
		// OS detection runs even with --pkg-types library: the report's
		// Metadata.OS and the purls of language packages need it.
		out = append(out, release.New())
		if o.OSPackages || o.Forensics {
			out = append(out, dpkg.New(), apk.New(), rpm.New())
		}
		if o.Forensics {
			out = append(out, forensics.New())
		}
		if o.LangPackages {
			out = append(out, Installed()...)
			out = append(out, Binaries()...)
		}
	case TargetFS, TargetRepo:
		if o.LangPackages {
			out = append(out, lockfiles(o)...)
			out = append(out, Binaries()...)
		}
	}
	if o.Secrets != nil {
		out = append(out, secretanalyzer.New(o.Secrets))
	}
	if o.Misconfig {
		out = append(out, config.New(o.ConfigPatterns...), helmanalyzer.New())
	}
	if o.LicenseFull {
		out = append(out, licensefile.New())
	}
	return out
}
