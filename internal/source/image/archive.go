package image

import (
	"archive/tar"
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// store is a read-only set of named files: an indexed tar archive or a
// directory. Names are slash-separated and relative to the root.
type store interface {
	// has reports whether name exists as a readable file.
	has(name string) bool
	// open opens the named file and returns its size.
	open(name string) (io.ReadCloser, int64, error)
	// describe names the store in messages (the input path).
	describe() string
	close() error
}

// cleanName turns a name found in an archive or manifest into a canonical
// relative name, or reports that it is unsafe (absolute, escaping with
// "..", empty).
func cleanName(name string) (string, bool) {
	if name == "" || strings.HasPrefix(name, "/") || strings.Contains(name, "\x00") {
		return "", false
	}
	c := path.Clean(name)
	if c == "." || !fs.ValidPath(c) {
		return "", false
	}
	return c, true
}

// maxArchiveEntries bounds the tar index so that a hostile archive of
// millions of empty entries cannot exhaust memory.
const maxArchiveEntries = 1 << 20

// maxLinkHops bounds symlink/hardlink resolution inside an archive index.
const maxLinkHops = 8

type tarEntry struct {
	typeflag byte
	offset   int64 // of the data, in the (uncompressed) archive
	size     int64
	linkname string // cleaned, archive-relative target of a link
}

// tarStore serves the members of an uncompressed tar archive straight from
// the file with io.SectionReader; it never extracts anything.
type tarStore struct {
	path string      // the input, for messages
	ra   io.ReaderAt // the uncompressed tar
	size int64       // of ra
	f    *os.File    // the tar itself, or a temp file holding it decompressed
	tmp  string      // name of the temp file to remove on close, if any
	// requireEnd refuses an archive without its end-of-archive blocks (a
	// stream cut at a member boundary, which a tar reader takes for a
	// clean end); set for daemon exports.
	requireEnd bool
	entries    map[string]tarEntry
}

// openArchive opens a tar archive, decompressing it first when it is gzip
// or zstd compressed as a whole (detected by magic bytes), and indexes it.
func openArchive(ctx context.Context, p string, opts Options) (_ *tarStore, err error) {
	f, err := os.Open(p)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("open image input %s: %w: %w", p, ErrNotFound, err)
		}
		return nil, fmt.Errorf("open image input %s: %w", p, err)
	}
	return openArchiveFile(ctx, f, p, "", opts)
}

// openArchiveFile indexes the open archive f (named where in messages);
// tmp, when set, is f's name: a daemon's export, a temporary file removed
// by close (and on error), which must hold the tar's end-of-archive blocks.
func openArchiveFile(ctx context.Context, f *os.File, where, tmp string, opts Options) (_ *tarStore, err error) {
	st := &tarStore{path: where, f: f, tmp: tmp, requireEnd: tmp != ""}
	defer func() {
		if err != nil {
			st.close()
		}
	}()
	var magic [4]byte
	n, _ := io.ReadFull(f, magic[:])
	switch kind := compressionOf(magic[:n]); kind {
	case "gzip", "zstd":
		if err := st.decompressToTemp(ctx, kind, opts); err != nil {
			return nil, err
		}
	}
	fi, err := st.f.Stat()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", st.path, err)
	}
	st.ra, st.size = st.f, fi.Size()
	if err := st.index(ctx, opts.logger()); err != nil {
		return nil, err
	}
	return st, nil
}

// decompressToTemp decompresses the whole archive once into a temporary file
// (removed by close), so that members can then be served by offset like
// those of a plain tar and layers are not decompressed again on every read.
// The temporary file is named after this process ("trawl-image-<pid>-…")
// so that a later run can remove what a killed run left behind, and its
// size is capped by MaxArchiveSize and by a compression ratio no real
// image reaches (see maxArchiveRatio).
func (st *tarStore) decompressToTemp(ctx context.Context, kind string, opts Options) error {
	if _, err := st.f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("read %s: %w", st.path, err)
	}
	fi, err := st.f.Stat()
	if err != nil {
		return fmt.Errorf("read %s: %w", st.path, err)
	}
	var dec io.Reader
	switch kind {
	case "gzip":
		zr, err := gzip.NewReader(bufio.NewReaderSize(st.f, 1<<20))
		if err != nil {
			return fmt.Errorf("read %s: %w: gzip: %w", st.path, ErrCorrupt, err)
		}
		defer zr.Close()
		dec = zr
	case "zstd":
		zr, err := zstd.NewReader(bufio.NewReaderSize(st.f, 1<<20), zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(maxZstdWindow))
		if err != nil {
			return fmt.Errorf("read %s: %w: zstd: %w", st.path, ErrCorrupt, err)
		}
		defer zr.Close()
		dec = zr
	}
	dir := opts.TempDir
	if dir == "" {
		dir = os.TempDir()
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("decompress %s: temporary directory: %w", st.path, err)
	}
	removeStaleTemps(dir, opts.logger())
	tmp, err := os.CreateTemp(dir, tempPrefix())
	if err != nil {
		return fmt.Errorf("decompress %s: %w", st.path, err)
	}
	orig, origTmp := st.f, st.tmp
	defer func() {
		orig.Close()
		if origTmp != "" {
			os.Remove(origTmp) // a temporary copy that was itself compressed
		}
	}()
	st.f, st.tmp = tmp, tmp.Name()
	limit := opts.maxArchive()
	if byRatio := archiveFloor + maxArchiveRatio*fi.Size(); byRatio < limit {
		limit = byRatio
	}
	src := &readErr{r: io.LimitReader(ctxReader{ctx, dec}, limit+1)}
	n, err := io.Copy(tmp, src)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if src.err == nil {
			// The write failed (a full disk, a quota): not the archive's fault.
			return fmt.Errorf("decompress %s: writing the temporary copy in %s: %w", st.path, dir, err)
		}
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return fmt.Errorf("decompress %s: %w: truncated %s stream: %w", st.path, ErrCorrupt, kind, err)
		}
		return fmt.Errorf("decompress %s: %w: %s: %w", st.path, ErrCorrupt, kind, err)
	}
	if n > limit {
		return fmt.Errorf("decompress %s: %w: more than %d bytes uncompressed from %d (a decompression bomb?)", st.path, ErrTooLarge, limit, fi.Size())
	}
	return nil
}

// Bounds of a whole-archive decompression, on top of MaxArchiveSize: real
// `docker save | gzip` archives inflate 2–5 times (their layers are tars of
// binaries and text), gzip bombs about a thousand times.
const (
	maxArchiveRatio = 100
	maxArchiveFloor = 256 << 20
)

// archiveFloor is maxArchiveFloor; tests lower it.
var archiveFloor int64 = maxArchiveFloor

// tempPrefix names this process's temporary archive copies.
func tempPrefix() string { return fmt.Sprintf("trawl-image-%d-*.tar", os.Getpid()) }

// removeStaleTemps removes the temporary archive copies in dir that a
// process which no longer runs left behind (killed before it could clean
// up), and those of older trawl versions, which had no process id in
// their name, once they are a day old.
func removeStaleTemps(dir string, log *slog.Logger) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		rest, ok := strings.CutPrefix(e.Name(), "trawl-image-")
		if !ok || !strings.HasSuffix(rest, ".tar") || !e.Type().IsRegular() {
			continue
		}
		stale := false
		if pidStr, _, ok := strings.Cut(rest, "-"); ok {
			pid, err := strconv.Atoi(pidStr)
			stale = err == nil && pid > 0 && pid != os.Getpid() && !processAlive(pid)
		} else if fi, err := e.Info(); err == nil {
			stale = time.Since(fi.ModTime()) > 24*time.Hour
		}
		if !stale {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if err := os.Remove(p); err == nil {
			log.Info("removed a temporary image copy left by an interrupted scan", "path", p)
		}
	}
}

// readErr remembers the error of its reader, to tell read failures from
// write failures in io.Copy.
type readErr struct {
	r   io.Reader
	err error
}

func (r *readErr) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && err != io.EOF {
		r.err = err
	}
	return n, err
}

// index records the offset and size of every regular file (and link) in the
// archive. Entries with unsafe names are skipped with a warning; they are
// never used, let alone written anywhere.
func (st *tarStore) index(ctx context.Context, log *slog.Logger) error {
	total := st.size
	sr := &seekReader{r: st.ra, size: total}
	tr := tar.NewReader(sr)
	st.entries = make(map[string]tarEntry)
	var lastEnd int64 // where the data of the last member read ends, padded
	for count := 0; ; count++ {
		if count%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if count >= maxArchiveEntries {
			return fmt.Errorf("read %s: %w: more than %d archive entries", st.path, ErrTooLarge, maxArchiveEntries)
		}
		hdr, err := tr.Next()
		if err == io.EOF {
			if st.requireEnd && total-lastEnd < 512 {
				return fmt.Errorf("read %s: %w: truncated tar archive: it ends after %d bytes without the end-of-archive blocks", st.path, ErrCorrupt, total)
			}
			break
		}
		if err != nil {
			if count == 0 {
				return fmt.Errorf("read %s: %w: not a tar archive: %w", st.path, ErrNotImage, err)
			}
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return fmt.Errorf("read %s: %w: truncated tar archive: %w", st.path, ErrCorrupt, err)
			}
			return fmt.Errorf("read %s: %w: %w", st.path, ErrCorrupt, err)
		}
		if hdr.Size > 0 {
			lastEnd = sr.off + (hdr.Size+511)/512*512
		} else {
			lastEnd = sr.off
		}
		name, ok := cleanName(hdr.Name)
		if !ok {
			log.Warn("skipping archive entry with unsafe name", "archive", st.path, "entry", hdr.Name)
			continue
		}
		e := tarEntry{typeflag: hdr.Typeflag, offset: sr.off, size: hdr.Size}
		switch hdr.Typeflag {
		case tar.TypeReg:
			if isSparse(hdr) {
				log.Warn("skipping sparse archive entry", "archive", st.path, "entry", hdr.Name)
				continue
			}
			if hdr.Size < 0 || e.offset+hdr.Size > total {
				return fmt.Errorf("read %s: %w: truncated tar archive: entry %s claims %d bytes at offset %d of a %d-byte file",
					st.path, ErrCorrupt, name, hdr.Size, e.offset, total)
			}
		case tar.TypeSymlink:
			// Resolved later against this index only (never on disk);
			// a target outside the archive root is refused.
			if strings.HasPrefix(hdr.Linkname, "/") {
				e.linkname = ""
			} else if t, ok := cleanName(path.Join(path.Dir(name), hdr.Linkname)); ok {
				e.linkname = t
			}
			e.size = 0
		case tar.TypeLink:
			if t, ok := cleanName(hdr.Linkname); ok {
				e.linkname = t
			}
			e.size = 0
		default:
			continue // directories, devices, fifos: not needed
		}
		st.entries[name] = e
	}
	return nil
}

func isSparse(hdr *tar.Header) bool {
	if hdr.Typeflag == tar.TypeGNUSparse {
		return true
	}
	for k := range hdr.PAXRecords {
		if strings.HasPrefix(k, "GNU.sparse.") {
			return true
		}
	}
	return false
}

// lookup resolves name to a regular-file entry, following links only within
// the index.
func (st *tarStore) lookup(name string) (tarEntry, error) {
	orig := name
	for hop := 0; hop <= maxLinkHops; hop++ {
		e, ok := st.entries[name]
		if !ok {
			if hop > 0 {
				return tarEntry{}, fmt.Errorf("%w: %s links to %s, which is not in the archive", ErrCorrupt, orig, name)
			}
			return tarEntry{}, fmt.Errorf("%w: %s is not in the archive", ErrCorrupt, orig)
		}
		switch e.typeflag {
		case tar.TypeSymlink, tar.TypeLink:
			if e.linkname == "" {
				return tarEntry{}, fmt.Errorf("%w: %s links outside the archive", ErrUnsafePath, orig)
			}
			name = e.linkname
		default:
			return e, nil
		}
	}
	return tarEntry{}, fmt.Errorf("%w: %s: too many levels of links", ErrCorrupt, orig)
}

func (st *tarStore) has(name string) bool {
	_, err := st.lookup(name)
	return err == nil
}

func (st *tarStore) open(name string) (io.ReadCloser, int64, error) {
	if st.ra == nil {
		return nil, 0, fmt.Errorf("%s: image already closed", name)
	}
	e, err := st.lookup(name)
	if err != nil {
		return nil, 0, err
	}
	return io.NopCloser(io.NewSectionReader(st.ra, e.offset, e.size)), e.size, nil
}

func (st *tarStore) describe() string { return st.path }

func (st *tarStore) close() error {
	var errs []error
	if st.f != nil {
		errs = append(errs, st.f.Close())
		st.f, st.ra = nil, nil
	}
	if st.tmp != "" {
		if err := os.Remove(st.tmp); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
		st.tmp = ""
	}
	return errors.Join(errs...)
}

// seekReader is a sequential reader over an io.ReaderAt that tracks its
// offset and can seek, so that tar.Reader skips member data without reading
// it and the offset of each member's data is known after Next.
type seekReader struct {
	r    io.ReaderAt
	off  int64
	size int64
}

func (s *seekReader) Read(p []byte) (int, error) {
	if s.off >= s.size {
		return 0, io.EOF
	}
	if rem := s.size - s.off; int64(len(p)) > rem {
		p = p[:rem]
	}
	n, err := s.r.ReadAt(p, s.off)
	s.off += int64(n)
	if err == io.EOF && n > 0 {
		err = nil
	}
	return n, err
}

func (s *seekReader) Seek(offset int64, whence int) (int64, error) {
	var abs int64
	switch whence {
	case io.SeekStart:
		abs = offset
	case io.SeekCurrent:
		abs = s.off + offset
	case io.SeekEnd:
		abs = s.size + offset
	default:
		return 0, errors.New("seek: invalid whence")
	}
	if abs < 0 {
		return 0, errors.New("seek: negative position")
	}
	s.off = abs
	return abs, nil
}

// dirStore serves files of a directory through os.Root, which refuses any
// name (or symlink) that would leave the directory.
type dirStore struct {
	path string
	root *os.Root
}

func openDirStore(p string) (*dirStore, error) {
	r, err := os.OpenRoot(p)
	if err != nil {
		return nil, fmt.Errorf("open image layout %s: %w", p, err)
	}
	return &dirStore{path: p, root: r}, nil
}

func (d *dirStore) has(name string) bool {
	fi, err := d.root.Stat(name)
	return err == nil && fi.Mode().IsRegular()
}

func (d *dirStore) open(name string) (io.ReadCloser, int64, error) {
	f, err := d.root.Open(name)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, 0, fmt.Errorf("%w: %s is not in the layout", ErrCorrupt, name)
		}
		return nil, 0, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, 0, fmt.Errorf("%w: %s is not a regular file", ErrCorrupt, name)
	}
	return f, fi.Size(), nil
}

func (d *dirStore) describe() string { return d.path }

func (d *dirStore) close() error { return d.root.Close() }

// ctxReader stops a long copy when ctx is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
