package boltsafe

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// validDB writes a real bbolt database of several dozen pages (a bucket
// whose root is a branch page, a nested bucket, overflow values) and
// returns its bytes and the page id of bucket "b"'s root.
func validDB(t testing.TB) ([]byte, uint64) { return makeDB(t, 4096, 2000) }

// makeDB writes a bbolt database with pages of pageSize and n keys in
// bucket "b" (see validDB).
func makeDB(t testing.TB, pageSize, n int) ([]byte, uint64) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "valid.db")
	db, err := bolt.Open(p, 0o600, &bolt.Options{PageSize: pageSize})
	if err != nil {
		t.Fatal(err)
	}
	var root uint64
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket([]byte("b"))
		if err != nil {
			return err
		}
		for i := range n {
			if err := b.Put(fmt.Appendf(nil, "key-%05d", i), bytes.Repeat([]byte{byte(i)}, 100)); err != nil {
				return err
			}
		}
		nb, err := b.CreateBucket([]byte("nested"))
		if err != nil {
			return err
		}
		return nb.Put([]byte("big"), bytes.Repeat([]byte("x"), 3*pageSize))
	})
	if err == nil {
		err = db.View(func(tx *bolt.Tx) error { root = uint64(tx.Bucket([]byte("b")).Root()); return nil })
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return data, root
}

// setChildren points every element of branch page pg at page child.
func setChildren(t *testing.T, b []byte, pg, child uint64) {
	const ps = 4096
	off := int(pg) * ps
	if b[off+8] != 0x01 {
		t.Fatalf("page %d is not a branch page", pg)
	}
	// Branch elements are {pos u32, ksize u32, pgid u64}.
	for i := range int(binary.LittleEndian.Uint16(b[off+10:])) {
		e := off + 16 + 16*i
		binary.LittleEndian.PutUint64(b[e+8:], child)
	}
}

// readAll reads every key and value of every bucket, nested ones
// included: every page of the tree.
func readAll(db *bolt.DB) error {
	var walk func(b *bolt.Bucket) error
	walk = func(b *bolt.Bucket) error {
		return b.ForEach(func(k, v []byte) error {
			if v == nil {
				if nb := b.Bucket(k); nb != nil {
					return walk(nb)
				}
				return nil
			}
			_ = bytes.Clone(v)
			return nil
		})
	}
	return Guard(func() error {
		return db.View(func(tx *bolt.Tx) error {
			return tx.ForEach(func(_ []byte, b *bolt.Bucket) error { return walk(b) })
		})
	})
}

// openAndRead opens path read-only and reads everything.
func openAndRead(path string) error {
	db, err := Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer db.Close()
	return readAll(db)
}

func TestCheckAndOpen(t *testing.T) {
	valid, broot := validDB(t)
	const ps = 4096
	if len(valid) < 20*ps {
		t.Fatalf("test DB has only %d bytes", len(valid))
	}
	m0, err0 := parseMeta(valid)
	m1, err1 := parseMeta(valid[ps:])
	if err0 != nil || err1 != nil {
		t.Fatal(err0, err1)
	}
	m := m0
	if m1.txid > m0.txid {
		m = m1
	}
	// Pages Check looks at: the meta pages, the root and the freelist.
	checked := func(pg int) bool { return pg < 2 || uint64(pg) == m.root || uint64(pg) == m.freelist }
	rnd := rand.New(rand.NewPCG(1, 2))
	randomize := func(b []byte) {
		for i := range b {
			b[i] = byte(rnd.UintN(256))
		}
	}
	edit := func(f func(b []byte)) []byte {
		b := bytes.Clone(valid)
		f(b)
		return b
	}
	tests := []struct {
		name string
		data []byte
		// damaged: Check (or, when checkOK, reading everything) fails
		// with ErrDamaged; otherwise everything succeeds.
		damaged bool
		// checkOK: the damage is beyond what Check looks at; Guard must
		// catch it while reading.
		checkOK bool
	}{
		{name: "valid", data: valid},
		{name: "truncated to 8 KiB", data: valid[:8192], damaged: true},
		{name: "truncated to one page", data: valid[:ps], damaged: true},
		{name: "truncated to half", data: valid[:len(valid)/2], damaged: true},
		{name: "empty", data: []byte{}, damaged: true},
		{name: "zeroed meta pages", data: edit(func(b []byte) { clear(b[:2*ps]) }), damaged: true},
		{name: "zeroed meta page 0 only", data: edit(func(b []byte) { clear(b[:ps]) })},
		{name: "random meta pages", data: edit(func(b []byte) { randomize(b[:2*ps]) }), damaged: true},
		{name: "random root page", data: edit(func(b []byte) { randomize(b[m.root*ps : (m.root+1)*ps]) }), damaged: true},
		{name: "random freelist page", data: edit(func(b []byte) { randomize(b[m.freelist*ps : (m.freelist+1)*ps]) }), damaged: true},
		{name: "random pages in the middle", checkOK: true, damaged: true, data: edit(func(b []byte) {
			for pg := range int(m.pgid) {
				if !checked(pg) && uint64(pg) != broot {
					randomize(b[pg*ps : (pg+1)*ps])
				}
			}
		})},
		// bbolt maps more than the file: a page past its end faults
		// with SIGBUS, a page far beyond with SIGSEGV.
		{name: "branch pointing past the end of the file", checkOK: true, damaged: true, data: edit(func(b []byte) {
			setChildren(t, b, broot, m.pgid+20)
		})[:m.pgid*ps]},
		{name: "branch pointing far beyond the file", checkOK: true, damaged: true, data: edit(func(b []byte) {
			setChildren(t, b, broot, 1<<24)
		})},
		{name: "branch pointing beyond the pointer range", checkOK: true, damaged: true, data: edit(func(b []byte) {
			setChildren(t, b, broot, 1<<44)
		})},
		{name: "branch pointing at a meta page", checkOK: true, damaged: true, data: edit(func(b []byte) {
			setChildren(t, b, broot, 1)
		})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "x.db")
			if err := os.WriteFile(p, tt.data, 0o600); err != nil {
				t.Fatal(err)
			}
			cerr := Check(p)
			if wantCheckErr := tt.damaged && !tt.checkOK; (cerr != nil) != wantCheckErr || (cerr != nil && !errors.Is(cerr, ErrDamaged)) {
				t.Fatalf("Check = %v, want damaged %v", cerr, wantCheckErr)
			}
			err := openAndRead(p)
			if !tt.damaged {
				if err != nil {
					t.Fatalf("open and read: %v", err)
				}
				return
			}
			if !errors.Is(err, ErrDamaged) {
				t.Fatalf("open and read = %v, want ErrDamaged", err)
			}
			if testing.Verbose() {
				t.Log(err)
			}
			if !tt.checkOK && !bytes.Contains([]byte(err.Error()), []byte(p)) {
				t.Errorf("error %q does not name %s", err, p)
			}
		})
	}
}

// TestOpenEmptyReadWrite: an empty file opened for writing is a new
// database (bbolt initialises it), as for a new scan cache.
func TestOpenEmptyReadWrite(t *testing.T) {
	p := filepath.Join(t.TempDir(), "new.db")
	if err := os.WriteFile(p, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := Open(p, 0o600, nil)
	if err != nil {
		t.Fatalf("Open(empty, read-write) = %v", err)
	}
	db.Close()
	if err := Check(p); err != nil {
		t.Errorf("Check after init = %v", err)
	}
}

func TestNotRegular(t *testing.T) {
	dir := t.TempDir()
	for _, ro := range []bool{false, true} {
		if err := Check(dir); err == nil || errors.Is(err, ErrDamaged) {
			t.Errorf("Check(directory) = %v, want a non-damaged error", err)
		}
		if _, err := Open(dir, 0o600, &bolt.Options{ReadOnly: ro}); err == nil || errors.Is(err, ErrDamaged) {
			t.Errorf("Open(directory, ro=%v) = %v, want a non-damaged error", ro, err)
		}
	}
	missing := filepath.Join(dir, "missing.db")
	if err := Check(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Check(missing) = %v", err)
	}
	if _, err := Open(missing, 0o600, &bolt.Options{ReadOnly: true}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Open(missing, read-only) = %v", err)
	}
}

func TestGuard(t *testing.T) {
	tests := []struct {
		name string
		fn   func() error
		want error
	}{
		{"nil", func() error { return nil }, nil},
		{"error passes through", func() error { return os.ErrPermission }, os.ErrPermission},
		{"panic", func() error { panic("assertion failed: Page expected") }, ErrDamaged},
		{"nil dereference", func() error { var p *int; return fmt.Errorf("%d", *p) }, ErrDamaged},
	}
	for _, tt := range tests {
		if err := Guard(tt.fn); !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
			t.Errorf("%s: Guard = %v, want %v", tt.name, err, tt.want)
		}
	}
}

// FuzzCheck feeds arbitrary bytes as a bbolt file to Open and reads
// everything in it: errors are fine, a crash is not.
func FuzzCheck(f *testing.F) {
	// Small seeds (1 KiB pages, a few dozen keys): the fuzzer mutates
	// and minimises them quickly.
	small, _ := makeDB(f, 1024, 40)
	m, err := parseMeta(small[1024:])
	if m0, err0 := parseMeta(small); err0 == nil && (err != nil || m0.txid > m.txid) {
		m, err = m0, nil
	}
	if err != nil {
		f.Fatal(err)
	}
	small = small[:m.pgid*1024] // bbolt grows files beyond what they use
	f.Add(small)
	f.Add(small[:4096])
	f.Add(small[:2*1024+100])
	f.Add([]byte{})
	f.Add([]byte("not a database"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "fuzz.db")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := openAndRead(p); err != nil && !errors.Is(err, ErrDamaged) {
			t.Fatalf("open and read: %v (not ErrDamaged)", err)
		}
	})
}
