package store

import (
	"bufio"
	"bytes"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
)

// An external sort for the build: records (key, value) are buffered up to
// a byte budget, sorted and spilled to a run file; reading merges the runs
// (and what is still buffered) into one stream in (key, insertion order)
// order. Memory is the budget plus one read buffer per run, whatever the
// number of records.
//
// A run file is a sequence of records: uvarint key length, key, uvarint
// sequence number, uvarint value length, value.

// appendField appends f to a sort key so that keys made of several fields
// compare, byte-wise, field by field: 0x00 is escaped as 0x00 0xFF and a
// field ends with 0x00 0x01.
func appendField(key []byte, f string) []byte {
	for i := 0; i < len(f); i++ {
		if f[i] == 0 {
			key = append(key, 0, 0xff)
		} else {
			key = append(key, f[i])
		}
	}
	return append(key, 0, 1)
}

// nextField returns the first field of a sort key and the rest.
func nextField(key []byte) (field, rest []byte, err error) {
	var out []byte
	for i := 0; i < len(key); i++ {
		if key[i] != 0 {
			continue
		}
		if i+1 == len(key) {
			break
		}
		out = append(out, key[:i]...)
		if key[i+1] == 1 {
			return out, key[i+2:], nil
		}
		if key[i+1] != 0xff {
			break
		}
		out = append(out, 0)
		key = key[i+2:]
		i = -1
	}
	return nil, nil, errors.New("bad sort key")
}

type sortItem struct {
	off, klen, vlen int
	seq             uint64
}

type sorter struct {
	dir, name string
	budget    int
	maxRuns   int
	nextRun   int
	arena     []byte
	items     []sortItem
	seq       uint64
	runs      []string
}

func newSorter(dir, name string, budget, maxRuns int) *sorter {
	return &sorter{dir: dir, name: name, budget: budget, maxRuns: max(maxRuns, 2)}
}

func (s *sorter) newRun() (*os.File, error) {
	p := filepath.Join(s.dir, s.name+"-"+strconv.Itoa(s.nextRun))
	s.nextRun++
	f, err := os.Create(p)
	if err != nil {
		return nil, fmt.Errorf("sort run %s: %w", p, err)
	}
	return f, nil
}

func writeRecord(w *bufio.Writer, hdr, key []byte, seq uint64, val []byte) []byte {
	hdr = binary.AppendUvarint(hdr[:0], uint64(len(key)))
	w.Write(hdr)
	w.Write(key)
	hdr = binary.AppendUvarint(hdr[:0], seq)
	hdr = binary.AppendUvarint(hdr, uint64(len(val)))
	w.Write(hdr)
	w.Write(val)
	return hdr
}

// compact merges every run into one, so that merging never holds more than
// maxRuns files open.
func (s *sorter) compact() (err error) {
	m := &merger{}
	defer m.close()
	for _, p := range s.runs {
		if err := m.open(p); err != nil {
			return err
		}
	}
	heap.Init(&m.h)
	f, err := s.newRun()
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("sort run %s: %w", f.Name(), cerr)
		}
	}()
	w := bufio.NewWriterSize(f, 256<<10)
	var hdr []byte
	for {
		c, err := m.nextCursor()
		if err != nil {
			return err
		}
		if c == nil {
			break
		}
		hdr = writeRecord(w, hdr, c.key(), c.seq(), c.val())
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("sort run %s: %w", f.Name(), err)
	}
	m.close()
	for _, p := range s.runs {
		os.Remove(p)
	}
	s.runs = append(s.runs[:0], f.Name())
	return nil
}

func (s *sorter) add(key, val []byte) error {
	s.items = append(s.items, sortItem{off: len(s.arena), klen: len(key), vlen: len(val), seq: s.seq})
	s.seq++
	s.arena = append(s.arena, key...)
	s.arena = append(s.arena, val...)
	if len(s.arena) >= s.budget {
		return s.spill()
	}
	return nil
}

func (s *sorter) key(it sortItem) []byte { return s.arena[it.off : it.off+it.klen] }

func (s *sorter) val(it sortItem) []byte {
	return s.arena[it.off+it.klen : it.off+it.klen+it.vlen]
}

func (s *sorter) sort() {
	slices.SortFunc(s.items, func(a, b sortItem) int {
		if c := bytes.Compare(s.key(a), s.key(b)); c != 0 {
			return c
		}
		if a.seq < b.seq {
			return -1
		}
		return 1
	})
}

// spill writes the buffered records, sorted, to a new run file.
func (s *sorter) spill() (err error) {
	if len(s.runs)+1 >= s.maxRuns {
		if err := s.compact(); err != nil {
			return err
		}
	}
	s.sort()
	f, err := s.newRun()
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("sort run %s: %w", f.Name(), cerr)
		}
	}()
	w := bufio.NewWriterSize(f, 256<<10)
	var hdr []byte
	for _, it := range s.items {
		hdr = writeRecord(w, hdr, s.key(it), it.seq, s.val(it))
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("sort run %s: %w", f.Name(), err)
	}
	s.runs = append(s.runs, f.Name())
	s.arena = s.arena[:0]
	s.items = s.items[:0]
	return nil
}

// cursor is one sorted source of records.
type cursor interface {
	next() (bool, error)
	key() []byte
	val() []byte
	seq() uint64
}

type memCursor struct {
	s *sorter
	i int
}

func (c *memCursor) next() (bool, error) { c.i++; return c.i < len(c.s.items), nil }
func (c *memCursor) key() []byte         { return c.s.key(c.s.items[c.i]) }
func (c *memCursor) val() []byte         { return c.s.val(c.s.items[c.i]) }
func (c *memCursor) seq() uint64         { return c.s.items[c.i].seq }

type fileCursor struct {
	f    *os.File
	r    *bufio.Reader
	k, v []byte
	sq   uint64
}

func (c *fileCursor) key() []byte { return c.k }
func (c *fileCursor) val() []byte { return c.v }
func (c *fileCursor) seq() uint64 { return c.sq }

func (c *fileCursor) next() (bool, error) {
	kl, err := binary.ReadUvarint(c.r)
	if err == io.EOF {
		return false, nil
	}
	bad := func(err error) (bool, error) {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return false, fmt.Errorf("sort run %s: %w", c.f.Name(), err)
	}
	if err != nil {
		return bad(err)
	}
	c.k = slices.Grow(c.k[:0], int(kl))[:kl]
	if _, err := io.ReadFull(c.r, c.k); err != nil {
		return bad(err)
	}
	if c.sq, err = binary.ReadUvarint(c.r); err != nil {
		return bad(err)
	}
	vl, err := binary.ReadUvarint(c.r)
	if err != nil {
		return bad(err)
	}
	c.v = slices.Grow(c.v[:0], int(vl))[:vl]
	if _, err := io.ReadFull(c.r, c.v); err != nil {
		return bad(err)
	}
	return true, nil
}

// merger yields the records of every cursor in (key, seq) order. The
// slices it returns are valid until the next call of next.
type merger struct {
	h       cursorHeap
	pending cursor // popped last; advanced on the next call
	files   []*os.File
}

type cursorHeap []cursor

func (h cursorHeap) Len() int { return len(h) }
func (h cursorHeap) Less(i, j int) bool {
	if c := bytes.Compare(h[i].key(), h[j].key()); c != 0 {
		return c < 0
	}
	return h[i].seq() < h[j].seq()
}
func (h cursorHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *cursorHeap) Push(x any)   { *h = append(*h, x.(cursor)) }
func (h *cursorHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// open adds the run file p to the merge.
func (m *merger) open(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return fmt.Errorf("sort run %s: %w", p, err)
	}
	m.files = append(m.files, f)
	return m.add(&fileCursor{f: f, r: bufio.NewReaderSize(f, 64<<10)})
}

func (m *merger) add(c cursor) error {
	ok, err := c.next()
	if ok {
		m.h = append(m.h, c)
	}
	return err
}

// merge sorts what is buffered and opens every run.
func (s *sorter) merge() (*merger, error) {
	s.sort()
	m := &merger{}
	if err := m.add(&memCursor{s: s, i: -1}); err != nil {
		return nil, err
	}
	for _, p := range s.runs {
		if err := m.open(p); err != nil {
			m.close()
			return nil, err
		}
	}
	heap.Init(&m.h)
	return m, nil
}

// nextCursor returns the cursor holding the next record, nil at the end.
// The cursor is valid until the next call.
func (m *merger) nextCursor() (cursor, error) {
	if m.pending != nil {
		c := m.pending
		m.pending = nil
		more, err := c.next()
		if err != nil {
			return nil, err
		}
		if more {
			heap.Push(&m.h, c)
		}
	}
	if len(m.h) == 0 {
		return nil, nil
	}
	c := heap.Pop(&m.h).(cursor)
	m.pending = c
	return c, nil
}

// next returns the next record; ok is false at the end. The slices are
// valid until the next call.
func (m *merger) next() (key, val []byte, ok bool, err error) {
	c, err := m.nextCursor()
	if c == nil || err != nil {
		return nil, nil, false, err
	}
	return c.key(), c.val(), true, nil
}

func (m *merger) close() {
	for _, f := range m.files {
		f.Close()
	}
	m.files = nil
}
