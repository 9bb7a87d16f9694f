package git

import (
	"bytes"
	"context"
	"fmt"
	"hash/maphash"
	"io"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Commit identifies the commit a change belongs to.
type Commit struct {
	Hash   string
	Author string // "Name <email>"
	Date   time.Time
}

// Change is a file that a commit added or modified, compared with the
// commit's first parent (a root commit adds all its files).
type Change struct {
	Commit  Commit
	Path    string
	Content []byte

	r    *Repo
	from plumbing.Hash // the blob in the first parent; zero for a new file
	max  int64
	old  map[uint64]struct{}
}

// HistoryOptions bound a history walk.
type HistoryOptions struct {
	// MaxBlobSize skips larger blobs (0: no limit).
	MaxBlobSize int64
	// Skip, when set, skips paths without reading their blobs.
	Skip func(path string) bool
}

// History calls fn with every file that each commit reachable from the
// scanned commit added or modified, parents before children, one commit
// at a time: only the commit graph (hashes) and one blob pair are held at
// once. It stops when ctx ends or fn fails.
func (r *Repo) History(ctx context.Context, o HistoryOptions, fn func(*Change) error) error {
	order, err := r.topoOrder(ctx)
	if err != nil {
		return err
	}
	for _, h := range order {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := r.commitChanges(ctx, h, o, fn); err != nil {
			return err
		}
	}
	return nil
}

// topoOrder lists the commits reachable from r.head, each after all its
// parents (an iterative depth-first post-order). Parents missing from a
// shallow clone end the walk there.
func (r *Repo) topoOrder(ctx context.Context) ([]plumbing.Hash, error) {
	type frame struct {
		h        plumbing.Hash
		expanded bool
	}
	seen := map[plumbing.Hash]bool{}
	var out []plumbing.Hash
	stack := []frame{{h: r.head}}
	for len(stack) > 0 {
		if len(out)%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		top := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if top.expanded {
			out = append(out, top.h)
			continue
		}
		if seen[top.h] {
			continue
		}
		seen[top.h] = true
		c, err := r.repo.CommitObject(top.h)
		if err != nil {
			if top.h == r.head {
				return nil, fmt.Errorf("commit %s: %w", top.h, err)
			}
			continue // beyond a shallow clone's boundary
		}
		stack = append(stack, frame{h: top.h, expanded: true})
		// Pushed in reverse so that the first parent is walked first.
		for i := len(c.ParentHashes) - 1; i >= 0; i-- {
			if p := c.ParentHashes[i]; !seen[p] {
				stack = append(stack, frame{h: p})
			}
		}
	}
	return out, nil
}

func (r *Repo) commitChanges(ctx context.Context, h plumbing.Hash, o HistoryOptions, fn func(*Change) error) error {
	c, err := r.repo.CommitObject(h)
	if err != nil {
		return fmt.Errorf("commit %s: %w", h, err)
	}
	tree, err := c.Tree()
	if err != nil {
		return fmt.Errorf("commit %s: tree: %w", h, err)
	}
	var parentTree *object.Tree
	if len(c.ParentHashes) > 0 {
		if p, err := r.repo.CommitObject(c.ParentHashes[0]); err == nil {
			if parentTree, err = p.Tree(); err != nil {
				return fmt.Errorf("commit %s: tree: %w", p.Hash, err)
			}
		}
	}
	changes, err := object.DiffTreeWithOptions(ctx, parentTree, tree, &object.DiffTreeOptions{})
	if err != nil {
		return fmt.Errorf("commit %s: diff: %w", h, err)
	}
	info := Commit{Hash: h.String(), Author: c.Author.String(), Date: c.Author.When.UTC()}
	for _, ch := range changes {
		if err := ctx.Err(); err != nil {
			return err
		}
		to := ch.To
		if to.Name == "" || !isFile(to.TreeEntry.Mode) || (o.Skip != nil && o.Skip(to.Name)) {
			continue // deleted, a symlink, a submodule, or skipped
		}
		content, ok, err := r.readBlob(to.TreeEntry.Hash, o.MaxBlobSize)
		if err != nil {
			return fmt.Errorf("commit %s: %s: %w", h, to.Name, err)
		}
		if !ok {
			continue
		}
		change := &Change{Commit: info, Path: to.Name, Content: content, r: r, max: o.MaxBlobSize}
		if ch.From.Name != "" && isFile(ch.From.TreeEntry.Mode) {
			change.from = ch.From.TreeEntry.Hash
		}
		if err := fn(change); err != nil {
			return err
		}
	}
	return nil
}

func isFile(m filemode.FileMode) bool {
	return m == filemode.Regular || m == filemode.Executable || m == filemode.Deprecated
}

// readBlob reads a blob of at most max bytes; ok is false for a larger one.
func (r *Repo) readBlob(h plumbing.Hash, max int64) ([]byte, bool, error) {
	b, err := r.repo.BlobObject(h)
	if err != nil {
		return nil, false, err
	}
	if max > 0 && b.Size > max {
		return nil, false, nil
	}
	rd, err := b.Reader()
	if err != nil {
		return nil, false, err
	}
	defer rd.Close()
	buf := make([]byte, 0, b.Size)
	w := bytes.NewBuffer(buf)
	if _, err := io.Copy(w, rd); err != nil {
		return nil, false, err
	}
	return w.Bytes(), true, nil
}

var lineSeed = maphash.MakeSeed()

// Added reports whether any of the lines start..end (1-based, inclusive)
// of Content is new in this commit: not a line of the file in the first
// parent. The parent's blob is read on the first call only, so changes
// without findings never read it. A parent blob too large to read counts
// as having none of the lines.
func (c *Change) Added(start, end int) (bool, error) {
	if c.from.IsZero() {
		return true, nil
	}
	if c.old == nil {
		old, ok, err := c.r.readBlob(c.from, c.max)
		if err != nil {
			return false, fmt.Errorf("%s: parent blob: %w", c.Path, err)
		}
		c.old = map[uint64]struct{}{}
		if ok {
			forLines(old, func(_ int, l []byte) bool {
				c.old[maphash.Bytes(lineSeed, l)] = struct{}{}
				return true
			})
		}
	}
	added := false
	forLines(c.Content, func(n int, l []byte) bool {
		if n > end {
			return false
		}
		if n >= start {
			if _, ok := c.old[maphash.Bytes(lineSeed, l)]; !ok {
				added = true
				return false
			}
		}
		return true
	})
	return added, nil
}

// forLines calls fn with each line (1-based number, without its newline)
// until fn returns false.
func forLines(b []byte, fn func(n int, line []byte) bool) {
	for n := 1; len(b) > 0; n++ {
		i := bytes.IndexByte(b, '\n')
		line := b
		if i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		if !fn(n, bytes.TrimSuffix(line, []byte{'\r'})) {
			return
		}
	}
}
