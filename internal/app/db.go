package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
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
	// Repositories are where updates come from, tried in order until one
	// succeeds: OSV archive mirrors (http(s)://…, laid out as
	// <base>/<Ecosystem>/all.zip) and prebuilt DB artifacts (oci://…), in
	// any mix. Empty means the public OSV mirror.
	Repositories []string
	Ecosystems   []string
	MaxAge       time.Duration
	SkipUpdate   bool
	Offline      bool
	Insecure     bool
	Progress     io.Writer
	Logger       *slog.Logger
}

// UpdateDB refreshes the DB from the first of its repositories that works
// and returns a one-line summary. Each failure is logged as a warning and
// the next location tried; when every one fails, the error lists each
// location with its reason. A failed location leaves the DB as it was.
func UpdateDB(ctx context.Context, o DBOptions) (string, error) {
	if err := os.MkdirAll(filepath.Dir(o.Path), 0o755); err != nil {
		return "", fmt.Errorf("db update: %w", err)
	}
	_ = fsutil.MarkCacheDirOfDB(o.Path) // a DB in <cache>/db marks the cache for clean --all
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	repos := o.Repositories
	if len(repos) == 0 {
		repos = []string{update.DefaultBaseURL}
	}
	from := func(repo string) (string, error) {
		if strings.HasPrefix(repo, "oci://") {
			res, err := oci.Pull(ctx, repo, o.Path, oci.Options{Insecure: o.Insecure, MaxAge: o.MaxAge})
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("Pulled %s (%s) into %s: built %s, schema %d, %d vulnerabilities",
				repo, res.Digest, o.Path, res.Metadata.BuiltAt.UTC().Format(time.RFC3339), res.Metadata.SchemaVersion, res.Metadata.Vulnerabilities), nil
		}
		ecosystems := o.Ecosystems
		if len(ecosystems) == 0 {
			// What the DB was last updated with (scans add what they
			// need); a DB never updated from a mirror: every default.
			ecosystems = update.Archives(o.Path)
		}
		if len(ecosystems) == 0 {
			ecosystems = update.DefaultEcosystems()
		}
		res, err := update.Update(ctx, update.Options{
			BaseURL: repo, Ecosystems: ecosystems, DBPath: o.Path,
			Progress: o.Progress, Logger: o.Logger,
		})
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("Updated %s from %s: downloaded %d archive(s) (%d bytes), %d unchanged, %d missing, rebuilt=%v",
			o.Path, repo, len(res.Downloaded), res.Bytes, len(res.NotModified), len(res.Missing), res.Rebuilt), nil
	}
	// The final error lists every location with its reason and wraps
	// every reason (errors.Is sees them all).
	var failures []string
	var reasons []any
	for i, repo := range repos {
		summary, err := from(repo)
		if err == nil {
			if len(failures) > 0 {
				summary += fmt.Sprintf(" (after %d failed location(s))", len(failures))
			}
			return summary, nil
		}
		if ctx.Err() != nil {
			return "", fmt.Errorf("db update from %s: %w", repo, err)
		}
		if len(repos) == 1 {
			return "", fmt.Errorf("db update from %s: %w", repo, err)
		}
		failures = append(failures, "%d) %s: %w")
		reasons = append(reasons, i+1, repo, err)
		log.Warn("vulnerability DB location failed", "location", repo, "err", err, "remaining", len(repos)-1-i)
	}
	return "", fmt.Errorf("db update: all %d locations failed: "+strings.Join(failures, "; "), append([]any{len(repos)}, reasons...)...)
}

// neededArchives returns the OSV archives ("Debian", "npm", …) whose
// advisories the report's packages are matched against.
func neededArchives(rep *model.Report) []string {
	set := map[string]bool{}
	for _, r := range rep.Results {
		if len(r.Packages) == 0 {
			continue
		}
		switch r.Class {
		case model.ClassOSPkg:
			if os := rep.Metadata.OS; os != nil {
				if ecos := store.OSEcosystems(os.Family, os.Name); len(ecos) > 0 {
					set[store.BaseEcosystem(ecos[0])] = true
				}
			}
		case model.ClassLangPkg:
			if eco := match.EcosystemForType(r.Type); eco != "" {
				set[eco] = true
			}
		}
	}
	out := make([]string, 0, len(set))
	for eco := range set {
		out = append(out, eco)
	}
	slices.Sort(out)
	return out
}

// updateSet is what a scan's update downloads: the archives the DB holds
// (those a mirror publishes) and those its last update fetched, plus what
// the scan needs; on a first scan, what it needs only. Sorted.
func updateSet(held map[string]bool, archives, needed []string) []string {
	defaults := update.DefaultEcosystems()
	var out []string
	for eco := range held {
		if slices.Contains(defaults, eco) {
			out = append(out, eco)
		}
	}
	out = append(append(out, archives...), needed...)
	slices.Sort(out)
	return slices.Compact(out)
}

// precheckDB fails when updates are off and there is no usable DB, so
// that the scan stops before the analysis.
func precheckDB(o DBOptions, now time.Time) error {
	if !o.SkipUpdate && !o.Offline {
		return nil
	}
	_, unusable := update.Stale(o.Path, o.MaxAge, now)
	if errors.Is(unusable, store.ErrDamaged) {
		return unusable // names the file and what to do
	}
	if _, err := os.Stat(o.Path); err != nil || unusable != nil {
		why := "updates are off (--skip-db-update or --offline-scan)"
		if unusable != nil {
			why = unusable.Error()
		}
		return fmt.Errorf("no usable vulnerability DB at %s: %s; build one with 'trawl db build --source DIR', fetch one with 'trawl db update', or scan without vulnerabilities (--scanners secret)", o.Path, why)
	}
	return nil
}

// openDB makes sure a usable DB is there (updating it when it is stale,
// or lacks an archive that needed names, and updates are allowed) and
// opens it. needed are the archives the scanned packages need: a first
// scan downloads only those, later scans add what they need next, and an
// update keeps refreshing everything the DB holds. An offline machine with
// a usable DB scans with a warning; with none, the scan fails with what to
// do. A damaged DB (store.ErrDamaged) is rebuilt by an update when updates
// are allowed; otherwise the scan fails with one line naming it. With
// nothing needed and no DB, there is nothing to match: nil, nil.
func openDB(ctx context.Context, o DBOptions, now time.Time, needed []string) (*store.Store, error) {
	log := o.Logger
	updatesOff := o.SkipUpdate || o.Offline
	stale, unusable := update.Stale(o.Path, o.MaxAge, now)
	_, statErr := os.Stat(o.Path)
	exists := statErr == nil && unusable == nil
	if !exists && unusable == nil && len(needed) == 0 && !updatesOff {
		return nil, nil
	}
	// Archives a mirror update would add: only when every location is a
	// mirror (a prebuilt OCI DB holds what its publisher put in) and the
	// user did not pick the ecosystems.
	var missing []string
	mirror := len(o.Ecosystems) == 0 && !slices.ContainsFunc(o.Repositories, func(r string) bool { return strings.HasPrefix(r, "oci://") })
	held := map[string]bool{}
	if exists && mirror {
		held, _ = update.Held(o.Path)
		recent := update.RecentlyMissing(o.Path, o.MaxAge, now)
		for _, eco := range needed {
			if !held[eco] && !recent[eco] {
				missing = append(missing, eco)
			}
		}
	}
	updated := false
	switch {
	case !stale && len(missing) == 0:
	case updatesOff && errors.Is(unusable, store.ErrDamaged):
		// Names the file and what to do.
		return nil, unusable
	case updatesOff:
		if !exists {
			return nil, precheckDB(o, now)
		}
		if stale {
			log.Warn("the vulnerability DB is older than --db-max-age; results may miss recent advisories", "path", o.Path)
		}
	default:
		if errors.Is(unusable, store.ErrDamaged) {
			log.Warn("the vulnerability DB is damaged; rebuilding it", "path", o.Path, "reason", boltsafe.Why(unusable))
		}
		if mirror {
			o.Ecosystems = updateSet(held, update.Archives(o.Path), needed)
			if len(missing) > 0 {
				log.Info("downloading the advisories this scan needs", "ecosystems", strings.Join(missing, ","))
			}
		}
		if len(o.Ecosystems) > 0 || !mirror {
			if err := updateForScan(ctx, o, exists, unusable); err != nil {
				return nil, err
			}
			updated = true
		}
	}
	if !updated && !exists && unusable == nil {
		return nil, nil
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
		// No advisories for the ecosystem is not "no vulnerabilities":
		// say so.
		if eco, ok := heldFor(s, r, osInfo); !ok && eco != "" {
			log.Warn("the vulnerability DB has no advisories for this ecosystem; these packages were not checked",
				"target", r.Target, "ecosystem", eco, "packages", len(r.Packages), "db", s.Path())
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

// heldFor returns the DB ecosystem a result's packages are matched in and
// whether the DB holds advisories for it ("" when trawl matches none).
func heldFor(s *store.Store, r *model.Result, osInfo *model.OS) (string, bool) {
	if r.Class == model.ClassOSPkg {
		if osInfo == nil {
			return "", false
		}
		return s.EcosystemForOS(osInfo.Family, osInfo.Name)
	}
	eco := match.EcosystemForType(r.Type)
	return eco, eco != "" && s.HasEcosystem(eco)
}
