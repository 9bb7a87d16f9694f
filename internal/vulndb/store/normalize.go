package store

import (
	"strings"
)

// BaseEcosystem returns the ecosystem without its release suffix:
// "Alpine:v3.10" → "Alpine", "Ubuntu:22.04:LTS" → "Ubuntu", "PyPI" → "PyPI".
func BaseEcosystem(ecosystem string) string {
	if i := strings.IndexByte(ecosystem, ':'); i >= 0 {
		return ecosystem[:i]
	}
	return ecosystem
}

// Normalize returns the form of a package name under which the database
// files and looks up packages of the ecosystem:
//
//   - PyPI: PEP 503 (lower case, runs of "-", "_" and "." become "-");
//   - NuGet, Packagist: lower case (both registries are case-insensitive);
//   - Maven: "groupId:artifactId" kept as is (coordinates are
//     case-sensitive), surrounding blanks trimmed;
//   - npm: as is (the registry is case-sensitive for legacy names such as
//     "JSONStream"; new names are lower case anyway);
//   - Go: module paths as is; crates.io, RubyGems, Hex, Pub: as is;
//   - distributions (Alpine, Debian, Ubuntu, …): source package names as is.
func Normalize(ecosystem, name string) string {
	name = strings.TrimSpace(name)
	switch BaseEcosystem(ecosystem) {
	case "PyPI":
		return pep503(name)
	case "NuGet", "Packagist":
		return strings.ToLower(name)
	}
	return name
}

func pep503(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	sep := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c == '-' || c == '_' || c == '.' {
			if !sep {
				b.WriteByte('-')
			}
			sep = true
			continue
		}
		sep = false
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}

// OSEcosystems returns the OSV ecosystems, most specific first, under which
// a distribution release is published. family is a model.Family* value
// ("alpine", "debian", "ubuntu", …) and version the OS version found in the
// image ("3.10.4", "12.15", "22.04"):
//
//	alpine 3.10.4 → Alpine:v3.10      debian 12.15 → Debian:12
//	ubuntu 22.04  → Ubuntu:22.04:LTS, Ubuntu:22.04
//	ubuntu 23.10  → Ubuntu:23.10
//	rocky 9.3     → Rocky Linux:9     alma 9.3 → AlmaLinux:9
//	redhat 9.3    → Red Hat:enterprise_linux:9 (centos likewise)
//	suse linux enterprise server 15.5 → SUSE:Linux Enterprise Server 15 SP5
//	wolfi         → Wolfi             chainguard → Chainguard
//
// It returns nil for a family it does not know. Distributions that publish
// one release under several ecosystems (Red Hat per repository, SUSE per
// product module) have more: InRelease says which.
func OSEcosystems(family, version string) []string {
	version = strings.TrimSpace(version)
	major, minor := splitVersion(version)
	switch strings.ToLower(family) {
	case "alpine":
		if strings.Contains(version, "edge") {
			return []string{"Alpine:edge"}
		}
		if major == "" {
			return nil
		}
		return []string{"Alpine:v" + major + "." + minor}
	case "debian":
		if major == "" {
			return nil
		}
		return []string{"Debian:" + major}
	case "ubuntu":
		if major == "" || minor == "" {
			return nil
		}
		v := major + "." + minor
		if minor == "04" && isEven(major) {
			return []string{"Ubuntu:" + v + ":LTS", "Ubuntu:" + v}
		}
		return []string{"Ubuntu:" + v, "Ubuntu:" + v + ":LTS"}
	case "rocky":
		return majorOnly("Rocky Linux:", major)
	case "alma":
		return majorOnly("AlmaLinux:", major)
	case "redhat", "centos":
		return majorOnly("Red Hat:enterprise_linux:", major)
	case "suse linux enterprise server", "sles":
		if major == "" {
			return nil
		}
		return []string{"SUSE:Linux Enterprise Server " + suseRelease(major, minor)}
	case "wolfi":
		return []string{"Wolfi"}
	case "chainguard":
		return []string{"Chainguard"}
	case "opensuse-leap":
		if major == "" {
			return nil
		}
		return []string{"openSUSE:Leap " + major + "." + minor}
	case "opensuse-tumbleweed":
		return []string{"openSUSE:Tumbleweed"}
	case "photon":
		if major == "" {
			return nil
		}
		return []string{"Photon OS:" + major + ".0"}
	case "cbl-mariner":
		if major == "" {
			return nil
		}
		return []string{"Mariner:" + major + ".0"}
	case "azurelinux":
		if major == "" {
			return nil
		}
		return []string{"Azure Linux:" + major + ".0"}
	}
	return nil
}

func majorOnly(prefix, major string) []string {
	if major == "" {
		return nil
	}
	return []string{prefix + major}
}

// splitVersion returns the leading numeric major and minor components of
// a version ("3.10.4" → "3", "10"; "12" → "12", "").
func splitVersion(v string) (major, minor string) {
	v = strings.TrimPrefix(v, "v")
	parts := strings.SplitN(v, ".", 3)
	num := func(s string) string {
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return s[:i]
	}
	major = num(parts[0])
	if len(parts) > 1 && major != "" {
		minor = num(parts[1])
	}
	return major, minor
}

func isEven(s string) bool {
	return s != "" && (s[len(s)-1]-'0')%2 == 0
}

// suseRelease is SUSE's name of a service pack release: "15", "5" → "15 SP5";
// "15", "" or "0" → "15".
func suseRelease(major, minor string) string {
	if minor == "" || strings.TrimLeft(minor, "0") == "" {
		return major
	}
	return major + " SP" + strings.TrimLeft(minor, "0")
}

// InRelease reports whether the OSV ecosystem eco belongs to the
// distribution release family/version, that is whether its advisories apply
// to packages installed from that release. It is true for the ecosystems of
// OSEcosystems and, for distributions that split a release over several
// ecosystems, for:
//
//   - Red Hat (and CentOS): "Red Hat:enterprise_linux:<major>" with a
//     repository suffix ("::appstream", "::baseos", "::crb", …) or a minor
//     release ("Red Hat:enterprise_linux:10.0"), of the same major release;
//     extended-support streams ("Red Hat:rhel_eus:9.2::appstream") are not
//     the release an image installs from and are excluded;
//   - SUSE Linux Enterprise: every "SUSE:Linux Enterprise <product> <release>"
//     of the same release and service pack ("… Module for Basesystem 15 SP5"),
//     but not "… 15 SP5-LTSS" (a paid extension) nor another service pack.
//
// Every other ecosystem of the distribution, in particular another release
// ("Debian:11" for a Debian 12 image, "Ubuntu:24.04:LTS" for 22.04,
// "Ubuntu:Pro:22.04:LTS" for a 22.04 image without Ubuntu Pro, "Alpine:v3.18"
// for 3.19), is false.
func InRelease(family, version, eco string) bool {
	cands := OSEcosystems(family, version)
	for _, c := range cands {
		if c == eco {
			return true
		}
	}
	major, minor := splitVersion(strings.TrimSpace(version))
	if major == "" {
		return false
	}
	switch strings.ToLower(family) {
	case "redhat", "centos":
		rest, ok := strings.CutPrefix(eco, "Red Hat:enterprise_linux:")
		if !ok {
			return false
		}
		rel, _, _ := strings.Cut(rest, "::")
		relMajor, _, _ := strings.Cut(rel, ".")
		return relMajor == major && !strings.Contains(rel, ":")
	case "suse linux enterprise server", "sles":
		rest, ok := strings.CutPrefix(eco, "SUSE:Linux Enterprise ")
		return ok && strings.HasSuffix(rest, " "+suseRelease(major, minor))
	}
	return false
}
