// Package cache stores per-layer analysis results, keyed by the layer's
// digest and everything else that changes the result (analyzer versions,
// walk options, secret rules). A layer shared by many images is analysed
// once. Entries are gob-encoded; an entry that cannot be decoded is treated
// as a miss and deleted, never as a failure.
package cache

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/trawlsec/trawl/internal/analyze"
)

// formatVersion changes whenever the encoding of entries changes.
const formatVersion = 1

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

func encode(r *analyze.LayerResult) ([]byte, error) {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func decode(b []byte) (*analyze.LayerResult, error) {
	var r analyze.LayerResult
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&r); err != nil {
		return nil, err
	}
	return &r, nil
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

// FS is a bbolt file cache under a directory.
type FS struct {
	db     *bolt.DB
	logger *slog.Logger
}

// FileName is the cache database's name inside the scan cache directory.
const FileName = "layers.db"

// OpenFS opens (or creates) the file cache in dir. A file that is not a
// valid cache database is moved aside and replaced, with a warning. A cache
// held by another trawl process is reported as an error, which callers may
// treat as "scan without a cache".
func OpenFS(dir string, logger *slog.Logger) (*FS, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating cache directory %s: %w", dir, err)
	}
	p := filepath.Join(dir, FileName)
	db, err := bolt.Open(p, 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil && !errors.Is(err, bolterrors.ErrTimeout) {
		logger.Warn("scan cache is corrupt; starting a new one", "path", p, "err", err)
		if rmErr := os.Remove(p); rmErr != nil {
			return nil, fmt.Errorf("removing corrupt cache %s: %w", p, rmErr)
		}
		db, err = bolt.Open(p, 0o600, &bolt.Options{Timeout: 2 * time.Second})
	}
	if err != nil {
		return nil, fmt.Errorf("opening scan cache %s: %w", p, err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucket)
		return err
	}); err != nil {
		db.Close()
		return nil, fmt.Errorf("initialising scan cache %s: %w", p, err)
	}
	return &FS{db: db, logger: logger}, nil
}

// Get implements Cache.
func (c *FS) Get(ctx context.Context, key string) (*analyze.LayerResult, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	var b []byte
	if err := c.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucket).Get([]byte(key)); v != nil {
			b = bytes.Clone(v)
		}
		return nil
	}); err != nil {
		return nil, false, fmt.Errorf("reading scan cache: %w", err)
	}
	if b == nil {
		return nil, false, nil
	}
	r, err := decode(b)
	if err != nil {
		c.logger.Warn("discarding corrupt scan cache entry", "key", key, "err", err)
		_ = c.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucket).Delete([]byte(key)) })
		return nil, false, nil
	}
	return r, true, nil
}

// Put implements Cache.
func (c *FS) Put(ctx context.Context, key string, r *analyze.LayerResult) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b, err := encode(r)
	if err != nil {
		return fmt.Errorf("encoding layer result: %w", err)
	}
	if err := c.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucket).Put([]byte(key), b) }); err != nil {
		return fmt.Errorf("writing scan cache: %w", err)
	}
	return nil
}

// Close implements Cache.
func (c *FS) Close() error { return c.db.Close() }

// Clear removes the file cache in dir.
func Clear(dir string) error {
	p := filepath.Join(dir, FileName)
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("removing scan cache %s: %w", p, err)
	}
	return nil
}
