package diff

import (
	"bufio"
	"cmp"
	"container/heap"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// File types of an Entry.
const (
	TypeFile     = "file"
	TypeDir      = "dir"
	TypeSymlink  = "symlink"
	TypeHardlink = "hardlink"
	TypeChar     = "char"
	TypeBlock    = "block"
	TypeFIFO     = "fifo"
	TypeOther    = "other"
)

// Entry is one path of a final filesystem, as the index keeps it.
type Entry struct {
	Path string
	Type string
	// Mode holds the permission and special bits (07777).
	Mode int64
	UID  int
	GID  int
	// Size and SHA256 describe a regular file's content.
	Size   int64
	SHA256 string `json:",omitempty"`
	// Link is the target of a symbolic or hard link.
	Link string `json:",omitempty"`
	// Error is set when the entry could not be read; it is then compared
	// by its metadata only.
	Error string `json:",omitempty"`
}

// op says what a layer record does to its path.
type op uint8

const (
	opWhiteout op = iota // the path (and what was under it) is deleted
	opOpaque             // what earlier layers had under the directory is deleted
	opEntry              // the path is (re)written
)

// rec is one record of a side's index before the layers are merged.
type rec struct {
	Key   string // sortKey(Path)
	Layer int
	Op    op
	E     Entry
}

// sortKey orders paths so that everything under a directory comes right
// after it, before its next sibling ("a", "a/b", "a-b"): '/' sorts first.
func sortKey(p string) string { return strings.ReplaceAll(p, "/", "\x00") }

func recLess(a, b rec) int {
	if c := strings.Compare(a.Key, b.Key); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Layer, b.Layer); c != 0 {
		return c
	}
	return cmp.Compare(a.Op, b.Op)
}

// DefaultRunSize is how many records a side's index keeps in memory before
// it spills a sorted run to disk.
const DefaultRunSize = 64 << 10

// sorter is an external sort of records: sorted runs of at most max
// records are spilled as gob streams to temporary files in dir and merged
// when read.
type sorter struct {
	dir  string
	max  int
	buf  []rec
	runs []string
}

func newSorter(dir string, max int) *sorter {
	if max <= 0 {
		max = DefaultRunSize
	}
	return &sorter{dir: dir, max: max}
}

func (s *sorter) add(r rec) error {
	r.Key = sortKey(r.E.Path)
	s.buf = append(s.buf, r)
	if len(s.buf) >= s.max {
		return s.spill()
	}
	return nil
}

func (s *sorter) spill() error {
	slices.SortStableFunc(s.buf, recLess)
	f, err := os.CreateTemp(s.dir, "trawl-diff-run-*")
	if err != nil {
		return fmt.Errorf("diff index: spilling to %s: %w", s.dir, err)
	}
	s.runs = append(s.runs, f.Name())
	w := bufio.NewWriterSize(f, 1<<20)
	enc := gob.NewEncoder(w)
	for i := range s.buf {
		if err := enc.Encode(&s.buf[i]); err != nil {
			f.Close()
			return fmt.Errorf("diff index: writing %s: %w", f.Name(), err)
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("diff index: writing %s: %w", f.Name(), err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("diff index: writing %s: %w", f.Name(), err)
	}
	clear(s.buf)
	s.buf = s.buf[:0]
	return nil
}

// close removes the runs.
func (s *sorter) close() {
	for _, r := range s.runs {
		os.Remove(r)
	}
	s.runs = nil
	s.buf = nil
}

// recStream yields records in order.
type recStream interface {
	next() (rec, bool, error)
	close()
}

type memStream struct {
	buf []rec
	i   int
}

func (m *memStream) next() (rec, bool, error) {
	if m.i >= len(m.buf) {
		return rec{}, false, nil
	}
	m.i++
	return m.buf[m.i-1], true, nil
}
func (m *memStream) close() {}

type runReader struct {
	f   *os.File
	dec *gob.Decoder
	cur rec
}

type mergeStream struct {
	h runHeap
	r []*runReader
}

type runHeap []*runReader

func (h runHeap) Len() int           { return len(h) }
func (h runHeap) Less(i, j int) bool { return recLess(h[i].cur, h[j].cur) < 0 }
func (h runHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *runHeap) Push(x any)        { *h = append(*h, x.(*runReader)) }
func (h *runHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// advance reads the run's next record; false at its end.
func (r *runReader) advance() (bool, error) {
	r.cur = rec{}
	err := r.dec.Decode(&r.cur)
	if errors.Is(err, io.EOF) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("diff index: reading %s: %w", r.f.Name(), err)
	}
	return true, nil
}

func (m *mergeStream) next() (rec, bool, error) {
	if len(m.h) == 0 {
		return rec{}, false, nil
	}
	top := m.h[0]
	out := top.cur
	ok, err := top.advance()
	if err != nil {
		return rec{}, false, err
	}
	if ok {
		heap.Fix(&m.h, 0)
	} else {
		heap.Pop(&m.h)
	}
	return out, true, nil
}

func (m *mergeStream) close() {
	for _, r := range m.r {
		r.f.Close()
	}
}

// sorted returns the records in order: from memory when nothing was
// spilled, else merged from the runs.
func (s *sorter) sorted() (recStream, error) {
	if len(s.runs) == 0 {
		slices.SortStableFunc(s.buf, recLess)
		return &memStream{buf: s.buf}, nil
	}
	if len(s.buf) > 0 {
		if err := s.spill(); err != nil {
			return nil, err
		}
	}
	m := &mergeStream{}
	for _, name := range s.runs {
		f, err := os.Open(name)
		if err != nil {
			m.close()
			return nil, fmt.Errorf("diff index: %w", err)
		}
		r := &runReader{f: f, dec: gob.NewDecoder(bufio.NewReaderSize(f, 256<<10))}
		m.r = append(m.r, r)
		ok, err := r.advance()
		if err != nil {
			m.close()
			return nil, err
		}
		if ok {
			m.h = append(m.h, r)
		}
	}
	heap.Init(&m.h)
	return m, nil
}

// resolver turns the sorted records of every layer into the final
// filesystem: the last layer's record of a path wins; a whiteout deletes
// the path and what earlier layers had under it; an opaque marker deletes
// what earlier layers had under its directory; a non-directory replacing a
// directory hides the directory's earlier contents.
type resolver struct {
	in      recStream
	pending *rec
	// stack holds, for the ancestors of the current path, the layer below
	// which their descendants are hidden.
	stack []hide
}

type hide struct {
	prefix string // key + "\x00"
	below  int
}

// next returns the next entry of the final filesystem, in key order.
func (r *resolver) next() (Entry, bool, error) {
	for {
		group, err := r.group()
		if err != nil || group == nil {
			return Entry{}, false, err
		}
		key := group[0].Key
		for len(r.stack) > 0 && !strings.HasPrefix(key, r.stack[len(r.stack)-1].prefix) {
			r.stack = r.stack[:len(r.stack)-1]
		}
		below := 0
		if len(r.stack) > 0 {
			below = r.stack[len(r.stack)-1].below
		}
		var win *rec
		own := below
		for i := range group {
			g := &group[i]
			if g.Layer < below {
				continue
			}
			switch {
			case g.Op == opOpaque:
				own = max(own, g.Layer)
				continue
			case g.Op == opWhiteout || g.E.Type != TypeDir:
				own = max(own, g.Layer)
			}
			win = g // records are in layer order: the last one wins
		}
		if own > below {
			prefix := key + "\x00"
			if key == "" {
				prefix = "" // an opaque root: everything is under it
			}
			r.stack = append(r.stack, hide{prefix: prefix, below: own})
		}
		if win != nil && win.Op == opEntry && key != "" {
			return win.E, true, nil
		}
	}
}

// group reads the records of the next path.
func (r *resolver) group() ([]rec, error) {
	var out []rec
	if r.pending != nil {
		out = append(out, *r.pending)
		r.pending = nil
	}
	for {
		x, ok, err := r.in.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return out, nil
		}
		if len(out) > 0 && x.Key != out[0].Key {
			r.pending = &x
			return out, nil
		}
		out = append(out, x)
	}
}
