// Package rpm reads RPM package databases in all three on-disk formats:
// Berkeley DB (var/lib/rpm/Packages), NDB (Packages.db, SUSE) and SQLite
// (rpmdb.sqlite, Fedora ≥ 33, RHEL 9, CBL-Mariner 2), through
// github.com/knqyf263/go-rpmdb.
//
// go-rpmdb opens databases by path, not from a reader, and SQLite writes
// -wal/-shm files next to the database it opens, so Parse copies its input
// into a private temporary directory that it removes before returning.
// ParseFile reads a database already on disk; the caller must own its
// directory.
package rpm

import (
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	// SQLite driver for go-rpmdb's SQLite backend (registers "sqlite").
	_ "github.com/glebarez/go-sqlite"
	rpmdb "github.com/knqyf263/go-rpmdb/pkg"

	"github.com/trawlsec/trawl/pkg/model"
)

// Warning reports a package whose metadata was partly unusable.
type Warning struct {
	// Package is the package's name.
	Package string
	// Message says what was wrong.
	Message string
}

// String formats the warning as "package name: message".
func (w Warning) String() string { return fmt.Sprintf("package %s: %s", w.Package, w.Message) }

// Parse copies an RPM database from r into a temporary directory (under
// os.TempDir) and lists it with ParseFile.
func Parse(r io.Reader) ([]model.Package, []Warning, error) {
	dir, err := os.MkdirTemp("", "trawl-rpmdb-")
	if err != nil {
		return nil, nil, fmt.Errorf("rpm database: temporary directory: %w", err)
	}
	defer os.RemoveAll(dir)

	path := filepath.Join(dir, "Packages")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("rpm database: %w", err)
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("rpm database: copy to %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return nil, nil, fmt.Errorf("rpm database: %w", err)
	}
	return ParseFile(path)
}

// ParseFile lists the packages of the RPM database at path.
//
// Packages follow Trivy: ID is "name@version-release.arch", Epoch is also
// used as SrcEpoch (SOURCERPM carries none), SrcName/SrcVersion/SrcRelease
// come from the SOURCERPM file name, Arch "" becomes "None", Maintainer is
// the Vendor, Digest is "md5:<SIGMD5>", Licenses holds the License tag as
// written, and InstalledFiles (relative paths) are filled only for
// distribution-built packages. DependsOn lists the IDs of the packages
// providing what this one requires, sorted.
//
// A database go-rpmdb cannot read is an error; so is a panic inside
// go-rpmdb on a malformed database, which is recovered.
func ParseFile(path string) (pkgs []model.Package, warnings []Warning, err error) {
	defer func() {
		if r := recover(); r != nil {
			pkgs, warnings = nil, nil
			err = fmt.Errorf("rpm database %s: malformed (reader panicked: %v)", path, r)
		}
	}()

	if err := checkSQLite(path); err != nil {
		return nil, nil, fmt.Errorf("rpm database %s: %w", path, err)
	}
	db, err := rpmdb.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("rpm database %s: %w", path, err)
	}
	list, err := db.ListPackages()
	// The handle was only read from (and the SQLite backend closes itself
	// once read), so a close error cannot lose data.
	_ = db.Close()
	if err != nil {
		return nil, nil, fmt.Errorf("rpm database %s: %w", path, err)
	}

	provides := make(map[string]string)
	requires := make([][]string, 0, len(list))
	pkgs = make([]model.Package, 0, len(list))
	for _, info := range list {
		p, warns := toPackage(info)
		warnings = append(warnings, warns...)
		pkgs = append(pkgs, p)
		requires = append(requires, info.Requires)
		provides[info.Name] = p.ID
		for _, pr := range info.Provides {
			provides[pr] = p.ID
		}
	}
	for i := range pkgs {
		var on []string
		for _, req := range requires[i] {
			if id, ok := provides[req]; ok && id != pkgs[i].ID {
				on = append(on, id)
			}
		}
		slices.Sort(on)
		pkgs[i].DependsOn = slices.Compact(on)
	}
	return pkgs, warnings, nil
}

// checkSQLite makes sure a SQLite database has a readable Packages table
// before go-rpmdb reads it: go-rpmdb's SQLite reader leaks a goroutine
// when its query fails. Files that are not SQLite pass.
func checkSQLite(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	magic := make([]byte, 16)
	_, err = io.ReadFull(f, magic)
	f.Close()
	if err != nil || string(magic) != "SQLite format 3\x00" {
		return nil // not SQLite; go-rpmdb tries the other formats
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return err
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM Packages").Scan(&n); err != nil {
		return fmt.Errorf("not a readable SQLite rpmdb: %w", err)
	}
	return nil
}

func toPackage(info *rpmdb.PackageInfo) (model.Package, []Warning) {
	var warnings []Warning
	arch := info.Arch
	if arch == "" {
		arch = "None"
	}
	p := model.Package{
		ID:         fmt.Sprintf("%s@%s-%s.%s", info.Name, info.Version, info.Release, info.Arch),
		Name:       info.Name,
		Version:    info.Version,
		Release:    info.Release,
		Epoch:      info.EpochNum(),
		SrcEpoch:   info.EpochNum(),
		Arch:       arch,
		Maintainer: info.Vendor,
	}
	if info.License != "" {
		p.Licenses = []string{info.License}
	}
	if info.SigMD5 != "" {
		p.Digest = "md5:" + info.SigMD5
	}
	if src := info.SourceRpm; src != "" && src != "(none)" {
		name, ver, rel, ok := splitFileName(src)
		if ok {
			p.SrcName, p.SrcVersion, p.SrcRelease = name, ver, rel
		} else {
			warnings = append(warnings, Warning{Package: info.Name, Message: fmt.Sprintf("unparsable SOURCERPM %q", src)})
		}
	}
	if providedByVendor(info.Vendor) {
		files, err := info.InstalledFileNames()
		if err != nil {
			warnings = append(warnings, Warning{Package: info.Name, Message: fmt.Sprintf("file list: %v", err)})
		}
		for _, f := range files {
			if f = strings.TrimLeft(filepath.ToSlash(f), "/"); f != "" {
				p.InstalledFiles = append(p.InstalledFiles, f)
			}
		}
	}
	return p, warnings
}

// splitFileName splits a source RPM file name as yum's rpmUtils does:
// "glibc-2.17-317.el7.src.rpm" → glibc, 2.17, 317.el7.
func splitFileName(filename string) (name, ver, rel string, ok bool) {
	filename = strings.TrimSuffix(filename, ".rpm")
	archIndex := strings.LastIndex(filename, ".")
	if archIndex < 0 {
		return "", "", "", false
	}
	relIndex := strings.LastIndex(filename[:archIndex], "-")
	if relIndex < 0 {
		return "", "", "", false
	}
	verIndex := strings.LastIndex(filename[:relIndex], "-")
	if verIndex < 0 {
		return "", "", "", false
	}
	return filename[:verIndex], filename[verIndex+1 : relIndex], filename[relIndex+1 : archIndex], true
}

// providedByVendor reports whether a Vendor is a distribution's. Only
// their packages' files count as OS-owned, so that language packages
// installed by a third-party RPM are still reported (Trivy's rule).
func providedByVendor(vendor string) bool {
	osVendors := [...]string{
		"Amazon Linux",          // Amazon Linux 1
		"Amazon.com",            // Amazon Linux 2
		"CentOS",                // CentOS
		"Fedora Project",        // Fedora
		"Oracle America",        // Oracle Linux
		"Red Hat",               // Red Hat
		"AlmaLinux",             // AlmaLinux
		"CloudLinux",            // AlmaLinux
		"VMware",                // Photon OS
		"SUSE",                  // SUSE Linux Enterprise
		"openSUSE",              // openSUSE
		"Microsoft Corporation", // CBL-Mariner, Azure Linux
		"Rocky",                 // Rocky Linux
	}
	for _, v := range osVendors {
		if strings.HasPrefix(vendor, v) {
			return true
		}
	}
	return false
}
