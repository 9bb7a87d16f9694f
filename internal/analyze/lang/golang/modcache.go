package golang

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/module"

	"github.com/trawlsec/trawl/internal/analyze/licensefile"
	"github.com/trawlsec/trawl/pkg/model"
)

// MaxModCacheLicenseFiles caps the licence files read per module in the
// module cache.
const MaxModCacheLicenseFiles = 8

// DefaultModCache returns the Go module cache to read licences from:
// $GOMODCACHE, else the first $GOPATH entry's pkg/mod, else home/go/pkg/mod
// (the go command's defaults), when isDir accepts it; "" for none. getenv
// is os.Getenv in production. The go command is never run.
func DefaultModCache(getenv func(string) string, home string, isDir func(string) bool) string {
	var dir string
	switch {
	case getenv("GOMODCACHE") != "":
		dir = getenv("GOMODCACHE")
	case getenv("GOPATH") != "":
		first, _, _ := strings.Cut(getenv("GOPATH"), string(os.PathListSeparator))
		if first == "" {
			return ""
		}
		dir = filepath.Join(first, "pkg", "mod")
	case home != "":
		dir = filepath.Join(home, "go", "pkg", "mod")
	default:
		return ""
	}
	if !filepath.IsAbs(dir) || !isDir(dir) {
		return "" // the go command ignores a relative GOMODCACHE/GOPATH
	}
	return dir
}

// modCacheLicenses sets the licences of the packages that have none from
// the licence files directly in their module's directory of the module
// cache dir (<escaped path>@<escaped version>/, as `go mod download`
// extracts it). Only files below dir are opened (os.Root), licence-named
// ones up to licensefile.MaxFileSize; nothing is downloaded, and a module
// not in the cache is left as it is.
func modCacheLicenses(dir string, pkgs []model.Package) error {
	if dir == "" {
		return nil
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil // no cache: nothing to read
	}
	defer root.Close()
	rootFS := root.FS()
	for i := range pkgs {
		p := &pkgs[i]
		if len(p.Licenses) > 0 || p.Name == "" || p.Version == "" {
			continue
		}
		ep, err1 := module.EscapePath(p.Name)
		ev, err2 := module.EscapeVersion(p.Version)
		if err1 != nil || err2 != nil {
			continue
		}
		modDir := ep + "@" + ev
		if !fs.ValidPath(modDir) {
			continue
		}
		entries, err := fs.ReadDir(rootFS, modDir)
		if err != nil {
			continue
		}
		read := 0
		for _, e := range entries {
			if read == MaxModCacheLicenseFiles {
				break
			}
			info, err := e.Info()
			name := modDir + "/" + e.Name()
			if err != nil || !licensefile.New().Required(name, info) {
				continue
			}
			content, err := fs.ReadFile(rootFS, name)
			if err != nil || len(content) > licensefile.MaxFileSize {
				continue
			}
			read++
			if err := addClassified(p, content); err != nil {
				return err
			}
		}
	}
	return nil
}
