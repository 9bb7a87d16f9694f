package sbom

import (
	"strings"

	packageurl "github.com/package-url/packageurl-go"

	"github.com/trawlsec/trawl/pkg/model"
)

// purlKind is what a purl type maps to.
type purlKind struct {
	// pkgType is the trawl package type used when the SBOM does not name
	// one: the aggregated installed-package types where they exist.
	pkgType string
	// ecosystem is the OSV ecosystem; empty for OS packages and types
	// trawl does not match.
	ecosystem string
	os        bool
}

// kindOf returns how packages of a purl type are scanned, as pkg/model's
// package type table says; ok is false for purl types trawl cannot scan
// (generic, oci, github…).
func kindOf(purlType string) (purlKind, bool) {
	t, ok := model.PackageTypeForPURL(purlType)
	if !ok {
		return purlKind{}, false
	}
	return purlKind{pkgType: t.Type, ecosystem: t.Ecosystem, os: t.OS}, true
}

// scannable reports whether a purl names a package trawl can scan.
func scannable(s string) bool {
	p, err := packageurl.FromString(s)
	if err != nil {
		return false
	}
	_, ok := kindOf(p.Type)
	return ok
}

// purlName is the package name as its ecosystem writes it.
func purlName(p packageurl.PackageURL) string {
	switch p.Type {
	case packageurl.TypeMaven:
		if p.Namespace != "" {
			return p.Namespace + ":" + p.Name
		}
	case packageurl.TypeCocoapods:
		if p.Subpath != "" {
			return p.Name + "/" + p.Subpath
		}
	case packageurl.TypeDebian, packageurl.TypeApk, packageurl.TypeRPM, packageurl.TypePyPi,
		packageurl.TypeCargo, packageurl.TypeGem, packageurl.TypeNuget, packageurl.TypePub,
		packageurl.TypeHex, packageurl.TypeConda, packageurl.TypeConan:
		// The namespace is the distribution or a channel, not part of the name.
		return p.Name
	default:
		if p.Namespace != "" {
			return p.Namespace + "/" + p.Name
		}
	}
	return p.Name
}

// sameName reports whether the name an SBOM gives a component is the purl's
// name spelt differently (case, PyPI's "_" for "-"), in which case the
// SBOM's spelling is kept.
func sameName(purlType, fromPURL, given string) bool {
	if given == "" {
		return false
	}
	norm := func(s string) string {
		s = strings.ToLower(s)
		if purlType == packageurl.TypePyPi {
			s = strings.NewReplacer("_", "-", ".", "-").Replace(s)
		}
		return s
	}
	return norm(fromPURL) == norm(given)
}

// osFromDistro derives the OS from an OS package purl: its namespace and
// distro qualifier ("debian-12.15", or the bare release "3.10.4" of apk).
func osFromDistro(p packageurl.PackageURL) (model.OS, bool) {
	distro := p.Qualifiers.Map()["distro"]
	if distro == "" {
		return model.OS{}, false
	}
	family := strings.ToLower(p.Namespace)
	name := distro
	if !startsWithDigit(distro) {
		// "debian-12.15", "opensuse-leap-15.5": the release starts at
		// the last "-" followed by a digit; "wolfi" has none.
		family, name = strings.ToLower(distro), ""
		for i := len(distro) - 2; i > 0; i-- {
			if distro[i] == '-' && startsWithDigit(distro[i+1:]) {
				family, name = strings.ToLower(distro[:i]), distro[i+1:]
				break
			}
		}
	}
	if family == "" {
		return model.OS{}, false
	}
	return model.OS{Family: normalizeFamily(family), Name: name}, true
}

func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

// normalizeFamily maps the names SBOM writers use for a distribution to
// trawl's family names (pkg/model's OS family table and its aliases); an
// unknown name is returned in lower case.
func normalizeFamily(f string) string {
	f = strings.ToLower(strings.TrimSpace(f))
	if fam, ok := model.LookupOSFamily(f); ok {
		return fam.Family
	}
	return f
}

// splitDebVersion splits "epoch:version-release" as dpkg does: the epoch
// before the first ":" and the release after the last "-".
func splitDebVersion(v string) (epoch int, version, release string) {
	if e, rest, ok := strings.Cut(v, ":"); ok && isDigits(e) {
		epoch = atoiSmall(e)
		v = rest
	}
	if i := strings.LastIndex(v, "-"); i > 0 {
		return epoch, v[:i], v[i+1:]
	}
	return epoch, v, ""
}

func isDigits(s string) bool {
	if s == "" || len(s) > 9 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func atoiSmall(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// upstream reads Syft's "upstream" qualifier of OS package purls: the
// source package as "name", "name@version" (deb, apk) or the source RPM
// file name "name-version-release.src.rpm".
func upstream(purlType, q string) (name, version, release string, epoch int) {
	if q == "" {
		return "", "", "", 0
	}
	if purlType == packageurl.TypeRPM {
		base, ok := strings.CutSuffix(q, ".src.rpm")
		if !ok {
			return q, "", "", 0
		}
		i := strings.LastIndex(base, "-")
		if i <= 0 {
			return base, "", "", 0
		}
		j := strings.LastIndex(base[:i], "-")
		if j <= 0 {
			return base, "", "", 0
		}
		return base[:j], base[j+1 : i], base[i+1:], 0
	}
	name, full, ok := strings.Cut(q, "@")
	if !ok || full == "" {
		return name, "", "", 0
	}
	if purlType == packageurl.TypeApk {
		return name, full, "", 0
	}
	epoch, version, release = splitDebVersion(full)
	return name, version, release, epoch
}
