// Package cache stores per-layer analysis results, keyed by the layer's
// digest and everything else that changes the result (analyzer versions,
// walk options, secret rules). A layer shared by many images is analysed
// once. Entries are the wire form of pkg/inventory (versioned JSON),
// zstd-compressed; an entry that cannot be decoded, or is of another
// schema version, is treated as a miss and deleted, never as a failure or
// misread. The file cache opens its database for each read or write only,
// so concurrent scans sharing a cache directory share its entries. The
// Redis cache (redis.go) stores the same bytes, one key per layer, and
// treats a server it cannot reach as a miss.
package cache

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/klauspost/compress/zstd"
	bolt "go.etcd.io/bbolt"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/boltsafe"
	"github.com/trawlsec/trawl/pkg/inventory"
)

// formatVersion changes whenever the encoding of entries changes (1: gob;
// 2: pkg/inventory JSON, zstd-compressed).
const formatVersion = 2

// Cache stores layer results.
type Cache interface {
	// Get returns the cached result for key, or ok=false.
	Get(ctx context.Context, key string) (r *analyze.LayerResult, ok bool, err error)
	// Put stores a result.
	Put(ctx context.Context, key string, r *analyze.LayerResult) error
	// Close releases the cache.
	Close() error
}

// Key derives a cache key from a layer digest, the analyzers (names and
// versions) and any extra inputs that change the result (walk options,
// secret configuration), in a stable order.
func Key(layerDigest string, analyzers []analyze.Analyzer, extra ...string) string {
	names := make([]string, 0, len(analyzers))
	for _, a := range analyzers {
		names = append(names, a.Name()+"@"+strconv.Itoa(a.Version()))
	}
	sort.Strings(names)
	h := sha256.New()
	fmt.Fprintf(h, "trawl-cache/%d\n%s\n", formatVersion, layerDigest)
	for _, n := range names {
		fmt.Fprintln(h, n)
	}
	for _, e := range extra {
		fmt.Fprintln(h, len(e), e)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

var (
	zenc, _ = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1))
	zdec, _ = zstd.NewReader(nil, zstd.WithDecoderConcurrency(0), zstd.WithDecoderMaxMemory(maxEntry))
)

// maxEntry caps the decoded size of one entry.
const maxEntry = 1 << 30

func encode(r *analyze.LayerResult) ([]byte, error) {
	b, err := inventory.EncodeLayer(r)
	if err != nil {
		return nil, err
	}
	return zenc.EncodeAll(b, make([]byte, 0, len(b)/4)), nil
}

func decode(b []byte) (*analyze.LayerResult, error) {
	raw, err := zdec.DecodeAll(b, nil)
	if err != nil {
		return nil, err
	}
	return inventory.DecodeLayer(raw)
}

// Memory is an in-process cache, used by fs and rootfs scans and in tests.
type Memory struct {
	mu sync.Mutex
	m  map[string][]byte
}

// NewMemory returns an empty in-process cache.
func NewMemory() *Memory { return &Memory{m: map[string][]byte{}} }

// Get implements Cache.
func (c *Memory) Get(_ context.Context, key string) (*analyze.LayerResult, bool, error) {
	c.mu.Lock()
	b, ok := c.m[key]
	c.mu.Unlock()
	if !ok {
		return nil, false, nil
	}
	r, err := decode(b)
	if err != nil {
		return nil, false, nil
	}
	return r, true, nil
}

// Put implements Cache.
func (c *Memory) Put(_ context.Context, key string, r *analyze.LayerResult) error {
	b, err := encode(r)
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.m[key] = b
	c.mu.Unlock()
	return nil
}

// Close implements Cache.
func (c *Memory) Close() error { return nil }

var bucket = []byte("layer")

// FS is a bbolt file cache under a directory. It holds the database open
// only while it reads (a shared lock: concurrent scans read at once) or
// writes (an exclusive lock for one short transaction), so scans that share
// a cache directory share its entries instead of locking each other out.
type FS struct {
	path   string
	opts   *bolt.Options
	logger *slog.Logger
	// damaged is set once a read or write found the file damaged (see
	// boltsafe.Guard): from then on the cache is bypassed, and Close
	// removes the file so that the next OpenFS starts a new one.
	damaged  atomic.Bool
	warnOnce sync.Once
}

// FileName is the cache database's name inside the scan cache directory.
const FileName = "layers.db"

// OpenFS opens (or creates) the file cache in dir. A damaged cache file
// (boltsafe.ErrDamaged: truncated, overwritten, not a bbolt file) is
// removed and replaced, with a warning naming it: it is only a cache. Any
// other error (a cache held by another trawl process, permission denied,
// a path that is not a regular file, a full disk) is returned and the
// file left alone; callers may then scan without a cache.
func OpenFS(dir string, logger *slog.Logger) (*FS, error) {
	return openFS(dir, logger, nil)
}

// openFS is OpenFS with bbolt's OpenFile hook (tests make writes fail
// with it).
func openFS(dir string, logger *slog.Logger, openFile func(string, int, os.FileMode) (*os.File, error)) (*FS, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating cache directory %s: %w", dir, err)
	}
	p := filepath.Join(dir, FileName)
	opts := &bolt.Options{Timeout: lockTimeout, OpenFile: openFile}
	db, err := openInit(p, opts)
	if errors.Is(err, boltsafe.ErrDamaged) {
		// Check reads the file before bbolt locks it: should another
		// trawl process have been committing at that very moment, look
		// again before removing anything.
		db, err = openInit(p, opts)
	}
	if errors.Is(err, boltsafe.ErrDamaged) {
		logger.Warn("the scan cache is damaged; replacing it", "path", p, "reason", boltsafe.Why(err))
		if rmErr := os.Remove(p); rmErr != nil {
			return nil, fmt.Errorf("removing damaged scan cache %s: %w", p, rmErr)
		}
		db, err = openInit(p, opts)
	}
	if err != nil {
		return nil, fmt.Errorf("opening scan cache %s: %w", p, err)
	}
	if err := db.Close(); err != nil {
		return nil, fmt.Errorf("opening scan cache %s: %w", p, err)
	}
	return &FS{path: p, opts: opts, logger: logger}, nil
}

// lockTimeout bounds the wait for another process's transaction; the
// cache holds its lock for one short transaction only. Tests shorten it.
var lockTimeout = 10 * time.Second

// with opens the database (read-only: a shared lock), runs fn in a
// guarded transaction and closes it again.
func (c *FS) with(readOnly bool, fn func(tx *bolt.Tx) error) error {
	opts := *c.opts
	opts.ReadOnly = readOnly
	mode := os.FileMode(0o600)
	db, err := boltsafe.Open(c.path, mode, &opts)
	if err != nil {
		return err
	}
	err = boltsafe.Guard(func() error {
		if readOnly {
			return db.View(func(tx *bolt.Tx) error {
				if tx.Bucket(bucket) == nil {
					return errNoBucket
				}
				return fn(tx)
			})
		}
		return db.Update(func(tx *bolt.Tx) error {
			if _, err := tx.CreateBucketIfNotExists(bucket); err != nil {
				return err
			}
			return fn(tx)
		})
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	return err
}

// errNoBucket: a cache file without its bucket (another process replaced
// it a moment ago): a miss.
var errNoBucket = errors.New("scan cache has no layer bucket")

// openInit opens the cache file and makes sure it has its bucket.
func openInit(p string, opts *bolt.Options) (*bolt.DB, error) {
	db, err := boltsafe.Open(p, 0o600, opts)
	if err != nil {
		return nil, err
	}
	has := false
	err = boltsafe.Guard(func() error {
		return db.View(func(tx *bolt.Tx) error { has = tx.Bucket(bucket) != nil; return nil })
	})
	if err == nil && !has {
		err = boltsafe.Guard(func() error {
			return db.Update(func(tx *bolt.Tx) error {
				_, err := tx.CreateBucketIfNotExists(bucket)
				return err
			})
		})
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// setDamaged records that the file is damaged (err wraps
// boltsafe.ErrDamaged) and warns once.
func (c *FS) setDamaged(err error) {
	c.damaged.Store(true)
	c.warnOnce.Do(func() {
		c.logger.Warn("the scan cache is damaged; not using it for the rest of this scan, it will be replaced", "path", c.path, "reason", boltsafe.Why(err))
	})
}

// Get implements Cache. A damaged cache is a miss.
func (c *FS) Get(ctx context.Context, key string) (*analyze.LayerResult, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	if c.damaged.Load() {
		return nil, false, nil
	}
	var b []byte
	if err := c.with(true, func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucket).Get([]byte(key)); v != nil {
			b = bytes.Clone(v)
		}
		return nil
	}); err != nil {
		if errors.Is(err, errNoBucket) || errors.Is(err, os.ErrNotExist) {
			return nil, false, nil
		}
		if errors.Is(err, boltsafe.ErrDamaged) {
			c.setDamaged(err)
			return nil, false, nil
		}
		return nil, false, fmt.Errorf("reading scan cache %s: %w", c.path, err)
	}
	if b == nil {
		return nil, false, nil
	}
	r, err := decode(b)
	if err != nil {
		c.logger.Warn("discarding corrupt scan cache entry", "key", key, "err", err)
		err := c.with(false, func(tx *bolt.Tx) error { return tx.Bucket(bucket).Delete([]byte(key)) })
		if errors.Is(err, boltsafe.ErrDamaged) {
			c.setDamaged(err)
		}
		return nil, false, nil
	}
	return r, true, nil
}

// Put implements Cache. On a damaged cache it does nothing; other errors
// (a full disk) are returned naming the file.
func (c *FS) Put(ctx context.Context, key string, r *analyze.LayerResult) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if c.damaged.Load() {
		return nil
	}
	b, err := encode(r)
	if err != nil {
		return fmt.Errorf("encoding layer result: %w", err)
	}
	err = c.with(false, func(tx *bolt.Tx) error { return tx.Bucket(bucket).Put([]byte(key), b) })
	if errors.Is(err, boltsafe.ErrDamaged) {
		c.setDamaged(err)
		return nil
	}
	if err != nil {
		// "writing scan cache PATH: no space left on device", not the
		// path twice.
		var pe *fs.PathError
		if errors.As(err, &pe) && pe.Path == c.path {
			err = pe.Err
		}
		return fmt.Errorf("writing scan cache %s: %w", c.path, err)
	}
	return nil
}

// Close implements Cache. A cache found damaged is removed, so that the
// next OpenFS starts afresh.
func (c *FS) Close() error {
	if c.damaged.Load() {
		if err := os.Remove(c.path); err != nil && !errors.Is(err, os.ErrNotExist) {
			c.logger.Warn("could not remove the damaged scan cache", "path", c.path, "err", err)
		}
	}
	return nil
}

// Clear removes the file cache in dir.
func Clear(dir string) error {
	p := filepath.Join(dir, FileName)
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("removing scan cache %s: %w", p, err)
	}
	return nil
}
