package walk

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"

	"github.com/trawlsec/trawl/internal/analyze"
)

const (
	whiteoutPrefix = ".wh."
	opaqueMarker   = ".wh..wh..opq"
)

// Tar walks one uncompressed layer tar stream, reading it exactly once and
// to its very end (past the tar's end blocks), so that a source that
// verifies digests at EOF has verified the whole layer when Tar returns
// without error.
// Whiteout entries are recorded, not applied: applying them is the job of
// internal/apply, which sees every layer. The returned error is non-nil
// only when the stream itself is unreadable (truncated, not a tar, over the
// size limit) or ctx ends; a file an analyzer fails on is recorded in
// LayerResult.Errors instead.
func (w *Walker) Tar(ctx context.Context, r io.Reader) (*analyze.LayerResult, error) {
	res := &analyze.LayerResult{}
	c := w.newCollector(ctx, res)
	lr := &limitedReader{r: r, n: w.opts.MaxLayerSize}
	tr := tar.NewReader(lr)
	var walkErr error
	entries := 0
	for {
		if err := c.ctx.Err(); err != nil {
			walkErr = err
			break
		}
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			// The tar ends at its end blocks, but the stream may go on
			// (record padding, or anything an attacker appends): read it
			// to its end, so that the source verifies the layer's digest
			// over every byte before anything is trusted or cached.
			if _, err := io.Copy(io.Discard, lr); err != nil {
				walkErr = drainError(lr, err)
			}
			break
		}
		if err != nil {
			walkErr = tarError(lr, err)
			break
		}
		if entries++; entries > w.opts.MaxEntries {
			walkErr = fmt.Errorf("%w: more than %d entries", ErrLayerTooManyEntries, w.opts.MaxEntries)
			break
		}
		if err := w.tarEntry(c, tr, hdr); err != nil {
			walkErr = tarError(lr, err)
			break
		}
	}
	if err := c.wait(w); err != nil && walkErr == nil {
		walkErr = err
	}
	if walkErr != nil {
		return nil, walkErr
	}
	return res, nil
}

// drainError reports a failure while reading past the tar's end blocks:
// the source's own error (a digest mismatch names both digests) as is.
func drainError(lr *limitedReader, err error) error {
	if lr.exceeded {
		return ErrLayerTooLarge
	}
	return fmt.Errorf("reading layer to its end: %w", err)
}

func tarError(lr *limitedReader, err error) error {
	if lr.exceeded {
		return ErrLayerTooLarge
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("truncated layer: %w", err)
	}
	return fmt.Errorf("reading layer tar: %w", err)
}

func (w *Walker) tarEntry(c *collector, tr *tar.Reader, hdr *tar.Header) error {
	rel, ok := cleanPath(hdr.Name)
	if !ok {
		if strings.Trim(hdr.Name, "./") != "" {
			c.note(&c.res.Skipped, analyze.FileNote{Path: hdr.Name, Reason: "entry name leaves the layer root"})
			w.opts.Logger.Debug("skipping insecure tar entry", "name", hdr.Name)
		}
		return nil
	}
	dir, base := path.Split(rel)
	dir = strings.TrimSuffix(dir, "/")
	if base == opaqueMarker {
		c.res.OpaqueDirs = append(c.res.OpaqueDirs, dir)
		return nil
	}
	if strings.HasPrefix(base, whiteoutPrefix) {
		c.res.Whiteouts = append(c.res.Whiteouts, path.Join(dir, strings.TrimPrefix(base, whiteoutPrefix)))
		return nil
	}
	switch hdr.Typeflag {
	case tar.TypeReg, tar.TypeSymlink, tar.TypeLink:
	case tar.TypeDir, tar.TypeChar, tar.TypeBlock, tar.TypeFifo:
		// No content: only entry analyzers look at them.
		skip := rel
		if hdr.Typeflag == tar.TypeDir {
			skip += "/x" // --skip-dirs names the directory itself
		}
		if hdr.Typeflag != tar.TypeDir {
			// A leaf a later layer may delete or replace, like a file.
			c.res.Files = append(c.res.Files, rel)
		}
		if len(w.entries) > 0 && !w.skipped(skip) {
			w.entry(c, rel, hdr.FileInfo())
		}
		return nil
	default:
		return nil // sockets, GNU sparse or volume headers: nothing to analyse
	}
	c.res.Files = append(c.res.Files, rel)
	if hdr.Typeflag == tar.TypeSymlink || w.skipped(rel) {
		return nil
	}
	info := hdr.FileInfo()
	analyzers := w.wanted(rel, info)
	posts := w.wantedPost(rel, info)
	companion := hdr.Typeflag != tar.TypeLink && w.isCompanion(rel, hdr.Size)
	if len(analyzers) == 0 && !companion && len(posts) == 0 {
		return nil
	}
	if hdr.Typeflag == tar.TypeLink {
		// The content lives under another name earlier in the stream; we
		// do not keep it, so record the miss instead of guessing.
		c.note(&c.res.Skipped, analyze.FileNote{Path: rel, Reason: "hard link to " + hdr.Linkname + " not analysed"})
		return nil
	}
	p := c.plan(w, rel, hdr.Size, analyzers, posts, companion)
	if p.none() {
		return nil
	}
	if len(p.random) > 0 {
		return w.spillEntry(c, tr, rel, info, hdr.Size, p)
	}
	held, err := w.budget.acquire(c.ctx, hdr.Size)
	if err != nil {
		return err
	}
	content := make([]byte, hdr.Size)
	if _, err := io.ReadFull(tr, content); err != nil {
		w.budget.release(held)
		return fmt.Errorf("%s: %w", rel, err)
	}
	if p.companion {
		c.keepCompanion(rel, content)
	}
	c.keepPost(rel, info, content, p.posts)
	release := func() { w.budget.release(held) }
	if len(p.memory) == 0 {
		release()
		return nil
	}
	c.submit(analyze.Input{Path: rel, Info: info, Content: content, Size: hdr.Size}, p.memory, release)
	return nil
}

// spillEntry copies a tar entry too large to hold in memory to a temp file
// and hands it to the random-access analyzers of p. A temp file that cannot
// be written (disk full) is recorded in LayerResult.Errors and the walk
// goes on; a stream that cannot be read ends it.
func (w *Walker) spillEntry(c *collector, tr io.Reader, rel string, info fs.FileInfo, size int64, p plan) error {
	f, readErr, err := w.spill(tr, size)
	if readErr != nil {
		return fmt.Errorf("%s: %w", rel, readErr)
	}
	if err != nil {
		c.note(&c.res.Errors, analyze.FileNote{Path: rel, Reason: "not analysed: " + err.Error()})
		return nil
	}
	return w.submitRandom(c, rel, info, f, size, p, f.remove)
}

// limitedReader fails once more than n bytes were read.
type limitedReader struct {
	r        io.Reader
	n        int64
	exceeded bool
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		// At the limit: only a clean end of stream is acceptable.
		var one [1]byte
		n, err := l.r.Read(one[:])
		if n == 0 && err != nil {
			return 0, err
		}
		l.exceeded = true
		return 0, ErrLayerTooLarge
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}
