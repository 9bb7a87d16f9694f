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

// Type returns the purl type for a trawl package type (model.Type*), or ""
// when the package type has no purl type. It reads pkg/model's package
// type table.
func Type(pkgType string) string { return model.PackageTypeOf(pkgType).PURLType }

// osNamespace is the purl namespace (and distro qualifier prefix) of an OS
// family: the OS family table's ("sles" for SUSE Linux Enterprise Server,
// as Trivy writes it), or the family itself when it is not one of the
// table's family names.
func osNamespace(family string) string {
	if f, ok := model.LookupOSFamily(family); ok && f.Family == family {
		return f.PURLNamespace
	}
	return family
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
			namespace = osNamespace(os.Family)
			qualifiers = appendDistro(qualifiers, namespace, os.Name)
		}
	case packageurl.TypeRPM:
		if os.Detected() {
			namespace = osNamespace(os.Family)
			qualifiers = appendDistro(qualifiers, namespace, os.Name)
		}
	case packageurl.TypeApk:
		// The purl spec requires lower-case apk names and namespaces.
		name = strings.ToLower(name)
		if os.Detected() {
			namespace = strings.ToLower(osNamespace(os.Family))
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
	case packageurl.TypeJulia:
		// The purl spec's julia type requires the package's UUID, which
		// the Manifest.toml parser writes as the package ID.
		if isUUID(p.ID) {
			qualifiers = append(qualifiers, packageurl.Qualifier{Key: "uuid", Value: strings.ToLower(p.ID)})
		}
	}
	if name == "" {
		return ""
	}
	return packageurl.NewPackageURL(ptype, namespace, name, version, qualifiers, subpath).ToString()
}

// isUUID reports whether s is a UUID in its 8-4-4-4-12 hex form.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return false
			}
		case '0' <= c && c <= '9', 'a' <= c && c <= 'f', 'A' <= c && c <= 'F':
		default:
			return false
		}
	}
	return true
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
