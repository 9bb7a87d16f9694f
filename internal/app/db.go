package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/trawlsec/trawl/internal/boltsafe"
	"github.com/trawlsec/trawl/internal/fsutil"
	"github.com/trawlsec/trawl/internal/match"
	"github.com/trawlsec/trawl/internal/vulndb/oci"
	"github.com/trawlsec/trawl/internal/vulndb/store"
	"github.com/trawlsec/trawl/internal/vulndb/update"
	"github.com/trawlsec/trawl/pkg/model"
)

// DBOptions say where the vulnerability DB lives and how it is updated.
type DBOptions struct {
	Path string
	// Repository is an OSV archive mirror (http(s)://…, laid out as
	// <base>/<Ecosystem>/all.zip) or a prebuilt DB artifact (oci://…).
	Repository string
	Ecosystems []string
	MaxAge     time.Duration
	SkipUpdate bool
	Offline    bool
	Insecure   bool
	Progress   io.Writer
	Logger     *slog.Logger
}

// UpdateDB refreshes the DB from its repository and returns a one-line
// summary.
func UpdateDB(ctx context.Context, o DBOptions) (string, error) {
	if err := os.MkdirAll(filepath.Dir(o.Path), 0o755); err != nil {
		return "", fmt.Errorf("db update: %w", err)
	}
	_ = fsutil.MarkCacheDirOfDB(o.Path) // a DB in <cache>/db marks the cache for clean --all
	if strings.HasPrefix(o.Repository, "oci://") {
		res, err := oci.Pull(ctx, o.Repository, o.Path, oci.Options{Insecure: o.Insecure})
		if err != nil {
			return "", fmt.Errorf("db update from %s: %w", o.Repository, err)
		}
		return fmt.Sprintf("Pulled %s into %s: %+v", o.Repository, o.Path, *res), nil
	}
	ecosystems := o.Ecosystems
	if len(ecosystems) == 0 {
		ecosystems = update.DefaultEcosystems()
	}
	res, err := update.Update(ctx, update.Options{
		BaseURL: o.Repository, Ecosystems: ecosystems, DBPath: o.Path,
		Progress: o.Progress, Logger: o.Logger,
	})
	if err != nil {
		return "", fmt.Errorf("db update from %s: %w", o.Repository, err)
	}
	return fmt.Sprintf("Updated %s from %s: downloaded %d archive(s) (%d bytes), %d unchanged, %d missing, rebuilt=%v",
		o.Path, o.Repository, len(res.Downloaded), res.Bytes, len(res.NotModified), len(res.Missing), res.Rebuilt), nil
}

// openDB makes sure a usable DB is there (updating it when it is stale and
// updates are allowed) and opens it. An offline machine with a usable DB
// scans with a warning; with none, the scan fails with what to do. A
// damaged DB (store.ErrDamaged) is rebuilt by an update when updates are
// allowed; otherwise the scan fails with one line naming it.
func openDB(ctx context.Context, o DBOptions, now time.Time) (*store.Store, error) {
	log := o.Logger
	updatesOff := o.SkipUpdate || o.Offline
	stale, unusable := update.Stale(o.Path, o.MaxAge, now)
	_, statErr := os.Stat(o.Path)
	exists := statErr == nil && unusable == nil
	updated := false
	switch {
	case !stale:
	case updatesOff && errors.Is(unusable, store.ErrDamaged):
		// Names the file and what to do.
		return nil, unusable
	case updatesOff:
		if !exists {
			why := "updates are off (--skip-db-update or --offline-scan)"
			if unusable != nil {
				why = unusable.Error()
			}
			return nil, fmt.Errorf("no usable vulnerability DB at %s: %s; build one with 'trawl db build --source DIR', fetch one with 'trawl db update', or scan without vulnerabilities (--scanners secret)", o.Path, why)
		}
		log.Warn("the vulnerability DB is older than --db-max-age; results may miss recent advisories", "path", o.Path)
	default:
		if errors.Is(unusable, store.ErrDamaged) {
			log.Warn("the vulnerability DB is damaged; rebuilding it", "path", o.Path, "reason", boltsafe.Why(unusable))
		}
		if err := updateForScan(ctx, o, exists, unusable); err != nil {
			return nil, err
		}
		updated = true
	}
	s, err := store.Open(o.Path)
	if errors.Is(err, store.ErrDamaged) && !updatesOff && !updated {
		// Damaged since Stale looked at it: rebuild once.
		log.Warn("the vulnerability DB is damaged; rebuilding it", "path", o.Path, "reason", boltsafe.Why(err))
		if uerr := updateForScan(ctx, o, false, err); uerr != nil {
			return nil, uerr
		}
		s, err = store.Open(o.Path)
	}
	if errors.Is(err, store.ErrDamaged) {
		return nil, err // names the file and what to do
	}
	if err != nil {
		return nil, fmt.Errorf("vulnerability DB %s: %w", o.Path, err)
	}
	return s, nil
}

// updateForScan runs the update before a scan. exists says a usable DB is
// there to fall back on (the failure is then a warning); unusable is why
// the DB there cannot be used, if it cannot.
func updateForScan(ctx context.Context, o DBOptions, exists bool, unusable error) error {
	summary, err := UpdateDB(ctx, o)
	switch {
	case err == nil:
		o.Logger.Info(summary)
		return nil
	case exists:
		o.Logger.Warn("vulnerability DB update failed; scanning with the DB we have", "path", o.Path, "err", err)
		return nil
	case errors.Is(unusable, store.ErrDamaged):
		return fmt.Errorf("vulnerability DB %s is damaged (%s) and the update failed: %w; build one with 'trawl db build --source DIR', or scan without vulnerabilities (--scanners secret)", o.Path, boltsafe.Why(unusable), err)
	}
	return fmt.Errorf("no vulnerability DB at %s and the update failed: %w; build one with 'trawl db build --source DIR', or scan without vulnerabilities (--scanners secret)", o.Path, err)
}

// detect fills every package result's Vulnerabilities.
func detect(ctx context.Context, s *store.Store, rep *model.Report, osInfo *model.OS, osPkgType string, log *slog.Logger) error {
	m := match.New(s, match.Options{})
	for i := range rep.Results {
		r := &rep.Results[i]
		if len(r.Packages) == 0 || (r.Class != model.ClassOSPkg && r.Class != model.ClassLangPkg) {
			continue
		}
		pkgType := r.Type
		if r.Class == model.ClassOSPkg {
			pkgType = osPkgType
		}
		vulns, warnings, err := m.Match(ctx, osInfo, pkgType, r.Packages)
		if err != nil {
			if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				return err
			}
			return fmt.Errorf("matching %s: %w", r.Target, err)
		}
		for _, w := range warnings {
			log.Debug("vulnerability matching skipped a package or advisory", "target", r.Target, "detail", w.String())
		}
		r.Vulnerabilities = vulns
	}
	return nil
}
