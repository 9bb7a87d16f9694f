package diff

import (
	"archive/tar"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"regexp"
	"strings"

	"github.com/trawlsec/trawl/internal/app"
	"github.com/trawlsec/trawl/internal/source/image"
)

// Kinds of side.
const (
	// KindImage is an image archive (docker save, OCI archive) or an OCI
	// layout directory.
	KindImage = "image"
	// KindExport is a container's root filesystem as one tar (docker export).
	KindExport = "export"
	// KindRootfs is a root filesystem in a directory.
	KindRootfs = "rootfs"
	// KindRegistry is an image reference.
	KindRegistry = "registry"
)

// Side is one of the two things compared.
type Side struct {
	// Arg is what the user named: a path or an image reference.
	Arg  string
	Kind string
}

// imageArchiveName matches the top-level directory names of a docker-save
// or OCI archive: a directory of another name is a filesystem tree.
var imageArchiveName = regexp.MustCompile(`^(blobs|manifest\.json|index\.json|oci-layout|repositories|(sha256:)?[0-9a-f]{64}(\.[a-z.]+)?)$`)

// Classify says what arg is: a directory with an oci-layout file or an
// index.json is an OCI layout, another directory a root filesystem; a file
// whose tar has manifest.json, index.json or oci-layout at its top an image
// archive, another tar a container export; anything that does not exist
// an image reference.
func Classify(arg string) (Side, error) {
	fi, err := os.Stat(arg)
	if errors.Is(err, fs.ErrNotExist) {
		if strings.ContainsAny(arg, `/\`) && (strings.HasPrefix(arg, ".") || strings.HasPrefix(arg, "/")) {
			return Side{}, fmt.Errorf("%s: %w", arg, err) // a path, not a reference
		}
		return Side{Arg: arg, Kind: KindRegistry}, nil
	}
	if err != nil {
		return Side{}, err
	}
	if fi.IsDir() {
		for _, marker := range []string{"oci-layout", "index.json"} {
			if _, err := os.Stat(path.Join(arg, marker)); err == nil {
				return Side{Arg: arg, Kind: KindImage}, nil
			}
		}
		return Side{Arg: arg, Kind: KindRootfs}, nil
	}
	if !fi.Mode().IsRegular() {
		return Side{}, fmt.Errorf("%s: not a regular file or directory", arg)
	}
	rc, err := app.OpenExport(arg)
	if err != nil {
		return Side{}, err
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			// Only image-archive names and no manifest: an empty or
			// unusual export.
			return Side{Arg: arg, Kind: KindExport}, nil
		}
		if err != nil {
			return Side{}, fmt.Errorf("%s: not a tar archive or image: %w", arg, err)
		}
		name := strings.TrimPrefix(path.Clean(strings.TrimLeft(hdr.Name, "/")), "./")
		top, _, _ := strings.Cut(name, "/")
		switch {
		case name == "manifest.json" || name == "index.json" || name == "oci-layout":
			return Side{Arg: arg, Kind: KindImage}, nil
		case name == "." || imageArchiveName.MatchString(top):
			continue
		case top != name || hdr.Typeflag == tar.TypeDir:
			// A directory tree other than an archive's: a filesystem.
			return Side{Arg: arg, Kind: KindExport}, nil
		}
		// A file at the top (layer0.tar, config.json): an archive may
		// name its files so; its manifest may still come.

	}
}

// Note is an entry that was passed over or could not be read.
type Note struct {
	Side   string // "old" or "new"
	Path   string
	Reason string
}

// indexer builds one side's index.
type indexer struct {
	side  string
	s     *sorter
	notes *[]Note
}

func (x *indexer) note(p, reason string) {
	*x.notes = append(*x.notes, Note{Side: x.side, Path: p, Reason: reason})
}

// cleanName turns an entry name into a root-relative path; false for a
// name that leaves the root ("../x") or is empty.
func cleanName(name string) (string, bool) {
	if strings.ContainsRune(name, 0) {
		return "", false
	}
	p := path.Clean(strings.TrimLeft(strings.ReplaceAll(name, "\\", "/"), "/"))
	if p == "." || p == ".." || strings.HasPrefix(p, "../") {
		return "", false
	}
	return p, true
}

// countingReader counts the bytes read, for the offset of a damaged tar.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// tarOpts says how a tar stream is read.
type tarOpts struct {
	layer     int
	whiteouts bool   // an image layer: .wh. entries delete
	what      string // names the stream in errors
}

// indexTar reads one tar stream to its end, hashing regular files as they
// stream past. A damaged stream is an error naming the offset.
func (x *indexer) indexTar(ctx context.Context, r io.Reader, o tarOpts) error {
	cr := &countingReader{r: r}
	tr := tar.NewReader(cr)
	buf := make([]byte, 256<<10)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return tarErr(o.what, cr.n, err)
		}
		p, ok := cleanName(hdr.Name)
		if !ok {
			if strings.Trim(hdr.Name, "./") != "" {
				x.note(hdr.Name, "entry name leaves the root: not followed")
			}
			continue
		}
		if o.whiteouts {
			dir, base := path.Split(p)
			switch {
			case base == ".wh..wh..opq":
				if err := x.s.add(rec{Layer: o.layer, Op: opOpaque, E: Entry{Path: path.Clean("/" + dir)[1:]}}); err != nil {
					return err
				}
				continue
			case strings.HasPrefix(base, ".wh."):
				if err := x.s.add(rec{Layer: o.layer, Op: opWhiteout, E: Entry{Path: dir + strings.TrimPrefix(base, ".wh.")}}); err != nil {
					return err
				}
				continue
			}
		}
		e := Entry{Path: p, Mode: hdr.Mode & 0o7777, UID: hdr.Uid, GID: hdr.Gid}
		switch hdr.Typeflag {
		case tar.TypeReg, tar.TypeGNUSparse: // the reader reports old-style TypeRegA entries as TypeReg
			e.Type = TypeFile
			h := sha256.New()
			n, err := io.CopyBuffer(h, tr, buf)
			if err != nil {
				return tarErr(o.what, cr.n, err)
			}
			e.Size, e.SHA256 = n, hex.EncodeToString(h.Sum(nil))
		case tar.TypeDir:
			e.Type = TypeDir
		case tar.TypeSymlink:
			e.Type, e.Link = TypeSymlink, hdr.Linkname
		case tar.TypeLink:
			e.Type = TypeHardlink
			if l, ok := cleanName(hdr.Linkname); ok {
				e.Link = l
			} else {
				e.Error = "hard link target leaves the root: not followed"
				x.note(p, e.Error)
			}
		case tar.TypeChar:
			e.Type, e.Link = TypeChar, fmt.Sprintf("%d:%d", hdr.Devmajor, hdr.Devminor)
		case tar.TypeBlock:
			e.Type, e.Link = TypeBlock, fmt.Sprintf("%d:%d", hdr.Devmajor, hdr.Devminor)
		case tar.TypeFifo:
			e.Type = TypeFIFO
		default:
			e.Type = TypeOther
			e.Error = fmt.Sprintf("tar entry type %q", hdr.Typeflag)
		}
		if err := x.s.add(rec{Layer: o.layer, Op: opEntry, E: e}); err != nil {
			return err
		}
	}
}

func tarErr(what string, off int64, err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%s: truncated tar at offset %d: %w", what, off, err)
	}
	return fmt.Errorf("%s: damaged tar at offset %d: %w", what, off, err)
}

// indexImage indexes every layer of an image, in order.
func (x *indexer) indexImage(ctx context.Context, img *image.Image) error {
	for i, l := range img.Layers() {
		rc, err := l.Open()
		if err != nil {
			return fmt.Errorf("layer %s: %w", l.DiffID, err)
		}
		err = x.indexTar(ctx, rc, tarOpts{layer: i + 1, whiteouts: true, what: "layer " + l.DiffID})
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// indexExport indexes a root-filesystem tar.
func (x *indexer) indexExport(ctx context.Context, p string) error {
	rc, err := app.OpenExport(p)
	if err != nil {
		return err
	}
	defer rc.Close()
	return x.indexTar(ctx, rc, tarOpts{layer: 1, what: p})
}

// indexDir indexes a directory tree without following symbolic links;
// files are opened through an os.Root, so nothing outside it is read.
func (x *indexer) indexDir(ctx context.Context, dir string) error {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	buf := make([]byte, 256<<10)
	return fs.WalkDir(root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if p == "." {
			return err
		}
		if err != nil {
			x.note(p, err.Error())
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			x.note(p, err.Error())
			return nil
		}
		e := Entry{Path: p, Mode: int64(unixMode(fi.Mode()))}
		e.UID, e.GID = owner(fi)
		switch m := fi.Mode(); {
		case m.IsRegular():
			e.Type = TypeFile
			e.Size = fi.Size()
			if sum, n, err := hashFile(root, p, buf); err != nil {
				e.Error = err.Error()
				x.note(p, e.Error)
			} else {
				e.SHA256, e.Size = sum, n
			}
		case m.IsDir():
			e.Type = TypeDir
		case m&fs.ModeSymlink != 0:
			e.Type = TypeSymlink
			if e.Link, err = root.Readlink(p); err != nil {
				e.Error = err.Error()
				x.note(p, e.Error)
			}
		case m&fs.ModeCharDevice != 0:
			e.Type = TypeChar
		case m&fs.ModeDevice != 0:
			e.Type = TypeBlock
		case m&fs.ModeNamedPipe != 0:
			e.Type = TypeFIFO
		default:
			e.Type = TypeOther
		}
		return x.s.add(rec{Layer: 1, Op: opEntry, E: e})
	})
}

func hashFile(root *os.Root, p string, buf []byte) (string, int64, error) {
	f, err := root.Open(p)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.CopyBuffer(h, f, buf)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// unixMode turns Go's file mode into the permission and special bits.
func unixMode(m fs.FileMode) uint32 {
	out := uint32(m.Perm())
	if m&fs.ModeSetuid != 0 {
		out |= 0o4000
	}
	if m&fs.ModeSetgid != 0 {
		out |= 0o2000
	}
	if m&fs.ModeSticky != 0 {
		out |= 0o1000
	}
	return out
}
