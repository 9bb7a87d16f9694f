package sqlitebench

import (
	"context"
	"database/sql"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/trawlsec/trawl/internal/vulndb/build"
	"github.com/trawlsec/trawl/internal/vulndb/store"
)

// advisories returns the corpus advisories folder or skips.
func advisories(b *testing.B) string {
	p := filepath.Join("..", "..", "..", "..", "..", "shared", "corpus", "advisories")
	if _, err := os.Stat(p); err != nil {
		b.Skipf("corpus absent: %v", err)
	}
	return p
}

type row struct {
	eco, name string
	entries   []byte
}

// corpusRows builds the bbolt DB from the corpus and reads every package
// row and details record back, so both stores hold the same bytes.
func corpusRows(b *testing.B) (string, []row, map[string][]byte) {
	adv := advisories(b)
	out := filepath.Join(b.TempDir(), "trawl.db")
	var srcs []string
	for _, s := range []string{"go", "pypi", "rustsec", "alpine-secdb"} {
		srcs = append(srcs, filepath.Join(adv, s))
	}
	if _, err := build.Build(context.Background(), srcs, out, nil); err != nil {
		b.Fatal(err)
	}
	s, err := store.Open(out)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var rows []row
	err = s.Packages(func(eco, name string) error {
		es, err := s.Affected(eco, name)
		if err != nil {
			return err
		}
		raw, err := json.Marshal(es)
		rows = append(rows, row{eco, name, raw})
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	vulns := map[string][]byte{}
	err = s.Vulnerabilities(func(id string) error {
		d, err := s.Details(id)
		if err != nil {
			return err
		}
		vulns[id], err = json.Marshal(d)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return out, rows, vulns
}

func writeSQLite(b *testing.B, path string, rows []row, vulns map[string][]byte) {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	stmts := []string{
		`PRAGMA journal_mode=OFF`, `PRAGMA synchronous=OFF`,
		`CREATE TABLE pkg (eco TEXT, name TEXT, entries BLOB, PRIMARY KEY (eco, name)) WITHOUT ROWID`,
		`CREATE TABLE vuln (id TEXT PRIMARY KEY, details BLOB) WITHOUT ROWID`,
	}
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			b.Fatal(err)
		}
	}
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	ps, _ := tx.Prepare(`INSERT INTO pkg VALUES (?, ?, ?)`)
	for _, r := range rows {
		if _, err := ps.Exec(r.eco, r.name, r.entries); err != nil {
			b.Fatal(err)
		}
	}
	vs, _ := tx.Prepare(`INSERT INTO vuln VALUES (?, ?)`)
	for id, d := range vulns {
		if _, err := vs.Exec(id, d); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkStores reports, for the same corpus data, the file size and the
// lookups per second (10k random package names, JSON decoded as the scan
// path does) of bbolt and SQLite, and SQLite's write time.
func BenchmarkStores(b *testing.B) {
	boltPath, rows, vulns := corpusRows(b)
	r := rand.New(rand.NewPCG(1, 2))
	names := make([]row, 10000)
	for i := range names {
		names[i] = rows[r.IntN(len(rows))]
	}

	b.Run("bbolt", func(b *testing.B) {
		s, err := store.Open(boltPath)
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		fi, _ := os.Stat(boltPath)
		start, n := time.Now(), 0
		for b.Loop() {
			for _, k := range names {
				es, err := s.Affected(k.eco, k.name)
				if err != nil || len(es) == 0 {
					b.Fatal(k.eco, k.name, err)
				}
				n++
			}
		}
		b.ReportMetric(float64(n)/time.Since(start).Seconds(), "lookups/s")
		b.ReportMetric(float64(fi.Size())/(1<<20), "MiB")
	})

	b.Run("sqlite", func(b *testing.B) {
		path := filepath.Join(b.TempDir(), "trawl.sqlite")
		t0 := time.Now()
		writeSQLite(b, path, rows, vulns)
		write := time.Since(t0)
		fi, _ := os.Stat(path)
		db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		q, err := db.Prepare(`SELECT entries FROM pkg WHERE eco = ? AND name = ?`)
		if err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		start, n := time.Now(), 0
		for b.Loop() {
			for _, k := range names {
				var raw []byte
				if err := q.QueryRow(k.eco, k.name).Scan(&raw); err != nil {
					b.Fatal(err)
				}
				var es []store.Entry
				if err := json.Unmarshal(raw, &es); err != nil || len(es) == 0 {
					b.Fatal(err)
				}
				n++
			}
		}
		b.ReportMetric(float64(n)/time.Since(start).Seconds(), "lookups/s")
		b.ReportMetric(float64(fi.Size())/(1<<20), "MiB")
		b.ReportMetric(write.Seconds(), "write-s")
	})
}
