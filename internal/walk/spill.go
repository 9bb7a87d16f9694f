package walk

import (
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/trawlsec/trawl/internal/analyze"
)

// spillFile is a temp file that holds one file of a layer stream for
// random-access analyzers.
type spillFile struct {
	*os.File
	// unlinked: the name was removed at creation (POSIX), so a crash
	// leaves nothing behind.
	unlinked bool
}

// spill copies size bytes of r to a new temp file in Options.TempDir. A
// failure to read r is returned as readErr, a failure to create or write
// the temp file as err; either way nothing is left in TempDir.
func (w *Walker) spill(r io.Reader, size int64) (f *spillFile, readErr, err error) {
	tmp, err := os.CreateTemp(w.opts.TempDir, "trawl-spill-*")
	if err != nil {
		return nil, nil, fmt.Errorf("creating a temp file: %w", err)
	}
	f = &spillFile{File: tmp, unlinked: os.Remove(tmp.Name()) == nil}
	ew := &errWriter{w: tmp}
	if _, cerr := io.CopyN(ew, r, size); cerr != nil {
		f.remove()
		if ew.err != nil {
			return nil, nil, fmt.Errorf("writing temp file %s: %w", tmp.Name(), ew.err)
		}
		return nil, cerr, nil
	}
	return f, nil, nil
}

// remove closes the temp file and removes it, if it is still there.
func (f *spillFile) remove() {
	f.Close()
	if !f.unlinked {
		os.Remove(f.Name())
	}
}

// errWriter remembers the error of its writer, to tell write failures
// from read failures in io.Copy.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	n, err := e.w.Write(p)
	if err != nil {
		e.err = err
	}
	return n, err
}

// submitRandom hands size bytes of ra (a file over MaxFileSize) to the
// random-access analyzers of p; done releases ra once they are finished.
func (w *Walker) submitRandom(c *collector, rel string, info fs.FileInfo, ra io.ReaderAt, size int64, p plan, done func()) error {
	if p.companion {
		// Only when MaxFileSize is set below the companion cap: the
		// file is small.
		if content, err := io.ReadAll(io.NewSectionReader(ra, 0, size)); err == nil {
			c.keepCompanion(rel, content)
		}
	}
	c.submit(analyze.Input{Path: rel, Info: info, ReaderAt: io.NewSectionReader(ra, 0, size), Size: size}, p.random, done)
	return nil
}
