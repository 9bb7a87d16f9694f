// Package boltsafe opens bbolt files defensively. bbolt memory-maps the
// file and trusts what it finds there: a truncated file or damaged pages
// make it fault (SIGSEGV, SIGBUS) or fail an internal assertion, which
// kills the process. Every bbolt file trawl opens (the vulnerability DB,
// the scan cache) goes through Open, and every transaction through Guard,
// so that damage becomes an error wrapping ErrDamaged instead.
//
// Check validates what bbolt reads before it maps the file: the size, both
// meta pages (parsed by hand from bbolt's on-disk layout) and the pages
// the chosen meta points to. Guard turns whatever Check cannot see (damage
// in the middle of the file) into errors when it is read.
package boltsafe

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"runtime/debug"
	"syscall"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// ErrDamaged is wrapped by every error for a file whose content is not a
// sound bbolt database (truncated, overwritten, not a bbolt file). Errors
// of the operating system (permission denied, no space left, a path that
// is not a regular file) and lock timeouts do not wrap it: they say
// nothing about the file's content.
var ErrDamaged = errors.New("damaged bbolt file")

// DamagedError describes a damaged file. It wraps ErrDamaged.
type DamagedError struct {
	// Path is the file, when known (Guard does not know it).
	Path string
	// Why says what is wrong, in a few words.
	Why string
}

func (e *DamagedError) Error() string {
	if e.Path == "" {
		return "damaged bbolt file: " + e.Why
	}
	return fmt.Sprintf("the bbolt file at %s is damaged: %s", e.Path, e.Why)
}

// Is reports whether target is ErrDamaged.
func (e *DamagedError) Is(target error) bool { return target == ErrDamaged }

// Why returns what is wrong with a damaged file (the Why of the
// DamagedError in err's chain), or err's text when there is none.
func Why(err error) string {
	var d *DamagedError
	if errors.As(err, &d) {
		return d.Why
	}
	return err.Error()
}

func damaged(path, format string, args ...any) error {
	return &DamagedError{Path: path, Why: fmt.Sprintf(format, args...)}
}

// On-disk layout of bbolt (go.etcd.io/bbolt/internal/common): a page
// starts with a 16-byte header {id u64, flags u16, count u16, overflow
// u32}; a meta page's body is {magic u32, version u32, pageSize u32,
// flags u32, root {root pgid u64, sequence u64}, freelist pgid u64, pgid
// (high-water mark) u64, txid u64, checksum u64}, the checksum being
// FNV-1a 64 of the meta bytes before it. Integers are in the machine's
// byte order (little-endian on every platform trawl ships for).
const (
	pageHeaderSize = 16
	metaSize       = 64
	metaSumOffset  = 56
	magic          = 0xED0CDAED
	version        = 2
	noFreelist     = ^uint64(0)

	branchPageFlag   = 0x01
	leafPageFlag     = 0x02
	freelistPageFlag = 0x10

	minPageSize = 1024
	maxPageSize = 1 << 24 // bbolt looks for the second meta page up to 16 MiB
)

type meta struct {
	pageSize uint32
	root     uint64
	freelist uint64
	pgid     uint64
	txid     uint64
}

// parseMeta decodes and validates the meta page whose first byte is
// b[0]; b holds at least pageHeaderSize+metaSize bytes.
func parseMeta(b []byte) (meta, error) {
	body := b[pageHeaderSize : pageHeaderSize+metaSize]
	le := binary.LittleEndian
	if le.Uint32(body[0:]) != magic {
		return meta{}, errors.New("no bbolt magic number")
	}
	if v := le.Uint32(body[4:]); v != version {
		return meta{}, fmt.Errorf("format version %d, not %d", v, version)
	}
	h := fnv.New64a()
	h.Write(body[:metaSumOffset])
	if le.Uint64(body[metaSumOffset:]) != h.Sum64() {
		return meta{}, errors.New("checksum mismatch")
	}
	return meta{
		pageSize: le.Uint32(body[8:]),
		root:     le.Uint64(body[16:]),
		freelist: le.Uint64(body[32:]),
		pgid:     le.Uint64(body[40:]),
		txid:     le.Uint64(body[48:]),
	}, nil
}

// readMeta reads and validates the meta page at off.
func readMeta(f io.ReaderAt, off int64) (meta, error) {
	var b [pageHeaderSize + metaSize]byte
	if _, err := f.ReadAt(b[:], off); err != nil {
		if errors.Is(err, io.EOF) {
			return meta{}, errors.New("beyond the end of the file")
		}
		return meta{}, err
	}
	return parseMeta(b[:])
}

// errNotRegular is returned (with the path) for directories, FIFOs,
// devices and sockets. It does not wrap ErrDamaged: such a path is not a
// damaged file and must not be removed.
func errNotRegular(path string, m fs.FileMode) error {
	return fmt.Errorf("%s: not a regular file (%s)", path, m.Type())
}

// Check validates the bbolt file at path without mapping it: it must be a
// regular file of at least two pages with a valid meta page; for the meta
// bbolt would use (the valid one with the highest transaction id) the
// high-water mark must lie within the file, and the root and freelist
// pages below it and of the right kind. A damaged file gives an error
// wrapping ErrDamaged; a path that cannot be read, or is not a regular
// file, gives the operating system's error (which does not).
//
// FIFOs and devices are never opened for reading (they could block).
func Check(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return errNotRegular(path, fi.Mode())
	}
	// O_NONBLOCK: should the path have become a FIFO since the Stat, the
	// open does not wait for a writer; the Stat below then refuses it.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return errNotRegular(path, fi.Mode())
	}
	return check(path, f, fi.Size())
}

func check(path string, f io.ReaderAt, size int64) error {
	if size < 2*minPageSize {
		return damaged(path, "the file is %d bytes, too small for a database (truncated?)", size)
	}
	// Like bbolt: the page size comes from meta page 0 when it is valid,
	// otherwise from meta page 1, found by trying every page size.
	m0, err0 := readMeta(f, 0)
	var pageSize int64
	if err0 == nil {
		pageSize = int64(m0.pageSize)
	} else {
		for ps := int64(minPageSize); ps <= maxPageSize && ps < size-minPageSize; ps <<= 1 {
			if m, err := readMeta(f, ps); err == nil {
				pageSize = int64(m.pageSize)
				break
			}
		}
	}
	if pageSize == 0 {
		return damaged(path, "no valid meta page (meta page 0: %v)", err0)
	}
	if pageSize < minPageSize || pageSize > maxPageSize || pageSize&(pageSize-1) != 0 {
		return damaged(path, "impossible page size %d", pageSize)
	}
	if size < 2*pageSize {
		return damaged(path, "the file is %d bytes, less than two pages of %d bytes (truncated?)", size, pageSize)
	}
	m1, err1 := readMeta(f, pageSize)
	var m meta
	switch {
	case err0 != nil && err1 != nil:
		return damaged(path, "no valid meta page (meta page 0: %v; meta page 1: %v)", err0, err1)
	case err0 != nil:
		m = m1
	case err1 != nil:
		m = m0
	case m1.txid > m0.txid:
		m = m1
	default:
		m = m0
	}
	if int64(m.pageSize) != pageSize {
		return damaged(path, "the meta pages disagree on the page size (%d, %d)", pageSize, m.pageSize)
	}
	pages := uint64(size / pageSize)
	if m.pgid > pages {
		return damaged(path, "the file is %d bytes but its pages reach %d × %d bytes (truncated?)", size, m.pgid, pageSize)
	}
	if m.root < 2 || m.root >= m.pgid {
		return damaged(path, "root page %d outside pages 2..%d", m.root, m.pgid)
	}
	if m.freelist != noFreelist && (m.freelist < 2 || m.freelist >= m.pgid) {
		return damaged(path, "freelist page %d outside pages 2..%d", m.freelist, m.pgid)
	}
	if err := checkPage(f, m.root, pageSize, branchPageFlag|leafPageFlag); err != nil {
		return damaged(path, "root page %d: %v", m.root, err)
	}
	if m.freelist != noFreelist {
		if err := checkPage(f, m.freelist, pageSize, freelistPageFlag); err != nil {
			return damaged(path, "freelist page %d: %v", m.freelist, err)
		}
	}
	return nil
}

// checkPage reads the header of page id and checks its id and kind.
func checkPage(f io.ReaderAt, id uint64, pageSize int64, kinds uint16) error {
	var h [pageHeaderSize]byte
	if _, err := f.ReadAt(h[:], int64(id)*pageSize); err != nil {
		return err
	}
	if got := binary.LittleEndian.Uint64(h[0:]); got != id {
		return fmt.Errorf("header says page %d", got)
	}
	if flags := binary.LittleEndian.Uint16(h[8:]); flags&kinds == 0 || flags&^kinds != 0 {
		return fmt.Errorf("unexpected page kind %#x", flags)
	}
	return nil
}

// Open opens the bbolt file at path like bolt.Open, after Check (when the
// file exists and is not empty) and inside Guard. A missing or empty file
// is created by bbolt unless options.ReadOnly; read-only, an empty file is
// damaged. bbolt's ErrInvalid, ErrVersionMismatch and ErrChecksum, and any
// fault or panic inside bolt.Open, become errors wrapping ErrDamaged; lock
// timeouts (bolterrors.ErrTimeout) and operating-system errors are
// returned as they are.
func Open(path string, mode os.FileMode, options *bolt.Options) (*bolt.DB, error) {
	var o bolt.Options
	if options != nil {
		o = *options
	} else {
		o = *bolt.DefaultOptions
	}
	fi, err := os.Stat(path)
	switch {
	case err == nil && !fi.Mode().IsRegular():
		return nil, errNotRegular(path, fi.Mode())
	case err == nil && fi.Size() > 0:
		if err := Check(path); err != nil {
			return nil, err
		}
	case err == nil && o.ReadOnly:
		return nil, damaged(path, "the file is empty")
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return nil, err
	}

	// Keep the file bbolt opens, to close it (and drop its lock) should
	// bolt.Open panic half-way.
	var file *os.File
	openFile := o.OpenFile
	if openFile == nil {
		openFile = os.OpenFile
	}
	o.OpenFile = func(name string, flag int, perm os.FileMode) (*os.File, error) {
		f, err := openFile(name, flag, perm)
		file = f
		return f, err
	}
	var db *bolt.DB
	gerr := Guard(func() error {
		var err error
		db, err = bolt.Open(path, mode, &o)
		return err
	})
	switch {
	case gerr == nil:
		return db, nil
	case errors.Is(gerr, ErrDamaged):
		if file != nil {
			file.Close()
		}
		return nil, &DamagedError{Path: path, Why: Why(gerr)}
	case errors.Is(gerr, bolterrors.ErrInvalid):
		return nil, damaged(path, "not a bbolt database")
	case errors.Is(gerr, bolterrors.ErrVersionMismatch):
		return nil, damaged(path, "bbolt format version mismatch")
	case errors.Is(gerr, bolterrors.ErrChecksum):
		return nil, damaged(path, "meta page checksum mismatch")
	}
	return nil, gerr
}

// Guard runs fn, turning a memory fault (debug.SetPanicOnFault) or a panic
// inside it into an error wrapping ErrDamaged. Wrap every bbolt
// transaction (View, Update) in it: bbolt reads the mapped file directly,
// and a page damaged after Check makes it fault or fail an assertion.
func Guard(fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = &DamagedError{Why: fmt.Sprintf("reading it failed: %v", r)}
		}
	}()
	return fn()
}
