package golang

import (
	"bufio"
	"bytes"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/trawlsec/trawl/internal/analyze/licensefile"
	"github.com/trawlsec/trawl/internal/license"
	"github.com/trawlsec/trawl/pkg/model"
)

// VendorLicenseConfidence is the least confidence at which a vendored
// module's licence file names its licence (Trivy's default
// --license-confidence-level).
const VendorLicenseConfidence = 0.9

// classifier is built once, on the first vendored licence file.
var classifier = sync.OnceValues(license.NewFileClassifier)

// addClassified adds to p.Licenses the licences a licence file's content
// holds (at VendorLicenseConfidence), each once.
func addClassified(p *model.Package, content []byte) error {
	c, err := classifier()
	if err != nil {
		return err
	}
	for _, m := range c.Classify(content, VendorLicenseConfidence) {
		if !slices.Contains(p.Licenses, m.Name) {
			p.Licenses = append(p.Licenses, m.Name)
		}
	}
	return nil
}

// vendorFile reports whether p is a file of a vendor tree the go.mod
// post-analysis reads: vendor/modules.txt, or a licence file (as
// --license-full names them, up to licensefile.MaxFileSize) below a
// vendor directory.
func vendorFile(p string, info fs.FileInfo) bool {
	if !strings.Contains("/"+path.Dir(p)+"/", "/vendor/") {
		return false
	}
	if path.Base(p) == "modules.txt" && path.Base(path.Dir(p)) == "vendor" {
		return info == nil || info.Mode().IsRegular()
	}
	return licensefile.New().Required(p, info)
}

// vendoredModules reads vendor/modules.txt: "path@version" of each module
// → the directory it is vendored in (below vendor/), from its "# path
// version" lines. A replaced module ("# path [version] => replacement
// version") is reported under its replacement and vendored under its own
// path. ok is false when there is no modules.txt, so a directory merely
// named vendor is not read.
func vendoredModules(files fs.FS, vendor string) (mods map[string]string, ok bool) {
	b, err := fs.ReadFile(files, path.Join(vendor, "modules.txt"))
	if err != nil {
		return nil, false
	}
	mods = map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 3 || f[0] != "#" || strings.HasPrefix(f[1], "#") {
			continue
		}
		dir := f[1]
		if f[2] != "=>" {
			mods[modKey(dir, f[2])] = dir
		}
		if i := slices.Index(f, "=>"); i > 0 && i+2 < len(f) {
			mods[modKey(f[i+1], f[i+2])] = dir
		}
	}
	return mods, true
}

// modKey is the key of a module version, with or without the "v".
func modKey(p, v string) string { return p + "@" + strings.TrimPrefix(v, "v") }

// vendorLicenses sets the licences of the go.mod packages whose module is
// vendored beside the go.mod (dir/vendor/<module path>/, listed with the
// same version, or as the replacement, in vendor/modules.txt) from the licence files directly in
// that directory. Packages that already declare licences keep them. A
// licence file no known licence matches adds nothing.
func vendorLicenses(files fs.FS, dir string, pkgs []model.Package) error {
	vendor := path.Join(dir, "vendor")
	mods, ok := vendoredModules(files, vendor)
	if !ok {
		return nil
	}
	for i := range pkgs {
		p := &pkgs[i]
		dir := mods[modKey(p.Name, p.Version)]
		if len(p.Licenses) > 0 || dir == "" {
			continue
		}
		modDir := path.Join(vendor, dir)
		entries, err := fs.ReadDir(files, modDir)
		if err != nil {
			continue // vendored without a licence file
		}
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			name := path.Join(modDir, e.Name())
			info, err := e.Info()
			if err != nil || !licensefile.New().Required(name, info) {
				continue
			}
			content, err := fs.ReadFile(files, name)
			if err != nil {
				continue
			}
			if err := addClassified(p, content); err != nil {
				return err
			}
		}
	}
	return nil
}
