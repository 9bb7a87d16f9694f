package walk

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/trawlsec/trawl/internal/analyze"
)

// Dir walks a directory tree as one pseudo-layer. Symlinks are recorded and
// never followed, so nothing outside root is read. Unreadable files and
// directories are recorded in LayerResult.Errors and the walk goes on.
func (w *Walker) Dir(ctx context.Context, root string) (*analyze.LayerResult, error) {
	info, err := os.Stat(root)
	if err != nil {
		return nil, err // an *fs.PathError: it names root
	}
	if !info.IsDir() {
		return w.single(ctx, root, info)
	}
	res := &analyze.LayerResult{}
	c := w.newCollector(ctx, res)
	walkErr := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if cerr := c.ctx.Err(); cerr != nil {
			return cerr
		}
		relOS, rerr := filepath.Rel(root, p)
		if rerr != nil {
			return rerr
		}
		rel := filepath.ToSlash(relOS)
		if err != nil {
			c.note(&res.Errors, analyze.FileNote{Path: rel, Reason: err.Error()})
			if d != nil && d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if rel == "." {
			return nil
		}
		if d.IsDir() {
			if w.skipped(rel + "/x") {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() && d.Type()&fs.ModeSymlink == 0 {
			return nil
		}
		// Files is not recorded for a directory: it is a single layer, so
		// nothing can delete or replace its files (see apply).
		if d.Type()&fs.ModeSymlink != 0 || w.skipped(rel) {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			c.note(&res.Errors, analyze.FileNote{Path: rel, Reason: err.Error()})
			return nil
		}
		w.readFile(c, p, rel, fi)
		return nil
	})
	if werr := c.wait(w); werr != nil && walkErr == nil {
		walkErr = werr
	}
	if walkErr != nil {
		return nil, fmt.Errorf("walking %s: %w", root, walkErr)
	}
	return res, nil
}

// single analyses one file given as the scan target.
func (w *Walker) single(ctx context.Context, p string, info fs.FileInfo) (*analyze.LayerResult, error) {
	res := &analyze.LayerResult{Files: []string{info.Name()}}
	c := w.newCollector(ctx, res)
	w.readFile(c, p, info.Name(), info)
	if err := c.wait(w); err != nil {
		return nil, err
	}
	return res, nil
}

func (w *Walker) readFile(c *collector, osPath, rel string, fi fs.FileInfo) {
	analyzers := w.wanted(rel, fi)
	posts := w.wantedPost(rel, fi)
	companion := w.isCompanion(rel, fi.Size())
	posts = c.admitPost(w, rel, fi.Size(), posts, len(analyzers) == 0)
	if len(analyzers) > 0 && !c.admit(rel, fi.Size(), analyzers) {
		analyzers = nil
	}
	if len(analyzers) == 0 && !companion && len(posts) == 0 {
		return
	}
	f, err := os.Open(osPath)
	if err != nil {
		c.note(&c.res.Errors, analyze.FileNote{Path: rel, Reason: err.Error()})
		return
	}
	defer f.Close()
	// Read at most the cap even if the file grew since Stat.
	content, err := io.ReadAll(io.LimitReader(f, w.opts.MaxFileSize+1))
	if err != nil {
		c.note(&c.res.Errors, analyze.FileNote{Path: rel, Reason: err.Error()})
		return
	}
	if int64(len(content)) > w.opts.MaxFileSize {
		c.note(&c.res.Skipped, analyze.FileNote{Path: rel, Reason: "file grew past the size limit while being read"})
		return
	}
	if companion && int64(len(content)) <= maxCompanionSize {
		c.keepCompanion(rel, content)
	}
	if int64(len(content)) <= fi.Size() {
		c.keepPost(rel, fi, content, posts)
	}
	if len(analyzers) > 0 {
		c.submit(analyze.Input{Path: rel, Info: fi, Content: content}, analyzers)
	}
}
