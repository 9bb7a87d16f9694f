// Package fsutil reads the files a user names (config, ignore, VEX, secret
// config, template) within a size limit, and marks and recognises trawl's
// cache directories.
package fsutil

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// ErrNotRegular is the reason given for a path that is a device, a FIFO, a
// socket or a directory.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is wrapped by the error for a file over its limit.
var ErrTooLarge = errors.New("file too large")

// Error is a refusal of ReadFileLimited: "PATH: reason". Errors from the
// operating system (a missing file, no permission) are returned as they
// are (*fs.PathError), so errors.Is(err, fs.ErrNotExist) keeps working.
type Error struct {
	Path string
	Err  error
}

func (e *Error) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

type sizeError struct {
	size, limit int64
	what        string
}

func (e *sizeError) Error() string {
	return fmt.Sprintf("%d bytes, larger than the %d-byte limit for %s", e.size, e.limit, e.what)
}
func (e *sizeError) Unwrap() error { return ErrTooLarge }

// ReadFileLimited reads the regular file at path (a symlink to one is
// followed), refusing anything else and any file larger than limit bytes;
// what names the kind of file in that error ("config files"). It never
// blocks on a FIFO swapped in after the check: the file is opened
// non-blocking and checked again through the open descriptor, and at most
// limit+1 bytes are read.
func ReadFileLimited(path string, limit int64, what string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := check(path, fi, limit, what); err != nil {
		return nil, err
	}
	f, err := openNonBlocking(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := check(path, fi, limit, what); err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(b)) > limit { // it grew since the stat
		return nil, &Error{Path: path, Err: &sizeError{size: int64(len(b)), limit: limit, what: what}}
	}
	return b, nil
}

func check(path string, fi os.FileInfo, limit int64, what string) error {
	if !fi.Mode().IsRegular() {
		return &Error{Path: path, Err: ErrNotRegular}
	}
	if fi.Size() > limit {
		return &Error{Path: path, Err: &sizeError{size: fi.Size(), limit: limit, what: what}}
	}
	return nil
}
