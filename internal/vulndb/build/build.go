// Package build turns OSV records (JSON or YAML files, folders, all.zip
// archives) and Alpine/Wolfi secdb documents into a trawl vulnerability
// database (see package store), written atomically.
package build

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/trawlsec/trawl/internal/vulndb/nvd"
	"github.com/trawlsec/trawl/internal/vulndb/osv"
	"github.com/trawlsec/trawl/internal/vulndb/secdb"
	"github.com/trawlsec/trawl/internal/vulndb/store"
)

// Source is one input of a build.
type Source struct {
	// Path is a record file, a folder or a zip archive (see osv.Walk).
	Path string
	// Name labels the source in the metadata and in store.Entry.Source;
	// empty means derived from Path (its base name, or the parent folder's
	// name for all.zip).
	Name string
	// Origin is recorded in the metadata; empty means the absolute Path.
	Origin string
	// SHA256 is recorded in the metadata when set (archives from update).
	SHA256 string
}

// Options tune a build. The zero value is usable.
type Options struct {
	Limits osv.Limits
	// Logger receives a warning per rejected record; nil discards them.
	Logger *slog.Logger
	// Now stamps Metadata.BuiltAt; nil means time.Now.
	Now func() time.Time
	// Builder bounds the memory of the build (sort buffers, transaction
	// size); the zero value is usable.
	Builder store.BuilderOptions
}

// Report is the outcome of a build.
type Report struct {
	Path     string
	Metadata store.Metadata
	Duration time.Duration
	// Size of the database file in bytes.
	Size int64
}

// Build builds a database at out from the given source paths. It is
// BuildSources with default names and origins.
func Build(ctx context.Context, sources []string, out string, logger *slog.Logger) (*Report, error) {
	srcs := make([]Source, len(sources))
	for i, s := range sources {
		srcs[i] = Source{Path: s}
	}
	return BuildSources(ctx, srcs, out, Options{Logger: logger})
}

// BuildSources reads every source and writes the database to out
// atomically: it is written to a temporary file in the same folder and
// renamed over out only when complete, so out is either the old database
// or the new one, never a partial file. A source that cannot be read at all
// (missing path, unreadable or oversized archive) fails the build; a
// malformed record only is rejected and counted (see store.SourceStats).
func BuildSources(ctx context.Context, sources []Source, out string, opts Options) (*Report, error) {
	start := time.Now()
	if len(sources) == 0 {
		return nil, errors.New("build: no sources")
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	var meta store.Metadata
	names := map[string]int{}
	err := writeAtomic(out, func(tmp string) error {
		b, err := store.NewBuilder(tmp, opts.Builder)
		if err != nil {
			return err
		}
		defer b.Close()
		for _, src := range sources {
			st, err := read(ctx, src, opts.Limits, b, logger)
			if err != nil {
				return err
			}
			names[st.Name]++
			if n := names[st.Name]; n > 1 {
				st.Name += "#" + strconv.Itoa(n)
			}
			meta.Sources = append(meta.Sources, st)
		}
		meta.BuiltAt = now().UTC()
		if err := b.Finish(ctx, meta); err != nil {
			return err
		}
		return b.Close()
	})
	if err != nil {
		return nil, err
	}
	s, err := store.Open(out)
	if err != nil {
		return nil, err
	}
	meta = s.Metadata()
	s.Close()
	fi, err := os.Stat(out)
	if err != nil {
		return nil, err
	}
	return &Report{Path: out, Metadata: meta, Duration: time.Since(start), Size: fi.Size()}, nil
}

// ReplaceTarget returns the path a database file at out may be atomically
// replaced at: symlinks are followed to their target, and anything that
// exists but is not a regular file is refused — renaming over it would
// replace it (as root, even a device such as /dev/null).
func ReplaceTarget(out string) (string, error) {
	if resolved, err := filepath.EvalSymlinks(out); err == nil {
		out = resolved
	}
	if fi, err := os.Lstat(out); err == nil && !fi.Mode().IsRegular() {
		return "", fmt.Errorf("database %s: exists and is not a regular file", out)
	}
	return out, nil
}

// WriteAtomic writes c to a temporary file next to out and renames it over
// out (or over a symlink's target). On failure out is untouched and the
// temporary file removed.
func WriteAtomic(ctx context.Context, out string, c *store.Contents) error {
	return writeAtomic(out, func(tmp string) error { return store.Write(ctx, tmp, c) })
}

// writeAtomic calls write with a temporary file next to out (or to a
// symlink's target) and renames it over out when write succeeds. On
// failure out is untouched and the temporary file removed.
func writeAtomic(out string, write func(tmp string) error) (err error) {
	out, err = ReplaceTarget(out)
	if err != nil {
		return err
	}
	dir := filepath.Dir(out)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("database folder %s: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(out)+".tmp-*")
	if err != nil {
		return fmt.Errorf("database %s: %w", out, err)
	}
	tmp := f.Name()
	f.Close()
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	if err := write(tmp); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		return fmt.Errorf("database %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, out); err != nil {
		return fmt.Errorf("database %s: %w", out, err)
	}
	if d, derr := os.Open(dir); derr == nil {
		d.Sync() // best effort: make the rename durable
		d.Close()
	}
	return nil
}

func sourceName(p string) string {
	p = filepath.Clean(p)
	base := filepath.Base(p)
	if strings.EqualFold(base, "all.zip") {
		return filepath.Base(filepath.Dir(p))
	}
	return base
}

func read(ctx context.Context, src Source, lim osv.Limits, b *store.Builder, logger *slog.Logger) (store.SourceStats, error) {
	st := store.SourceStats{Name: src.Name, Origin: src.Origin, SHA256: src.SHA256}
	if st.Name == "" {
		st.Name = sourceName(src.Path)
	}
	if st.Origin == "" {
		if abs, err := filepath.Abs(src.Path); err == nil {
			st.Origin = abs
		} else {
			st.Origin = src.Path
		}
	}
	var sawOSV, sawSecdb, sawNVD bool
	reject := func(file, reason string) {
		st.Rejected++
		if len(st.Rejections) < store.MaxRejections {
			st.Rejections = append(st.Rejections, store.Rejection{File: file, Reason: reason})
		}
		logger.Warn("rejected vulnerability record", "source", st.Name, "file", file, "reason", reason)
	}
	err := osv.Walk(ctx, src.Path, lim, func(f osv.File) error {
		st.Files++
		if f.Err != nil {
			st.Read++
			reject(f.Name, f.Err.Error())
			return nil
		}
		if secdb.Sniff(f.Data) {
			sawSecdb = true
			doc, err := secdb.Parse(f.Name, f.Data)
			if err != nil {
				st.Read++
				reject(f.Name, err.Error())
				return nil
			}
			recs, ds, err := doc.Records()
			if err != nil {
				st.Read++
				reject(f.Name, err.Error())
				return nil
			}
			st.Read += ds.Read
			st.Kept += ds.Kept
			st.Duplicate += ds.Duplicate
			st.NotAffected += ds.NotAffected
			st.Rejected += ds.Rejected
			for _, r := range ds.Reasons {
				if len(st.Rejections) < store.MaxRejections {
					st.Rejections = append(st.Rejections, store.Rejection{File: f.Name, Reason: r})
				}
				logger.Warn("rejected secdb entry", "source", st.Name, "file", f.Name, "reason", r)
			}
			for _, r := range recs {
				if err := b.Add(r, st.Name); err != nil {
					return err
				}
			}
			return nil
		}
		if nvd.Sniff(f.Data) {
			// CVSS data by CVE: details-only records that give findings
			// without a severity of their own one (never a match).
			sawNVD = true
			recs, ns, err := nvd.Parse(f.Name, f.Data)
			if err != nil {
				st.Read++
				reject(f.Name, err.Error())
				return nil
			}
			st.Read += ns.Read
			st.Kept += ns.Kept
			st.Rejected += ns.Rejected
			for _, r := range recs {
				if err := b.AddDetails(r); err != nil {
					return err
				}
			}
			return nil
		}
		sawOSV = true
		st.Read++
		v, err := osv.Decode(f.Name, f.Data)
		if err != nil {
			reject(f.Name, err.Error())
			return nil
		}
		if v.IsWithdrawn() {
			st.Withdrawn++
			return nil
		}
		st.Kept++
		return b.Add(v, st.Name)
	})
	if err != nil {
		return st, fmt.Errorf("build: source %s: %w", src.Path, err)
	}
	switch {
	case sawNVD && !sawOSV && !sawSecdb:
		st.Format = "nvd"
	case sawNVD:
		st.Format = "osv+nvd"
	case sawOSV && sawSecdb:
		st.Format = "osv+secdb"
	case sawSecdb:
		st.Format = "secdb"
	default:
		st.Format = "osv"
	}
	return st, nil
}
