package walk

import (
	"context"
	"fmt"
	"io/fs"
	"os"

	"github.com/trawlsec/trawl/internal/analyze"
)

// Dir walks a directory tree as one pseudo-layer: FS over an os.Root of
// root, so that no file outside root is ever opened, even through a
// symlink swapped in during the walk. Symlinks are recorded and never
// followed; a root that is itself a symlink is not walked into, as
// filepath.WalkDir does. Unreadable files and directories are recorded in
// LayerResult.Errors and the walk goes on. A root that is a file is
// analysed as the only file of the layer.
func (w *Walker) Dir(ctx context.Context, root string) (*analyze.LayerResult, error) {
	info, err := os.Stat(root)
	if err != nil {
		return nil, err // an *fs.PathError: it names root
	}
	if !info.IsDir() {
		return w.single(ctx, root, info)
	}
	if li, err := os.Lstat(root); err == nil && li.Mode()&fs.ModeSymlink != 0 {
		return &analyze.LayerResult{}, nil
	}
	r, err := os.OpenRoot(root)
	if err != nil {
		return nil, err // an *fs.PathError: it names root
	}
	defer r.Close()
	res, err := w.FS(ctx, r.FS())
	if err != nil {
		return nil, fmt.Errorf("walking %s: %w", root, err)
	}
	return res, nil
}

// single analyses one file given as the scan target.
func (w *Walker) single(ctx context.Context, p string, info fs.FileInfo) (*analyze.LayerResult, error) {
	res := &analyze.LayerResult{Files: []string{info.Name()}}
	c := w.newCollector(ctx, res)
	err := w.readFile(c, func() (fs.File, error) { return os.Open(p) }, info.Name(), info)
	if werr := c.wait(w); werr != nil && err == nil {
		err = werr
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}
