package osv

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrLimit is wrapped by errors for inputs that exceed a Limits bound.
var ErrLimit = errors.New("trawl/osv: limit exceeded")

// Limits bound what Walk reads, so that a hostile or broken archive cannot
// exhaust memory. Zero fields take the defaults of DefaultLimits.
type Limits struct {
	// MaxFileSize is the largest single record file or archive entry, in
	// bytes (uncompressed).
	MaxFileSize int64
	// MaxEntries is the largest number of entries an archive may hold.
	MaxEntries int
	// MaxTotal is the largest sum of uncompressed entry sizes of one archive.
	MaxTotal int64
	// MaxRatio is the largest compression ratio an entry may claim
	// (uncompressed/compressed) once it is larger than 1 MiB.
	MaxRatio int64
}

// DefaultLimits returns the limits used when a Limits field is zero:
// 16 MiB per record, 2 million entries and 8 GiB per archive, ratio 200.
func DefaultLimits() Limits {
	return Limits{MaxFileSize: 16 << 20, MaxEntries: 2_000_000, MaxTotal: 8 << 30, MaxRatio: 200}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxFileSize <= 0 {
		l.MaxFileSize = d.MaxFileSize
	}
	if l.MaxEntries <= 0 {
		l.MaxEntries = d.MaxEntries
	}
	if l.MaxTotal <= 0 {
		l.MaxTotal = d.MaxTotal
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = d.MaxRatio
	}
	return l
}

// File is one record file found by Walk. Name is the file's path, or
// "<archive>!<entry>" inside a zip archive. Err is set (and Data nil) when
// this one file could not be read; the walk goes on.
type File struct {
	Name string
	Data []byte
	Err  error
}

// Walk reads every record file under root and calls fn for each. root may be
// a single .json/.yaml/.yml file, a .zip archive (such as OSV's all.zip), or
// a directory, which is walked in lexical order: hidden files and
// directories (".name") are skipped, as are files with other extensions;
// zip archives found inside are walked too. Archives are read in place
// (nothing is written to disk) within the given Limits.
//
// Walk returns an error when root cannot be read, when an archive as a
// whole is unreadable or breaks a limit, when ctx is done, or when fn
// returns one. Problems with a single file are passed to fn in File.Err.
func Walk(ctx context.Context, root string, lim Limits, fn func(File) error) error {
	lim = lim.withDefaults()
	info, err := os.Stat(root)
	if err != nil {
		return fmt.Errorf("osv source %s: %w", root, err)
	}
	if !info.IsDir() {
		return walkFile(ctx, root, lim, fn)
	}
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("osv source %s: %w", p, err)
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		if p != root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !Wanted(p) {
			return nil
		}
		return walkFile(ctx, p, lim, fn)
	})
}

// Wanted reports whether Walk reads a file of this name inside a directory:
// .json, .yaml, .yml and .zip files.
func Wanted(name string) bool {
	return FormatOf(name) != "" || strings.EqualFold(filepath.Ext(name), ".zip")
}

func walkFile(ctx context.Context, p string, lim Limits, fn func(File) error) error {
	if strings.EqualFold(filepath.Ext(p), ".zip") {
		return walkZip(ctx, p, lim, fn)
	}
	data, err := readFileLimited(p, lim.MaxFileSize)
	if err != nil {
		return fn(File{Name: p, Err: err})
	}
	return fn(File{Name: p, Data: data})
}

func readFileLimited(p string, max int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readLimited(f, max)
}

func readLimited(r io.Reader, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrLimit, max)
	}
	return data, nil
}

func walkZip(ctx context.Context, p string, lim Limits, fn func(File) error) error {
	zr, err := zip.OpenReader(p)
	if err != nil {
		return fmt.Errorf("zip archive %s: %w", p, err)
	}
	defer zr.Close()
	return WalkZip(ctx, p, &zr.Reader, lim, fn)
}

// WalkZip is Walk for an opened zip archive; name is used in file names and
// errors. Entries that are not .json/.yaml/.yml files, and hidden entries
// (a path component starting with ".", or "__MACOSX"), are skipped.
func WalkZip(ctx context.Context, name string, zr *zip.Reader, lim Limits, fn func(File) error) error {
	lim = lim.withDefaults()
	if len(zr.File) > lim.MaxEntries {
		return fmt.Errorf("zip archive %s: %w: %d entries, at most %d allowed", name, ErrLimit, len(zr.File), lim.MaxEntries)
	}
	var total int64
	for _, zf := range zr.File {
		if err := ctx.Err(); err != nil {
			return err
		}
		if zf.FileInfo().IsDir() || FormatOf(zf.Name) == "" || hiddenEntry(zf.Name) {
			continue
		}
		entry := name + "!" + zf.Name
		if err := checkEntry(zf, lim); err != nil {
			return fmt.Errorf("zip archive %s: entry %s: %w", name, zf.Name, err)
		}
		data, err := readEntry(zf, lim.MaxFileSize)
		if err != nil {
			if errors.Is(err, ErrLimit) {
				return fmt.Errorf("zip archive %s: entry %s: %w", name, zf.Name, err)
			}
			if ferr := fn(File{Name: entry, Err: err}); ferr != nil {
				return ferr
			}
			continue
		}
		total += int64(len(data))
		if total > lim.MaxTotal {
			return fmt.Errorf("zip archive %s: %w: more than %d bytes uncompressed", name, ErrLimit, lim.MaxTotal)
		}
		if err := fn(File{Name: entry, Data: data}); err != nil {
			return err
		}
	}
	return nil
}

// hiddenEntry reports whether a zip entry is in or is a hidden file or
// folder (".name"), or macOS metadata ("__MACOSX/"), which Walk skips as it
// skips hidden files in folders.
func hiddenEntry(name string) bool {
	for _, part := range strings.Split(name, "/") {
		if strings.HasPrefix(part, ".") || part == "__MACOSX" {
			return true
		}
	}
	return false
}

// checkEntry rejects entries whose header already betrays a zip bomb.
func checkEntry(zf *zip.File, lim Limits) error {
	if zf.UncompressedSize64 > uint64(lim.MaxFileSize) {
		return fmt.Errorf("%w: declares %d bytes, at most %d allowed", ErrLimit, zf.UncompressedSize64, lim.MaxFileSize)
	}
	if zf.UncompressedSize64 > 1<<20 && zf.CompressedSize64 > 0 &&
		zf.UncompressedSize64/zf.CompressedSize64 > uint64(lim.MaxRatio) {
		return fmt.Errorf("%w: compression ratio above %d", ErrLimit, lim.MaxRatio)
	}
	return nil
}

// readEntry reads an entry fully (so the CRC is checked), never more than
// max bytes whatever the header claims.
func readEntry(zf *zip.File, max int64) ([]byte, error) {
	rc, err := zf.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return readLimited(rc, max)
}

// VerifyZip opens the archive at p and reads every entry within the limits,
// so that truncation, CRC mismatches and zip bombs are found before the
// archive is trusted. It returns the number of record files it holds.
func VerifyZip(ctx context.Context, p string, lim Limits) (int, error) {
	n := 0
	err := walkZip(ctx, p, lim, func(f File) error {
		if f.Err != nil {
			return fmt.Errorf("zip archive %s: %w", f.Name, f.Err)
		}
		n++
		return nil
	})
	return n, err
}
