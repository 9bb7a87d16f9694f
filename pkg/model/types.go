package model

import "strings"

// This file is the one table of what trawl knows about each package type
// and each OS family: the OSV ecosystem packages are matched in, the OSV
// archive a vulnerability DB needs for them, the purl type, the result
// target of aggregated types. Every other place (match, vulndb/update,
// pkg/purl, the SBOM decoder, the parsers' ecosystem constants) reads it;
// a test fails when a Type* or Family* constant has no row.

// OSV ecosystems of the language package types, as written in OSV records
// and as Package.Ecosystem. Each is also the name of its OSV archive
// (<base>/<ecosystem>/all.zip).
const (
	EcosystemGo          = "Go"
	EcosystemPyPI        = "PyPI"
	EcosystemNpm         = "npm"
	EcosystemCratesIO    = "crates.io"
	EcosystemMaven       = "Maven"
	EcosystemNuGet       = "NuGet"
	EcosystemRubyGems    = "RubyGems"
	EcosystemPackagist   = "Packagist"
	EcosystemPub         = "Pub"
	EcosystemHex         = "Hex"
	EcosystemSwiftURL    = "SwiftURL"
	EcosystemConanCenter = "ConanCenter"
	EcosystemJulia       = "Julia"
)

// Package types of lockfiles Trivy reads that have no constant in model.go
// (their analyzers use the same names).
const (
	TypeSbt           = "sbt"
	TypePylock        = "pylock"
	TypePackagesProps = "packages-props"
)

// PackageType is one row of the package type table.
type PackageType struct {
	// Type is the package type (a Type* constant), as written to
	// Result.Type for language packages.
	Type string
	// OS is set for OS package managers (dpkg, apk, rpm). Their ecosystem
	// and DB archive come from the OS family (see OSFamily).
	OS bool
	// Language names the language or packaging world, for people (docs);
	// "" for OS types.
	Language string
	// Ecosystem is the OSV ecosystem packages of this type are matched in
	// when they carry none of their own; "" for OS types and for types
	// trawl does not match (conda). CocoaPods packages are always looked
	// up in it, by repository (see match.Match).
	Ecosystem string
	// Archive is the OSV archive (<base>/<Archive>/all.zip) holding the
	// advisories of Ecosystem; "" when Ecosystem is.
	Archive string
	// PURLType is the Package URL type; "" when packages of this type get
	// no purl.
	PURLType string
	// PURLDefault marks the type a purl of PURLType decodes to when an SBOM
	// names no package type: the aggregated installed-package type where
	// there is one. Exactly one row per PURLType has it.
	PURLDefault bool
	// Target is the result target under which packages of this type,
	// gathered from many files, are reported together as Trivy does
	// ("Node.js", "Python"…); "" for types reported per file.
	Target string
	// Analyzer is Trivy's analyzer type for this package type, written to
	// Package.AnalyzedBy, when it is not Type itself ("conan-lock" for
	// conan, "pubspec-lock" for pub…). See AnalyzerOf.
	Analyzer string
}

// packageTypes is the table. Its order is the order of the default DB
// archives (update.DefaultEcosystems): keep new rows next to their kin.
var packageTypes = []PackageType{
	{Type: TypeDpkg, OS: true, PURLType: "deb", PURLDefault: true},
	{Type: TypeApk, OS: true, PURLType: "apk", PURLDefault: true},
	{Type: TypeRPM, OS: true, PURLType: "rpm", PURLDefault: true},

	{Type: TypeGoBinary, Language: "Go", Ecosystem: EcosystemGo, Archive: EcosystemGo, PURLType: "golang"},
	{Type: TypeGoModule, Language: "Go", Ecosystem: EcosystemGo, Archive: EcosystemGo, PURLType: "golang", PURLDefault: true},
	{Type: TypePythonPkg, Language: "Python", Ecosystem: EcosystemPyPI, Archive: EcosystemPyPI, PURLType: "pypi", PURLDefault: true, Target: "Python"},
	{Type: TypePip, Language: "Python", Ecosystem: EcosystemPyPI, Archive: EcosystemPyPI, PURLType: "pypi"},
	{Type: TypePipenv, Language: "Python", Ecosystem: EcosystemPyPI, Archive: EcosystemPyPI, PURLType: "pypi"},
	{Type: TypePoetry, Language: "Python", Ecosystem: EcosystemPyPI, Archive: EcosystemPyPI, PURLType: "pypi"},
	{Type: TypeUv, Language: "Python", Ecosystem: EcosystemPyPI, Archive: EcosystemPyPI, PURLType: "pypi"},
	{Type: TypePylock, Language: "Python", Ecosystem: EcosystemPyPI, Archive: EcosystemPyPI, PURLType: "pypi"},
	{Type: TypeNpm, Language: "Node.js", Ecosystem: EcosystemNpm, Archive: EcosystemNpm, PURLType: "npm"},
	{Type: TypeNodePkg, Language: "Node.js", Ecosystem: EcosystemNpm, Archive: EcosystemNpm, PURLType: "npm", PURLDefault: true, Target: "Node.js"},
	{Type: TypeYarn, Language: "Node.js", Ecosystem: EcosystemNpm, Archive: EcosystemNpm, PURLType: "npm"},
	{Type: TypePnpm, Language: "Node.js", Ecosystem: EcosystemNpm, Archive: EcosystemNpm, PURLType: "npm"},
	{Type: TypeBun, Language: "Node.js", Ecosystem: EcosystemNpm, Archive: EcosystemNpm, PURLType: "npm"},
	{Type: TypeCargo, Language: "Rust", Ecosystem: EcosystemCratesIO, Archive: EcosystemCratesIO, PURLType: "cargo", PURLDefault: true},
	{Type: TypeRustBinary, Language: "Rust", Ecosystem: EcosystemCratesIO, Archive: EcosystemCratesIO, PURLType: "cargo"},
	{Type: TypeJar, Language: "Java", Ecosystem: EcosystemMaven, Archive: EcosystemMaven, PURLType: "maven", PURLDefault: true, Target: "Java"},
	{Type: TypePom, Language: "Java", Ecosystem: EcosystemMaven, Archive: EcosystemMaven, PURLType: "maven"},
	{Type: TypeGradle, Language: "Java", Ecosystem: EcosystemMaven, Archive: EcosystemMaven, PURLType: "maven", Analyzer: "gradle-lockfile"},
	{Type: TypeSbt, Language: "Java", Ecosystem: EcosystemMaven, Archive: EcosystemMaven, PURLType: "maven", Analyzer: "sbt-lockfile"},
	{Type: TypeNuget, Language: ".NET", Ecosystem: EcosystemNuGet, Archive: EcosystemNuGet, PURLType: "nuget", PURLDefault: true},
	{Type: TypeDotNetCore, Language: ".NET", Ecosystem: EcosystemNuGet, Archive: EcosystemNuGet, PURLType: "nuget"},
	{Type: TypePackagesProps, Language: ".NET", Ecosystem: EcosystemNuGet, Archive: EcosystemNuGet, PURLType: "nuget"},
	{Type: TypeBundler, Language: "Ruby", Ecosystem: EcosystemRubyGems, Archive: EcosystemRubyGems, PURLType: "gem"},
	{Type: TypeGemSpec, Language: "Ruby", Ecosystem: EcosystemRubyGems, Archive: EcosystemRubyGems, PURLType: "gem", PURLDefault: true, Target: "Ruby"},
	{Type: TypeComposer, Language: "PHP", Ecosystem: EcosystemPackagist, Archive: EcosystemPackagist, PURLType: "composer", PURLDefault: true},
	{Type: TypeComposerVend, Language: "PHP", Ecosystem: EcosystemPackagist, Archive: EcosystemPackagist, PURLType: "composer"},
	{Type: TypePub, Language: "Dart", Ecosystem: EcosystemPub, Archive: EcosystemPub, PURLType: "pub", PURLDefault: true, Analyzer: "pubspec-lock"},
	{Type: TypeHex, Language: "Elixir", Ecosystem: EcosystemHex, Archive: EcosystemHex, PURLType: "hex", PURLDefault: true, Analyzer: "mix-lock"},
	{Type: TypeSwift, Language: "Swift", Ecosystem: EcosystemSwiftURL, Archive: EcosystemSwiftURL, PURLType: "swift", PURLDefault: true},
	{Type: TypeConanLock, Language: "C/C++", Ecosystem: EcosystemConanCenter, Archive: EcosystemConanCenter, PURLType: "conan", PURLDefault: true, Analyzer: "conan-lock"},
	{Type: TypeJulia, Language: "Julia", Ecosystem: EcosystemJulia, Archive: EcosystemJulia, PURLType: "julia", PURLDefault: true},
	// OSV has no CocoaPods ecosystem: pods are matched in SwiftURL under
	// their source repository (match.podRepository), as Trivy's DB files
	// GitHub's Swift advisories under pod names.
	{Type: TypeCocoaPods, Language: "Swift/Objective-C", Ecosystem: EcosystemSwiftURL, Archive: EcosystemSwiftURL, PURLType: "cocoapods", PURLDefault: true},
	// OSV has no conda ecosystem: these packages are listed, not matched.
	{Type: TypeConda, Language: "Conda", PURLType: "conda", PURLDefault: true, Target: "Conda"},
	{Type: TypeCondaEnv, Language: "Conda", PURLType: "conda"},
}

// packageTypeIndex maps Type to its row in packageTypes.
var packageTypeIndex = func() map[string]int {
	m := make(map[string]int, len(packageTypes))
	for i, t := range packageTypes {
		m[t.Type] = i
	}
	return m
}()

// PackageTypes returns the package type table, in its order (a copy).
func PackageTypes() []PackageType {
	return append([]PackageType(nil), packageTypes...)
}

// LookupPackageType returns the row of pkgType; ok is false for a type
// trawl does not know.
func LookupPackageType(pkgType string) (PackageType, bool) {
	i, ok := packageTypeIndex[pkgType]
	if !ok {
		return PackageType{}, false
	}
	return packageTypes[i], true
}

// PackageTypeOf returns the row of pkgType, or the zero row (no ecosystem,
// no purl, no target) for a type trawl does not know.
func PackageTypeOf(pkgType string) PackageType {
	t, _ := LookupPackageType(pkgType)
	return t
}

// AnalyzerOf returns the name of Trivy's analyzer for packages of pkgType,
// as Trivy writes it to Package.AnalyzedBy: the row's Analyzer, else the
// type itself (trawl's types are named after Trivy's); "" for a type
// trawl does not know.
func AnalyzerOf(pkgType string) string {
	t, ok := LookupPackageType(pkgType)
	switch {
	case !ok:
		return ""
	case t.Analyzer != "":
		return t.Analyzer
	}
	return t.Type
}

// PackageTypeForPURL returns the row a purl of purlType decodes to (the
// one with PURLDefault); ok is false for purl types trawl cannot scan
// (generic, oci, github…).
func PackageTypeForPURL(purlType string) (PackageType, bool) {
	for _, t := range packageTypes {
		if t.PURLDefault && t.PURLType == purlType {
			return t, true
		}
	}
	return PackageType{}, false
}

// OSFamily is one row of the OS family table.
type OSFamily struct {
	// Family is the family name (a Family* constant), as written to
	// Metadata.OS.Family.
	Family string
	// PkgType is the package type of the family's package manager.
	PkgType string
	// Archive is the OSV archive (<base>/<Archive>/all.zip) holding every
	// release of the family ("Debian" holds Debian:11, Debian:12…); "" when
	// the default DB update downloads none for it.
	Archive string
	// PURLNamespace is the namespace of the family's package URLs (and the
	// prefix of their "distro" qualifier).
	PURLNamespace string
	// Aliases are other names SBOM writers give the family ("rhel", "sles").
	Aliases []string
}

// osFamilies is the OS family table. Its order, after the language
// archives, is the order of the default DB archives.
var osFamilies = []OSFamily{
	{Family: FamilyAlpine, PkgType: TypeApk, Archive: "Alpine", PURLNamespace: "alpine"},
	{Family: FamilyDebian, PkgType: TypeDpkg, Archive: "Debian", PURLNamespace: "debian"},
	{Family: FamilyUbuntu, PkgType: TypeDpkg, Archive: "Ubuntu", PURLNamespace: "ubuntu"},
	{Family: FamilyWolfi, PkgType: TypeApk, Archive: "Wolfi", PURLNamespace: "wolfi"},
	{Family: FamilyChainguard, PkgType: TypeApk, Archive: "Chainguard", PURLNamespace: "chainguard"},
	{Family: FamilyRocky, PkgType: TypeRPM, Archive: "Rocky Linux", PURLNamespace: "rocky", Aliases: []string{"rocky linux"}},
	{Family: FamilyAlma, PkgType: TypeRPM, Archive: "AlmaLinux", PURLNamespace: "alma", Aliases: []string{"almalinux"}},
	{Family: FamilyRedHat, PkgType: TypeRPM, Archive: "Red Hat", PURLNamespace: "redhat", Aliases: []string{"rhel", "red hat", "red hat enterprise linux"}},
	{Family: FamilyCentOS, PkgType: TypeRPM, Archive: "Red Hat", PURLNamespace: "centos"},
	{Family: FamilySUSE, PkgType: TypeRPM, Archive: "SUSE", PURLNamespace: "sles", Aliases: []string{"sles", "suse", "sle", "sles_sap"}},
	{Family: FamilyOpenSUSE, PkgType: TypeRPM, Archive: "openSUSE", PURLNamespace: "opensuse-leap", Aliases: []string{"opensuse leap", "opensuse"}},
	{Family: FamilyOpenSUSETW, PkgType: TypeRPM, Archive: "openSUSE", PURLNamespace: "opensuse-tumbleweed", Aliases: []string{"opensuse tumbleweed"}},
	// Not downloaded by default: OSV publishes no archive for these (the
	// vulnerability DB may still hold them when built from other sources).
	{Family: FamilyFedora, PkgType: TypeRPM, PURLNamespace: "fedora"},
	{Family: FamilyAmazon, PkgType: TypeRPM, PURLNamespace: "amazon", Aliases: []string{"amzn", "amazon linux"}},
	{Family: FamilyOracle, PkgType: TypeRPM, PURLNamespace: "oracle", Aliases: []string{"ol", "oracle linux"}},
	{Family: FamilyPhoton, PkgType: TypeRPM, PURLNamespace: "photon"},
	{Family: FamilyMariner, PkgType: TypeRPM, PURLNamespace: "cbl-mariner", Aliases: []string{"mariner"}},
	{Family: FamilyAzure, PkgType: TypeRPM, PURLNamespace: "azurelinux", Aliases: []string{"azure linux"}},
}

// OSFamilies returns the OS family table, in its order (a copy).
func OSFamilies() []OSFamily {
	out := make([]OSFamily, len(osFamilies))
	for i, f := range osFamilies {
		f.Aliases = append([]string(nil), f.Aliases...)
		out[i] = f
	}
	return out
}

// LookupOSFamily returns the row of family (a Family* value or one of
// its aliases, in any case); ok is false for a family trawl does not know.
func LookupOSFamily(family string) (OSFamily, bool) {
	for _, f := range osFamilies {
		if strings.EqualFold(f.Family, family) {
			return f, true
		}
		for _, a := range f.Aliases {
			if strings.EqualFold(a, family) {
				return f, true
			}
		}
	}
	return OSFamily{}, false
}
