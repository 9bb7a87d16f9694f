package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/trawlsec/trawl/internal/vulndb/osv"
)

// bigContents has enough packages, vulnerabilities and aliases for the
// roots of the pkg, vuln and alias buckets to be branch pages.
func bigContents(n int) *Contents {
	c := NewContents()
	for i := range n {
		id := fmt.Sprintf("PYSEC-%04d", i)
		a := osv.Affected{
			Package: osv.Package{Ecosystem: "PyPI", Name: fmt.Sprintf("package-%04d", i)},
			Ranges:  []osv.Range{{Type: osv.RangeEcosystem, Events: []osv.Event{{Introduced: "0"}, {Fixed: "1.0"}}}},
		}
		c.Vulns[id] = &osv.Vulnerability{ID: id, Summary: strings.Repeat("summary ", 10), Aliases: []string{fmt.Sprintf("CVE-2099-%04d", i)},
			Modified: time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC), Affected: []osv.Affected{a}}
		c.Packages[PackageKey{"PyPI", a.Package.Name}] = []Entry{{ID: id, Source: "test", Affected: a}}
	}
	c.Meta.BuiltAt = time.Date(2099, 1, 2, 0, 0, 0, 0, time.UTC)
	return c
}

func writeDB(t *testing.T, c *Contents) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "trawl.db")
	if err := Write(context.Background(), p, c); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestOpenDamaged: a damaged file gives one line naming it and what to do,
// wrapping ErrDamaged (a DB truncated to 8 KiB used to crash with SIGSEGV).
func TestOpenDamaged(t *testing.T) {
	tests := []struct {
		name   string
		damage func(t *testing.T, p string)
	}{
		{"truncated to 8 KiB", func(t *testing.T, p string) { truncate(t, p, 8192) }},
		{"truncated to 1 page", func(t *testing.T, p string) { truncate(t, p, 4096) }},
		{"empty", func(t *testing.T, p string) { truncate(t, p, 0) }},
		{"zeroed meta pages", func(t *testing.T, p string) { overwrite(t, p, 0, make([]byte, 8192)) }},
		{"not a database", func(t *testing.T, p string) {
			if err := os.WriteFile(p, []byte(strings.Repeat("junk", 4096)), 0o644); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeDB(t, bigContents(300))
			tt.damage(t, p)
			s, err := Open(p)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			msg := err.Error()
			if !errors.Is(err, ErrDamaged) || strings.Contains(msg, "\n") || strings.Count(msg, p) != 1 ||
				!strings.HasPrefix(msg, "vulnerability DB "+p+" is damaged: ") || !strings.Contains(msg, "trawl db update") {
				t.Errorf("Open = %q, want one line naming %s once, wrapping ErrDamaged", msg, p)
			}
		})
	}
}

func truncate(t *testing.T, p string, size int64) {
	t.Helper()
	if err := os.Truncate(p, size); err != nil {
		t.Fatal(err)
	}
}

func overwrite(t *testing.T, p string, off int64, b []byte) {
	t.Helper()
	f, err := os.OpenFile(p, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
}

// TestReadsOfDamagedPages: damage the open-time checks cannot see (the
// branch pages of the pkg, vuln and alias buckets point at a meta page, or
// past the end of the file) makes every read return ErrDamaged, not crash.
func TestReadsOfDamagedPages(t *testing.T) {
	for _, child := range []uint64{1, 1 << 24} {
		t.Run(fmt.Sprint("children→page ", child), func(t *testing.T) {
			p := writeDB(t, bigContents(300))
			db, err := bolt.Open(p, 0o644, &bolt.Options{ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			var roots []uint64
			db.View(func(tx *bolt.Tx) error {
				for _, b := range [][]byte{bucketPkg, bucketVuln, bucketAlias} {
					roots = append(roots, uint64(tx.Bucket(b).Root()))
				}
				return nil
			})
			db.Close()
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			const ps = 4096
			for _, r := range roots {
				off := int(r) * ps
				if data[off+8] != 0x01 {
					t.Fatalf("page %d is not a branch page", r)
				}
				for i := range int(binary.LittleEndian.Uint16(data[off+10:])) {
					binary.LittleEndian.PutUint64(data[off+16+16*i+8:], child)
				}
			}
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}

			s, err := Open(p)
			if err != nil {
				t.Fatalf("Open: %v (the damage was meant to be past the checks)", err)
			}
			defer s.Close()
			reads := map[string]func() error{
				"Candidates":      func() error { _, err := s.Candidates("PyPI", "package-0001"); return err },
				"Affected":        func() error { _, err := s.Affected("PyPI", "package-0001"); return err },
				"Details":         func() error { _, err := s.Details("PYSEC-0001"); return err },
				"Aliased":         func() error { _, err := s.Aliased("CVE-2099-0001"); return err },
				"Packages":        func() error { return s.Packages(func(string, string) error { return nil }) },
				"Vulnerabilities": func() error { return s.Vulnerabilities(func(string) error { return nil }) },
			}
			for name, read := range reads {
				err := read()
				if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), p) || strings.Contains(err.Error(), "\n") {
					t.Errorf("%s = %v, want a one-line ErrDamaged naming %s", name, err, p)
				}
			}
		})
	}
}
