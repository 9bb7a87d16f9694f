package dotnet

import (
	"encoding/xml"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/trawlsec/trawl/pkg/model"
)

// MaxNuspecSize caps the .nuspec read per package; real ones are a few KB.
const MaxNuspecSize = 1 << 20

// DefaultNugetPackages returns the NuGet global packages folder to read
// licences from: $NUGET_PACKAGES, else home/.nuget/packages, the first
// that isDir accepts; "" for none. getenv is os.Getenv in production.
func DefaultNugetPackages(getenv func(string) string, home string, isDir func(string) bool) string {
	var cands []string
	if d := getenv("NUGET_PACKAGES"); d != "" {
		cands = append(cands, d)
	}
	if home != "" {
		cands = append(cands, filepath.Join(home, ".nuget", "packages"))
	}
	for _, c := range cands {
		if isDir(c) {
			return c
		}
	}
	return ""
}

// nuspec is the part of a .nuspec that names the licence.
type nuspec struct {
	Metadata struct {
		License struct {
			Type string `xml:"type,attr"`
			Text string `xml:",chardata"`
		} `xml:"license"`
		LicenseURL string `xml:"licenseUrl"`
	} `xml:"metadata"`
}

// deprecatedLicenseURL is the placeholder licenseUrl NuGet writes for
// packages that declare a <license>.
const deprecatedLicenseURL = "https://aka.ms/deprecateLicenseUrl"

// nuspecLicenses sets the Licenses of the packages that declare none from
// their .nuspec in the global packages folder dir
// (<id>/<version>/<id>.nuspec, lower case, as NuGet lays it out): the
// <license type="expression">, else the <licenseUrl>. Only files below dir
// are opened (os.Root); a package without a readable .nuspec is left as
// it is.
func nuspecLicenses(dir string, pkgs []model.Package) {
	if dir == "" || len(pkgs) == 0 {
		return
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return
	}
	defer root.Close()
	for i := range pkgs {
		p := &pkgs[i]
		if len(p.Licenses) > 0 || p.Name == "" || p.Version == "" {
			continue
		}
		id := strings.ToLower(p.Name)
		for _, ver := range versionFolders(strings.ToLower(p.Version)) {
			if lic := readNuspecLicense(root, id+"/"+ver+"/"+id+".nuspec"); lic != "" {
				p.Licenses = []string{lic}
				break
			}
		}
	}
}

// versionFolders are the folder names NuGet may have used for a version:
// as written, and normalised (three parts at least, a zero fourth part
// dropped: 1.0 → 1.0.0, 1.2.3.0 → 1.2.3).
func versionFolders(v string) []string {
	core, rest, _ := strings.Cut(v, "-")
	parts := strings.Split(core, ".")
	for len(parts) < 3 {
		parts = append(parts, "0")
	}
	if len(parts) == 4 && parts[3] == "0" {
		parts = parts[:3]
	}
	n := strings.Join(parts, ".")
	if rest != "" {
		n += "-" + rest
	}
	if n == v {
		return []string{v}
	}
	return []string{v, n}
}

// readNuspecLicense returns the licence a .nuspec declares, "" when it
// cannot be read or declares none.
func readNuspecLicense(root *os.Root, name string) string {
	if !fs.ValidPath(name) {
		return ""
	}
	f, err := root.Open(name)
	if err != nil {
		return ""
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() || fi.Size() > MaxNuspecSize {
		return ""
	}
	var n nuspec
	if err := xml.NewDecoder(io.LimitReader(f, MaxNuspecSize)).Decode(&n); err != nil && !errors.Is(err, io.EOF) {
		return ""
	}
	m := n.Metadata
	if strings.EqualFold(m.License.Type, "expression") {
		if t := strings.TrimSpace(m.License.Text); t != "" {
			return t
		}
	}
	if u := strings.TrimSpace(m.LicenseURL); u != "" && u != deprecatedLicenseURL {
		return u
	}
	return ""
}
