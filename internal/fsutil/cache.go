package fsutil

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// CacheMarker is the file that marks a directory as a trawl cache. trawl
// writes it whenever it creates or uses a cache directory; `trawl clean
// --all` removes only directories that carry it (or that hold nothing but
// what trawl writes).
const CacheMarker = ".trawl-cache"

const markerText = "This directory is a trawl cache: 'trawl clean --all' removes what trawl wrote here.\n"

// MarkCacheDir writes the marker into dir, which must exist. An existing
// marker (or anything else by that name) is left alone.
func MarkCacheDir(dir string) error {
	f, err := os.OpenFile(filepath.Join(dir, CacheMarker), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("marking cache directory %s: %w", dir, err)
	}
	_, err = f.WriteString(markerText)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("marking cache directory %s: %w", dir, err)
	}
	return nil
}

// MarkCacheDirOfDB marks the cache directory of a vulnerability DB at
// dbPath when dbPath is in the cache layout (<cache>/db/trawl.db); a DB
// kept anywhere else marks nothing.
func MarkCacheDirOfDB(dbPath string) error {
	dbDir := filepath.Dir(dbPath)
	if filepath.Base(dbPath) != "trawl.db" || filepath.Base(dbDir) != "db" {
		return nil
	}
	return MarkCacheDir(filepath.Dir(dbDir))
}

// IsCacheDir reports whether dir carries the cache marker (a regular
// file, not a link).
func IsCacheDir(dir string) bool {
	fi, err := os.Lstat(filepath.Join(dir, CacheMarker))
	return err == nil && fi.Mode().IsRegular()
}

// entry describes a name trawl writes in its cache directory: a file or a
// directory, named exactly or by a prefix, with what a directory holds.
type entry struct {
	name     string
	prefix   bool
	dir      bool
	children []entry
}

func (e entry) matches(name string, isDir bool) bool {
	if e.dir != isDir {
		return false
	}
	if e.prefix {
		return strings.HasPrefix(name, e.name)
	}
	return name == e.name
}

// cacheLayout is everything trawl writes under its cache directory:
//
//	.trawl-cache                 the marker
//	scan/layers.db               the layer cache (internal/cache), and files moved aside next to it
//	tmp/trawl-…                  decompressed image archives (internal/source/image)
//	db/trawl.db, db/.trawl.db…   the vulnerability DB, its update state and temp files (internal/vulndb)
//	db/osv-cache/<eco>/all.zip   downloaded OSV archives (internal/vulndb/update)
var cacheLayout = []entry{
	{name: CacheMarker},
	{name: "scan", dir: true, children: []entry{{name: "layers.db", prefix: true}}},
	{name: "tmp", dir: true, children: []entry{{name: "trawl-", prefix: true}, {name: ".trawl-", prefix: true}}},
	{name: "db", dir: true, children: []entry{
		{name: "trawl.db", prefix: true},
		{name: ".trawl.db", prefix: true},
		{name: "osv-cache", dir: true, children: []entry{
			{name: "", prefix: true, dir: true, children: []entry{{name: "all.zip"}, {name: ".all.zip.tmp-", prefix: true}}},
		}},
	}},
}

// CleanCacheDir removes what trawl wrote in the cache directory dir —
// the entries of its known layout, never a whole tree blindly — and dir
// itself once it is empty. A directory without the marker is cleaned only
// when it holds nothing else (a cache made by an older trawl); otherwise
// nothing is removed and the error names the first foreign entry. In a
// marked directory foreign entries are left in place and returned.
func CleanCacheDir(dir string) (left []string, err error) {
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("%s: not a directory", dir)
	}
	var files, dirs, foreign []string
	if err := plan(dir, cacheLayout, &files, &dirs, &foreign); err != nil {
		return nil, err
	}
	marked := IsCacheDir(dir)
	if !marked && len(files)+len(dirs) == 0 {
		return nil, fmt.Errorf("refusing to clean %s: it has no %s marker and holds nothing trawl writes", dir, CacheMarker)
	}
	if !marked && len(foreign) > 0 {
		return nil, fmt.Errorf("refusing to clean %s: it has no %s marker and holds %s, which trawl did not write", dir, CacheMarker, foreign[0])
	}
	marker := filepath.Join(dir, CacheMarker)
	for _, f := range files {
		if f == marker && len(foreign) > 0 {
			continue // still the cache directory
		}
		if err := os.Remove(f); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return foreign, fmt.Errorf("removing %s: %w", f, err)
		}
	}
	// Deepest first; a directory that still holds something stays.
	slices.SortFunc(dirs, func(a, b string) int { return len(b) - len(a) })
	for _, d := range append(dirs, dir) {
		_ = os.Remove(d)
	}
	return foreign, nil
}

// plan sorts the entries of dir into trawl's files and directories and
// foreign ones.
func plan(dir string, layout []entry, files, dirs, foreign *[]string) error {
	des, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("reading %s: %w", dir, err)
	}
	for _, de := range des {
		p := filepath.Join(dir, de.Name())
		isDir := de.Type().IsDir()
		i := slices.IndexFunc(layout, func(e entry) bool { return e.matches(de.Name(), isDir) })
		switch {
		case i < 0 || (!isDir && !de.Type().IsRegular()):
			*foreign = append(*foreign, p)
		case isDir:
			*dirs = append(*dirs, p)
			if err := plan(p, layout[i].children, files, dirs, foreign); err != nil {
				return err
			}
		default:
			*files = append(*files, p)
		}
	}
	return nil
}
