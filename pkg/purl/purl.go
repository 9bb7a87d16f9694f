// Package purl builds Package URLs (https://github.com/package-url/purl-spec)
// for trawl's packages, writing the same strings Trivy writes in
// Identifier.PURL so that reports and SBOMs stay comparable.
//
// OS package URLs need the detected OS (namespace and distro qualifier), so
// they are built once the layers are merged and the OS is known, not by the
// analyzers.
package purl

import (
	"strconv"
	"strings"

	packageurl "github.com/package-url/packageurl-go"

	"github.com/trawlsec/trawl/pkg/model"
)

// familySLES is the purl namespace and distro prefix Trivy uses for SUSE
// Linux Enterprise Server, whose family name contains spaces.
const familySLES = "sles"

// Type returns the purl type for a trawl package type (model.Type*), or ""
// when the package type has no purl type.
func Type(pkgType string) string {
	switch pkgType {
	case model.TypeDpkg:
		return packageurl.TypeDebian
	case model.TypeApk:
		return packageurl.TypeApk
	case model.TypeRPM:
		return packageurl.TypeRPM
	case model.TypeNpm, model.TypeNodePkg, model.TypeYarn, model.TypePnpm, model.TypeBun:
		return packageurl.TypeNPM
	case model.TypePythonPkg, model.TypePip, model.TypePipenv, model.TypePoetry, model.TypeUv:
		return packageurl.TypePyPi
	case model.TypeGoBinary, model.TypeGoModule:
		return packageurl.TypeGolang
	case model.TypeCargo, model.TypeRustBinary:
		return packageurl.TypeCargo
	case model.TypeJar, model.TypePom, model.TypeGradle:
		return packageurl.TypeMaven
	case model.TypeBundler, model.TypeGemSpec:
		return packageurl.TypeGem
	case model.TypeComposer, model.TypeComposerVend:
		return packageurl.TypeComposer
	case model.TypeNuget, model.TypeDotNetCore:
		return packageurl.TypeNuget
	case model.TypeConanLock:
		return packageurl.TypeConan
	case model.TypePub:
		return packageurl.TypePub
	case model.TypeHex:
		return packageurl.TypeHex
	case model.TypeSwift:
		return packageurl.TypeSwift
	case model.TypeCocoaPods:
		return packageurl.TypeCocoapods
	case model.TypeConda:
		return packageurl.TypeConda
	case model.TypeJulia:
		// Not a constant in packageurl-go yet; the purl spec registers it.
		return "julia"
	}
	return ""
}

// ForPackage returns the Package URL of p, a package of type pkgType (one of
// the model.Type* constants), found in an artifact whose OS is os (nil or
// undetected for language packages or when no OS was found). It returns ""
// when the type has no purl or the package cannot be named by one (a Go
// module replaced by a local path, a package without a name).
//
// Following Trivy, the epoch goes into an "epoch" qualifier, not into the
// version, and arch becomes an "arch" qualifier; OS packages get the OS family
// as namespace and a "distro" qualifier ("debian-12.15" for deb and rpm, the
// bare release "3.10.4" for apk).
func ForPackage(pkgType string, os *model.OS, p *model.Package) string {
	if p == nil || p.Name == "" {
		return ""
	}
	ptype := Type(pkgType)
	if ptype == "" {
		return ""
	}

	var qualifiers packageurl.Qualifiers
	if p.Arch != "" {
		qualifiers = append(qualifiers, packageurl.Qualifier{Key: "arch", Value: p.Arch})
	}
	if p.Epoch != 0 {
		qualifiers = append(qualifiers, packageurl.Qualifier{Key: "epoch", Value: strconv.Itoa(p.Epoch)})
	}

	name := p.Name
	version := p.Version
	if p.Release != "" {
		version += "-" + p.Release
	}
	var namespace, subpath string

	switch ptype {
	case packageurl.TypeDebian:
		if os.Detected() {
			namespace = os.Family
			qualifiers = appendDistro(qualifiers, os.Family, os.Name)
		}
	case packageurl.TypeRPM:
		if os.Detected() {
			family := os.Family
			if family == model.FamilySUSE {
				family = familySLES
			}
			namespace = family
			qualifiers = appendDistro(qualifiers, family, os.Name)
		}
	case packageurl.TypeApk:
		// The purl spec requires lower-case apk names and namespaces.
		name = strings.ToLower(name)
		if os.Detected() {
			namespace = strings.ToLower(os.Family)
			if os.Name != "" {
				qualifiers = append(qualifiers, packageurl.Qualifier{Key: "distro", Value: os.Name})
			}
		}
	case packageurl.TypeMaven:
		// group:artifact → namespace group, name artifact.
		namespace, name = splitLast(strings.ReplaceAll(name, ":", "/"))
	case packageurl.TypePyPi:
		// PyPI names are case-insensitive and treat "_" as "-".
		name = strings.ToLower(strings.ReplaceAll(name, "_", "-"))
	case packageurl.TypeGolang:
		// A module replaced by a local path names no software package.
		if strings.HasPrefix(name, "./") || strings.HasPrefix(name, "../") {
			return ""
		}
		namespace, name = splitLast(strings.ToLower(name))
	case packageurl.TypeNPM:
		// "@scope/name" → namespace "@scope" (written %40scope).
		namespace, name = splitLast(strings.ToLower(name))
	case packageurl.TypeComposer, packageurl.TypeSwift:
		namespace, name = splitLast(name)
	case packageurl.TypeCocoapods:
		// "Pod/Subspec" → name "Pod", subpath "Subspec".
		name, subpath, _ = strings.Cut(name, "/")
	}
	if name == "" {
		return ""
	}
	return packageurl.NewPackageURL(ptype, namespace, name, version, qualifiers, subpath).ToString()
}

func appendDistro(q packageurl.Qualifiers, family, name string) packageurl.Qualifiers {
	if name == "" {
		return q
	}
	return append(q, packageurl.Qualifier{Key: "distro", Value: family + "-" + name})
}

// splitLast splits s at its last "/" into namespace and name.
func splitLast(s string) (namespace, name string) {
	if i := strings.LastIndex(s, "/"); i >= 0 {
		return s[:i], s[i+1:]
	}
	return "", s
}
