package update

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/trawlsec/trawl/internal/vulndb/store"
)

// TestUpdateDamagedDB: an update over a damaged DB (truncated, zeroed)
// treats it as absent and rebuilds it, even though the mirror says no
// archive changed; Stale reports the damage as ErrDamaged.
func TestUpdateDamagedDB(t *testing.T) {
	tests := []struct {
		name   string
		damage func(p string) error
	}{
		{"truncated to 8 KiB", func(p string) error { return os.Truncate(p, 8192) }},
		{"empty", func(p string) error { return os.Truncate(p, 0) }},
		{"zeroed", func(p string) error {
			fi, err := os.Stat(p)
			if err != nil {
				return err
			}
			return os.WriteFile(p, make([]byte, fi.Size()), 0o644)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, srv := newMirror(t)
			db := filepath.Join(t.TempDir(), "db", "trawl.db")
			ctx := context.Background()
			if _, err := Update(ctx, opts(srv, db)); err != nil {
				t.Fatal(err)
			}
			if err := tt.damage(db); err != nil {
				t.Fatal(err)
			}
			if stale, err := Stale(db, time.Hour, time.Now()); !stale || !errors.Is(err, store.ErrDamaged) {
				t.Errorf("Stale(damaged) = %v, %v; want true, ErrDamaged", stale, err)
			}
			downloads := m.downloads.Load()
			res, err := Update(ctx, opts(srv, db))
			if err != nil {
				t.Fatalf("Update over a damaged DB: %v", err)
			}
			if !res.Rebuilt || m.downloads.Load() != downloads {
				t.Errorf("rebuilt=%v, downloads %d→%d; want a rebuild from the cached archives", res.Rebuilt, downloads, m.downloads.Load())
			}
			if ids := lookup(t, db, "PyPI", "foo-bar"); len(ids) != 1 {
				t.Errorf("rebuilt DB: %v", ids)
			}
		})
	}
}
