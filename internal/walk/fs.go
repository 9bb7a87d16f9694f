package walk

import (
	"context"
	"fmt"
	"io"
	"io/fs"

	"github.com/trawlsec/trawl/internal/analyze"
)

// FS walks a file system (a directory through os.Root, a git tree, a
// mounted node filesystem, a test fstest.MapFS) as one pseudo-layer, with
// the rules of Dir: symlinks and special files are never opened, skip
// globs and size caps apply, and there are no whiteouts. Files is not
// recorded: a single layer has nothing that could delete or replace its
// files (see apply). Unreadable files and directories are recorded in
// LayerResult.Errors and the walk goes on; the returned error is non-nil
// only when ctx ends.
//
// Files over MaxFileSize go to random-access analyzers through the opened
// file when it is an io.ReaderAt (an *os.File is), read in place; other
// files are spilled to Options.TempDir first.
func (w *Walker) FS(ctx context.Context, fsys fs.FS) (*analyze.LayerResult, error) {
	res := &analyze.LayerResult{}
	c := w.newCollector(ctx, res)
	walkErr := fs.WalkDir(fsys, ".", func(rel string, d fs.DirEntry, err error) error {
		if cerr := c.ctx.Err(); cerr != nil {
			return cerr
		}
		if err != nil {
			c.note(&res.Errors, analyze.FileNote{Path: rel, Reason: err.Error()})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if rel == "." {
			return nil
		}
		if d.IsDir() {
			if w.skipped(rel + "/x") {
				return fs.SkipDir
			}
			w.fsEntry(c, rel, d)
			return nil
		}
		// Symlinks, devices, fifos and sockets are never opened.
		if w.skipped(rel) {
			return nil
		}
		if !d.Type().IsRegular() {
			w.fsEntry(c, rel, d)
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			c.note(&res.Errors, analyze.FileNote{Path: rel, Reason: err.Error()})
			return nil
		}
		return w.readFile(c, func() (fs.File, error) { return fsys.Open(rel) }, rel, fi)
	})
	if werr := c.wait(w); werr != nil && walkErr == nil {
		walkErr = werr
	}
	if walkErr != nil {
		return nil, walkErr
	}
	return res, nil
}

// fsEntry hands a directory, device or FIFO of a file system to the
// entry analyzers; its info is read (an lstat) only when there are any.
func (w *Walker) fsEntry(c *collector, rel string, d fs.DirEntry) {
	if len(w.entries) == 0 || !analyze.IsEntryMode(d.Type()) {
		return
	}
	fi, err := d.Info()
	if err != nil {
		c.note(&c.res.Errors, analyze.FileNote{Path: rel, Reason: err.Error()})
		return
	}
	w.entry(c, rel, fi)
}

// readFile hands one file of a directory or file system to the analyzers
// that want it; open opens it. A file that cannot be opened or read is
// recorded in LayerResult.Errors; the error returned is ctx's, when it
// ends while waiting for the memory budget.
func (w *Walker) readFile(c *collector, open func() (fs.File, error), rel string, fi fs.FileInfo) error {
	analyzers := w.wanted(rel, fi)
	posts := w.wantedPost(rel, fi)
	companion := w.isCompanion(rel, fi.Size())
	p := c.plan(w, rel, fi.Size(), analyzers, posts, companion)
	if p.none() {
		return nil
	}
	f, err := open()
	if err != nil {
		c.note(&c.res.Errors, analyze.FileNote{Path: rel, Reason: err.Error()})
		return nil
	}
	if len(p.random) > 0 {
		return w.readRandom(c, f, rel, fi, p)
	}
	defer f.Close()
	// Reserve what will be read: at most the cap and one byte, even if
	// the file grew since it was listed.
	held, err := w.budget.acquire(c.ctx, min(fi.Size(), w.opts.MaxFileSize+1))
	if err != nil {
		return err
	}
	release := func() { w.budget.release(held) }
	content, err := io.ReadAll(io.LimitReader(f, w.opts.MaxFileSize+1))
	if err != nil {
		release()
		c.note(&c.res.Errors, analyze.FileNote{Path: rel, Reason: err.Error()})
		return nil
	}
	if int64(len(content)) > w.opts.MaxFileSize {
		release()
		c.note(&c.res.Skipped, analyze.FileNote{Path: rel, Reason: "file grew past the size limit while being read"})
		return nil
	}
	if p.companion && int64(len(content)) <= maxCompanionSize {
		c.keepCompanion(rel, content)
	}
	if int64(len(content)) <= fi.Size() {
		c.keepPost(rel, fi, content, p.posts)
	}
	if len(p.memory) == 0 {
		release()
		return nil
	}
	c.submit(analyze.Input{Path: rel, Info: fi, Content: content, Size: int64(len(content))}, p.memory, release)
	return nil
}

// readRandom hands an open file over MaxFileSize to the random-access
// analyzers of p, in place when f is an io.ReaderAt and through a temp file
// otherwise. It closes f.
func (w *Walker) readRandom(c *collector, f fs.File, rel string, fi fs.FileInfo, p plan) error {
	size := fi.Size()
	if ra, ok := f.(io.ReaderAt); ok {
		return w.submitRandom(c, rel, fi, ra, size, p, func() { f.Close() })
	}
	defer f.Close()
	tmp, readErr, err := w.spill(f, size)
	if err == nil && readErr != nil {
		err = fmt.Errorf("reading %s: %w", rel, readErr)
	}
	if err != nil {
		c.note(&c.res.Errors, analyze.FileNote{Path: rel, Reason: err.Error()})
		return nil
	}
	return w.submitRandom(c, rel, fi, tmp, size, p, tmp.remove)
}
