// Package update refreshes a trawl vulnerability database from a mirror
// laid out like the public OSV archive bucket: <base>/<Ecosystem>/all.zip.
//
// Downloads are conditional (ETag / If-Modified-Since, remembered in a state
// file next to the database), verified (full zip read with CRC checks, and
// the SHA-256 digest when the mirror publishes <archive>.sha256), kept in a
// cache folder next to the database, and the database is rebuilt from the
// cached archives and replaced atomically. Any failure leaves the previous
// database (and what readers have open) untouched.
package update

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/trawlsec/trawl/internal/vulndb/build"
	"github.com/trawlsec/trawl/internal/vulndb/osv"
	"github.com/trawlsec/trawl/internal/vulndb/store"
	"github.com/trawlsec/trawl/pkg/model"
)

// DefaultBaseURL is the public OSV archive bucket.
const DefaultBaseURL = "https://osv-vulnerabilities.storage.googleapis.com"

// ErrDigest is wrapped by the error for an archive whose SHA-256 does not
// match the digest the mirror publishes.
var ErrDigest = errors.New("trawl/update: digest mismatch")

// DefaultEcosystems returns the OSV archive names of the ecosystems trawl
// detects packages for: the language archives, then the OS archives, in the
// order of pkg/model's package type and OS family tables. Each OS archive
// holds every release of a distribution ("Alpine" holds Alpine:v3.10,
// Alpine:v3.19, …).
func DefaultEcosystems() []string {
	var out []string
	add := func(archive string) {
		if archive != "" && !slices.Contains(out, archive) {
			out = append(out, archive)
		}
	}
	for _, t := range model.PackageTypes() {
		add(t.Archive)
	}
	for _, f := range model.OSFamilies() {
		add(f.Archive)
	}
	return out
}

// Options configure Update. DBPath is required.
type Options struct {
	// BaseURL of the mirror; empty means DefaultBaseURL.
	BaseURL string
	// Ecosystems to download; empty means DefaultEcosystems().
	Ecosystems []string
	// DBPath is the database file to replace.
	DBPath string
	// CacheDir keeps the downloaded archives; empty means
	// "<dir of DBPath>/osv-cache".
	CacheDir string
	// HTTPClient; nil means http.DefaultClient.
	HTTPClient *http.Client
	// Progress receives a progress bar per download when not nil (the CLI
	// passes its stderr when that is a terminal).
	Progress io.Writer
	// Logger receives warnings; nil discards them.
	Logger *slog.Logger
	// Limits bound the archive reads (see osv.Limits).
	Limits osv.Limits
	// MaxDownload caps one archive download in bytes; 0 means 4 GiB.
	MaxDownload int64
	// Force rebuilds the database even when no archive changed.
	Force bool
	// StallTimeout aborts a download (or a request waiting for its
	// answer) that received no byte for this long; 0 means
	// DefaultStallTimeout.
	StallTimeout time.Duration
}

// DefaultStallTimeout is how long a mirror may send nothing before the
// download is abandoned (the old DB stays).
const DefaultStallTimeout = 60 * time.Second

// Result says what an update did.
type Result struct {
	// Downloaded lists the ecosystems whose archive was fetched anew;
	// NotModified those the mirror reported unchanged.
	Downloaded  []string
	NotModified []string
	// Missing lists the ecosystems the mirror has no archive for (404);
	// they are skipped with a warning. An update where every requested
	// archive is missing fails.
	Missing []string
	// Rebuilt is false when nothing changed and the database was kept.
	Rebuilt bool
	// Bytes downloaded (archives only).
	Bytes int64
	// Build is the report of the rebuild, when there was one.
	Build *build.Report
}

// errMissing marks an archive the mirror does not have (404).
var errMissing = errors.New("no such archive (404)")

// archiveState is what the state file remembers per ecosystem.
type archiveState struct {
	URL          string    `json:"url"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	SHA256       string    `json:"sha256"`
	Fetched      time.Time `json:"fetched"`
}

type state struct {
	BaseURL  string                  `json:"base_url"`
	Archives map[string]archiveState `json:"archives"`
	// Missing records when the mirror last answered 404 for an archive,
	// so that scans do not ask for it again until the DB is due anyway.
	Missing map[string]time.Time `json:"missing,omitempty"`
}

// StatePath returns the state file Update keeps for a database.
func StatePath(dbPath string) string { return dbPath + ".update.json" }

func loadState(p string) (state, error) {
	var s state
	data, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return state{Archives: map[string]archiveState{}}, nil
	}
	if err == nil {
		err = json.Unmarshal(data, &s)
	}
	if s.Archives == nil {
		s.Archives = map[string]archiveState{}
	}
	return s, err
}

func saveState(p string, s state) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(p, data)
}

func writeFileAtomic(p string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(p), "."+filepath.Base(p)+".tmp-*")
	if err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	cerr := f.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp, p)
	}
	if werr != nil {
		os.Remove(tmp)
		return fmt.Errorf("%s: %w", p, werr)
	}
	return nil
}

// ArchiveURL returns <base>/<ecosystem>/all.zip with the ecosystem
// path-escaped ("Rocky Linux" → "Rocky%20Linux").
func ArchiveURL(base, ecosystem string) string {
	return strings.TrimRight(base, "/") + "/" + url.PathEscape(ecosystem) + "/all.zip"
}

// Update downloads the archives of the requested ecosystems that changed,
// and rebuilds the database from all of them when any changed (or when the
// database is missing, the ecosystem list changed, or Force is set).
func Update(ctx context.Context, opts Options) (*Result, error) {
	if opts.DBPath == "" {
		return nil, errors.New("update: no database path")
	}
	if opts.BaseURL == "" {
		opts.BaseURL = DefaultBaseURL
	}
	if len(opts.Ecosystems) == 0 {
		opts.Ecosystems = DefaultEcosystems()
	}
	if opts.CacheDir == "" {
		opts.CacheDir = filepath.Join(filepath.Dir(opts.DBPath), "osv-cache")
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = http.DefaultClient
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.MaxDownload <= 0 {
		opts.MaxDownload = 4 << 30
	}
	if opts.StallTimeout <= 0 {
		opts.StallTimeout = DefaultStallTimeout
	}
	ecos := slices.Clone(opts.Ecosystems)
	slices.Sort(ecos)
	ecos = slices.Compact(ecos)

	if err := os.MkdirAll(opts.CacheDir, 0o755); err != nil {
		return nil, fmt.Errorf("update: cache folder %s: %w", opts.CacheDir, err)
	}
	statePath := StatePath(opts.DBPath)
	old, err := loadState(statePath)
	if err != nil {
		opts.Logger.Warn("ignoring unreadable update state", "file", statePath, "err", err)
		old = state{Archives: map[string]archiveState{}}
	}
	if old.BaseURL != opts.BaseURL {
		old.Archives = map[string]archiveState{} // another mirror: validators mean nothing
	}
	next := state{BaseURL: opts.BaseURL, Archives: map[string]archiveState{}}
	res := &Result{}
	var sources []build.Source
	for _, eco := range ecos {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		cached := filepath.Join(opts.CacheDir, url.PathEscape(eco), "all.zip")
		prev, havePrev := old.Archives[eco]
		if havePrev {
			// Only trust validators if the cached archive is the one they
			// describe.
			if sum, err := fileSHA256(cached); err != nil || sum != prev.SHA256 {
				havePrev = false
			}
		}
		st, fetched, n, err := fetch(ctx, opts, eco, cached, prev, havePrev)
		if errors.Is(err, errMissing) {
			opts.Logger.Warn("mirror has no archive for ecosystem", "ecosystem", eco, "err", err)
			res.Missing = append(res.Missing, eco)
			continue
		}
		if err != nil {
			return nil, err
		}
		res.Bytes += n
		if fetched {
			res.Downloaded = append(res.Downloaded, eco)
		} else {
			res.NotModified = append(res.NotModified, eco)
		}
		next.Archives[eco] = st
		sources = append(sources, build.Source{Path: cached, Name: eco, Origin: st.URL, SHA256: st.SHA256})
	}

	if len(sources) == 0 {
		return nil, fmt.Errorf("update: %s has none of the requested archives %v", opts.BaseURL, ecos)
	}
	rebuild := opts.Force || len(res.Downloaded) > 0 || !sameKeys(old.Archives, next.Archives)
	if !rebuild {
		if s, err := store.Open(opts.DBPath); err == nil {
			s.Close()
		} else {
			rebuild = true
		}
	}
	next.Missing = map[string]time.Time{}
	for _, eco := range res.Missing {
		next.Missing[eco] = time.Now().UTC()
	}
	if !rebuild {
		if len(res.Missing) > 0 {
			if err := saveState(statePath, next); err != nil {
				opts.Logger.Warn("could not save update state", "file", statePath, "err", err)
			}
		}
		return res, nil
	}
	rep, err := build.BuildSources(ctx, sources, opts.DBPath, build.Options{Limits: opts.Limits, Logger: opts.Logger})
	if err != nil {
		return nil, fmt.Errorf("update: rebuilding %s: %w", opts.DBPath, err)
	}
	res.Rebuilt = true
	res.Build = rep
	if err := saveState(statePath, next); err != nil {
		// The database is fine; the next update just downloads again.
		opts.Logger.Warn("could not save update state", "file", statePath, "err", err)
	}
	return res, nil
}

func sameKeys(a, b map[string]archiveState) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			return false
		}
	}
	return true
}

// fetch downloads one archive unless the mirror says it has not changed.
// A new archive is verified before it replaces the cached one.
func fetch(ctx context.Context, opts Options, eco, cached string, prev archiveState, conditional bool) (archiveState, bool, int64, error) {
	u := ArchiveURL(opts.BaseURL, eco)
	// A watchdog cancels the request when no byte arrived for
	// StallTimeout: a mirror that stalls mid-transfer cannot hang the
	// update (and the scan waiting for it).
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stall := fmt.Errorf("update: %s: no data received for %s (stalled connection)", u, opts.StallTimeout)
	watchdog := time.AfterFunc(opts.StallTimeout, func() { cancel(stall) })
	defer watchdog.Stop()
	st, fetched, n, err := fetchWith(ctx, opts, eco, cached, prev, conditional, u, func() { watchdog.Reset(opts.StallTimeout) })
	if err != nil && context.Cause(ctx) == stall {
		return st, fetched, n, stall
	}
	return st, fetched, n, err
}

// fetchWith is fetch; alive is called whenever bytes arrive.
func fetchWith(ctx context.Context, opts Options, eco, cached string, prev archiveState, conditional bool, u string, alive func()) (archiveState, bool, int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return archiveState{}, false, 0, fmt.Errorf("update: %s: %w", u, err)
	}
	if conditional {
		if prev.ETag != "" {
			req.Header.Set("If-None-Match", prev.ETag)
		}
		if prev.LastModified != "" {
			req.Header.Set("If-Modified-Since", prev.LastModified)
		}
	}
	resp, err := opts.HTTPClient.Do(req)
	if err != nil {
		return archiveState{}, false, 0, fmt.Errorf("update: %s: %w", u, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotModified && conditional:
		return prev, false, 0, nil
	case resp.StatusCode == http.StatusNotFound:
		return archiveState{}, false, 0, fmt.Errorf("update: %s: %w", u, errMissing)
	case resp.StatusCode != http.StatusOK:
		return archiveState{}, false, 0, fmt.Errorf("update: %s: %s", u, resp.Status)
	}

	dir := filepath.Dir(cached)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return archiveState{}, false, 0, fmt.Errorf("update: %s: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, ".all.zip.tmp-*")
	if err != nil {
		return archiveState{}, false, 0, fmt.Errorf("update: %s: %w", dir, err)
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			os.Remove(tmp)
		}
	}()
	h := sha256.New()
	var w io.Writer = io.MultiWriter(f, h)
	if opts.Progress != nil {
		bar := progressbar.NewOptions64(resp.ContentLength,
			progressbar.OptionSetWriter(opts.Progress),
			progressbar.OptionSetDescription(eco),
			progressbar.OptionShowBytes(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(opts.Progress) }),
		)
		defer bar.Finish()
		w = io.MultiWriter(w, bar)
	}
	alive()
	n, err := io.Copy(w, io.LimitReader(aliveReader{resp.Body, alive}, opts.MaxDownload+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return archiveState{}, false, n, fmt.Errorf("update: downloading %s: %w", u, err)
	}
	if n > opts.MaxDownload {
		return archiveState{}, false, n, fmt.Errorf("update: %s: %w: larger than %d bytes", u, osv.ErrLimit, opts.MaxDownload)
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return archiveState{}, false, n, fmt.Errorf("update: %s: truncated download: %d of %d bytes", u, n, resp.ContentLength)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	want, err := publishedDigest(ctx, opts.HTTPClient, u+".sha256")
	if err != nil {
		return archiveState{}, false, n, err
	}
	if want != "" && want != sum {
		return archiveState{}, false, n, fmt.Errorf("update: %s: %w: got sha256 %s, mirror publishes %s", u, ErrDigest, sum, want)
	}
	if _, err := osv.VerifyZip(ctx, tmp, opts.Limits); err != nil {
		return archiveState{}, false, n, fmt.Errorf("update: %s: %w", u, err)
	}
	if err := os.Rename(tmp, cached); err != nil {
		return archiveState{}, false, n, fmt.Errorf("update: %s: %w", cached, err)
	}
	ok = true
	return archiveState{
		URL:          u,
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
		SHA256:       sum,
		Fetched:      time.Now().UTC(),
	}, true, n, nil
}

// publishedDigest fetches the digest file of an archive: its first field
// is the lower- or upper-case hex SHA-256 (as sha256sum writes it). A
// missing file (404) means the mirror publishes no digest: "" and no error.
func publishedDigest(ctx context.Context, c *http.Client, u string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", fmt.Errorf("update: %s: %w", u, err)
	}
	resp, err := c.Do(req)
	if err != nil {
		return "", fmt.Errorf("update: %s: %w", u, err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound, http.StatusForbidden:
		// The public GCS bucket answers 403 for objects that do not exist.
		return "", nil
	default:
		return "", fmt.Errorf("update: %s: %s", u, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if err != nil {
		return "", fmt.Errorf("update: %s: %w", u, err)
	}
	fields := strings.Fields(string(data))
	if len(fields) == 0 {
		return "", fmt.Errorf("update: %s: empty digest file", u)
	}
	d := strings.ToLower(strings.TrimPrefix(fields[0], "sha256:"))
	if _, err := hex.DecodeString(d); err != nil || len(d) != 64 {
		return "", fmt.Errorf("update: %s: not a SHA-256 digest: %q", u, fields[0])
	}
	return d, nil
}

func fileSHA256(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Stale reports whether the database at dbPath should be updated before a
// scan: it is missing, unreadable, of another schema, or was built more
// than maxAge before now. The error says why a present database is
// unusable (nil when it is merely old or missing), so that an offline scan
// can warn and go on with an old database.
func Stale(dbPath string, maxAge time.Duration, now time.Time) (bool, error) {
	if _, err := os.Stat(dbPath); errors.Is(err, os.ErrNotExist) {
		return true, nil
	}
	s, err := store.Open(dbPath)
	if err != nil {
		return true, err
	}
	built := s.Metadata().BuiltAt
	s.Close()
	return now.Sub(built) > maxAge, nil
}

// Held returns the OSV archive names whose advisories the database at
// dbPath holds: the base ecosystem ("Debian" for "Debian:12") of every
// ecosystem it has packages of, and the names of the archives it was
// built from.
func Held(dbPath string) (map[string]bool, error) {
	s, err := store.Open(dbPath)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	meta := s.Metadata()
	held := map[string]bool{}
	for eco, n := range meta.Ecosystems {
		if n > 0 {
			held[store.BaseEcosystem(eco)] = true
		}
	}
	for _, src := range meta.Sources {
		held[src.Name] = true
	}
	return held, nil
}

// Archives returns the archives the last update of the database at dbPath
// downloaded (or found unchanged), sorted; nil when it was never updated
// from a mirror.
func Archives(dbPath string) []string {
	st, err := loadState(StatePath(dbPath))
	if err != nil {
		return nil
	}
	out := make([]string, 0, len(st.Archives))
	for eco := range st.Archives {
		out = append(out, eco)
	}
	slices.Sort(out)
	return out
}

// RecentlyMissing returns the archives the mirror reported missing (404)
// less than maxAge before now.
func RecentlyMissing(dbPath string, maxAge time.Duration, now time.Time) map[string]bool {
	st, err := loadState(StatePath(dbPath))
	out := map[string]bool{}
	if err != nil {
		return out
	}
	for eco, at := range st.Missing {
		if now.Sub(at) < maxAge {
			out[eco] = true
		}
	}
	return out
}

// aliveReader calls alive after every read that returned bytes.
type aliveReader struct {
	r     io.Reader
	alive func()
}

func (a aliveReader) Read(p []byte) (int, error) {
	n, err := a.r.Read(p)
	if n > 0 {
		a.alive()
	}
	return n, err
}
