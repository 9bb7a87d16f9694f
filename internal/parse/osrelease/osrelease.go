// Package osrelease identifies the operating system from the small text
// files distributions ship for that purpose: os-release
// (etc/os-release, usr/lib/os-release), etc/alpine-release,
// etc/debian_version, the Red Hat family's etc/*-release files, Amazon
// Linux's etc/system-release and etc/lsb-release.
//
// Each parser reads one file and returns the OS it names with Trivy's family
// names (model.Family*) and the version Trivy would report as Name; an OS
// with an empty Family means the file names no OS trawl knows. Choosing
// between several files that disagree is left to the caller (see the
// release analyzer's priorities).
package osrelease

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/trawlsec/trawl/pkg/model"
)

// Families trawl detects that pkg/model has no constant for (yet). The
// values are Trivy's.
const (
	FamilyBottlerocket = "bottlerocket"
	FamilySLEMicro     = "slem"
	FamilyMinimOS      = "minimos"
)

// maxLine bounds one line of these files, which are a few hundred bytes.
const maxLine = 64 * 1024

// FamilyForID maps an os-release ID (or an lsb-release DISTRIB_ID, lower
// case) to a family, or "" when trawl does not know it.
func FamilyForID(id string) string {
	switch id {
	case "alpine":
		return model.FamilyAlpine
	case "debian":
		return model.FamilyDebian
	case "ubuntu":
		return model.FamilyUbuntu
	case "rhel":
		return model.FamilyRedHat
	case "centos":
		return model.FamilyCentOS
	case "rocky":
		return model.FamilyRocky
	case "almalinux":
		return model.FamilyAlma
	case "fedora":
		return model.FamilyFedora
	case "amzn":
		return model.FamilyAmazon
	case "ol":
		return model.FamilyOracle
	case "sles":
		return model.FamilySUSE
	case "opensuse-leap", "opensuse": // "opensuse" is Leap 42's ID
		return model.FamilyOpenSUSE
	case "opensuse-tumbleweed":
		return model.FamilyOpenSUSETW
	case "photon":
		return model.FamilyPhoton
	case "mariner":
		return model.FamilyMariner
	case "azurelinux":
		return model.FamilyAzure
	case "wolfi":
		return model.FamilyWolfi
	case "chainguard":
		return model.FamilyChainguard
	case "bottlerocket":
		return FamilyBottlerocket
	case "sle-micro", "sl-micro", "sle-micro-rancher":
		// SLE Micro and its brief "SL Micro" and Rancher rebrands.
		return FamilySLEMicro
	case "minimos":
		return FamilyMinimOS
	}
	return ""
}

// ParseOSRelease reads an os-release file (shell-style KEY=value lines) and
// returns the family of its ID with VERSION_ID as Name. Both must be present
// and the ID known, or the OS is empty.
func ParseOSRelease(r io.Reader) (model.OS, error) {
	vars, err := parseVars(r)
	if err != nil {
		return model.OS{}, fmt.Errorf("os-release: %w", err)
	}
	family := FamilyForID(strings.ToLower(vars["ID"]))
	version := vars["VERSION_ID"]
	if family == "" || version == "" {
		return model.OS{}, nil
	}
	return model.OS{Family: family, Name: version}, nil
}

// ParseLSBRelease reads etc/lsb-release (DISTRIB_ID, DISTRIB_RELEASE). Only
// distributions FamilyForID knows are reported (in practice Ubuntu).
func ParseLSBRelease(r io.Reader) (model.OS, error) {
	vars, err := parseVars(r)
	if err != nil {
		return model.OS{}, fmt.Errorf("lsb-release: %w", err)
	}
	family := FamilyForID(strings.ToLower(vars["DISTRIB_ID"]))
	version := vars["DISTRIB_RELEASE"]
	if family == "" || version == "" {
		return model.OS{}, nil
	}
	return model.OS{Family: family, Name: version}, nil
}

// ParseAlpineRelease reads etc/alpine-release, whose first line is the full
// release ("3.10.4").
func ParseAlpineRelease(r io.Reader) (model.OS, error) {
	line, err := firstLine(r)
	if err != nil {
		return model.OS{}, fmt.Errorf("alpine-release: %w", err)
	}
	if !plausible(line) {
		return model.OS{}, nil
	}
	return model.OS{Family: model.FamilyAlpine, Name: line}, nil
}

// ParseDebianVersion reads etc/debian_version: a point release ("12.15")
// on Debian, a codename ("bookworm/sid") on Debian testing and on Ubuntu.
// Both are returned as Debian; IsPointRelease tells them apart.
func ParseDebianVersion(r io.Reader) (model.OS, error) {
	line, err := firstLine(r)
	if err != nil {
		return model.OS{}, fmt.Errorf("debian_version: %w", err)
	}
	if !plausible(line) {
		return model.OS{}, nil
	}
	return model.OS{Family: model.FamilyDebian, Name: line}, nil
}

// IsPointRelease reports whether a debian_version value is numeric
// ("12.15", "9.13") rather than a codename ("bookworm/sid").
func IsPointRelease(v string) bool {
	if v == "" {
		return false
	}
	for _, c := range v {
		if (c < '0' || c > '9') && c != '.' {
			return false
		}
	}
	return true
}

// ParseRedHatRelease reads a Red Hat style release line ("CentOS Linux
// release 7.9.2009 (Core)", "Rocky Linux release 9.3 (Blue Onyx)", "Red Hat
// Enterprise Linux release 8.6 (Ootpa)") as found in etc/redhat-release,
// etc/centos-release, etc/rocky-release, etc/almalinux-release,
// etc/oracle-release and etc/fedora-release. The family comes from the
// distribution name before " release "; unknown names are Red Hat, as in
// Trivy. Name is the dotted version after it.
func ParseRedHatRelease(r io.Reader) (model.OS, error) {
	line, err := firstLine(r)
	if err != nil {
		return model.OS{}, fmt.Errorf("redhat-release: %w", err)
	}
	distro, rest, ok := strings.Cut(line, " release ")
	if !ok {
		return model.OS{}, nil
	}
	version := leadingVersion(strings.TrimSpace(rest))
	if version == "" {
		return model.OS{}, nil
	}
	var family string
	switch strings.ToLower(strings.TrimSpace(distro)) {
	case "centos", "centos linux", "centos stream":
		family = model.FamilyCentOS
	case "rocky", "rocky linux":
		family = model.FamilyRocky
	case "alma", "almalinux", "alma linux":
		family = model.FamilyAlma
	case "oracle", "oracle linux", "oracle linux server":
		family = model.FamilyOracle
	case "fedora", "fedora linux":
		family = model.FamilyFedora
	default:
		family = model.FamilyRedHat
	}
	return model.OS{Family: family, Name: version}, nil
}

// ParseSystemRelease reads etc/system-release, which trawl uses only for
// Amazon Linux, reporting the rest of the line after "Amazon Linux
// release" the way Trivy does ("2 (Karoo)", "2023 (Amazon Linux)"; Amazon
// Linux 1's "Amazon Linux AMI release 2018.03" gives "AMI release
// 2018.03"). Other distributions' system-release files give an empty OS.
func ParseSystemRelease(r io.Reader) (model.OS, error) {
	line, err := firstLine(r)
	if err != nil {
		return model.OS{}, fmt.Errorf("system-release: %w", err)
	}
	f := strings.Fields(line)
	if len(f) < 3 || f[0] != "Amazon" || f[1] != "Linux" {
		return model.OS{}, nil
	}
	if f[2] == "release" {
		if len(f) < 4 {
			return model.OS{}, nil
		}
		return model.OS{Family: model.FamilyAmazon, Name: strings.Join(f[3:], " ")}, nil
	}
	return model.OS{Family: model.FamilyAmazon, Name: strings.Join(f[2:], " ")}, nil
}

// plausible reports whether s can be a one-word release: non-empty,
// printable ASCII, no blanks.
func plausible(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// leadingVersion returns the leading run of digits and dots of s, which
// must start with a digit: "7.9.2009 (Core)" → "7.9.2009".
func leadingVersion(s string) string {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return ""
	}
	i := 0
	for i < len(s) && (s[i] == '.' || (s[i] >= '0' && s[i] <= '9')) {
		i++
	}
	return strings.TrimRight(s[:i], ".")
}

// firstLine returns the first non-blank line of r, trimmed.
func firstLine(r io.Reader) (string, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			return line, nil
		}
	}
	return "", sc.Err()
}

// parseVars reads KEY=value lines, dropping comments and the quotes around
// values. The first assignment of a key wins.
func parseVars(r io.Reader) (map[string]string, error) {
	vars := make(map[string]string)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		key = strings.TrimSpace(key)
		if _, dup := vars[key]; dup {
			continue
		}
		vars[key] = unquote(strings.TrimSpace(value))
	}
	return vars, sc.Err()
}

// unquote removes one pair of matching single or double quotes.
func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	return strings.Trim(v, `"'`)
}
