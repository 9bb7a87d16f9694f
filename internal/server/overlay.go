package server

import (
	"container/list"
	"context"
	"sync"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/cache"
	"github.com/trawlsec/trawl/pkg/inventory"
)

// DefaultRecentBytes bounds the layers a server keeps in memory in front
// of its layer cache (Config.RecentBytes).
const DefaultRecentBytes = 128 << 20

// recent is the server's layer cache with a bounded in-memory copy of the
// layers it saw last (uploaded, or found by a missing-layers request) in
// front of it. The backend may lose entries at any time — a Redis server
// that is down drops writes, one that restarts comes back empty — while
// the layers a client was just told are present, or just uploaded, are
// the ones its scan request names a moment later: the copy serves those.
// Entries are the wire bytes (what the cache stores, so a result is never
// shared between scans), evicted least recently used beyond max bytes.
// A layer the backend lacks but the copy holds is written back to the
// backend when it is read, so a restarted Redis fills again.
type recent struct {
	backend cache.Cache
	max     int64

	mu    sync.Mutex
	size  int64
	lru   *list.List // of *recentEntry, most recent first
	byKey map[string]*list.Element
}

type recentEntry struct {
	key string
	b   []byte
}

func newRecent(backend cache.Cache, max int64) *recent {
	return &recent{backend: backend, max: max, lru: list.New(), byKey: map[string]*list.Element{}}
}

// Get reads the backend first, then the copy.
func (c *recent) Get(ctx context.Context, key string) (*analyze.LayerResult, bool, error) {
	r, ok, err := c.backend.Get(ctx, key)
	if err != nil {
		return nil, false, err
	}
	if ok {
		c.remember(key, r)
		return r, true, nil
	}
	b := c.lookup(key)
	if b == nil {
		return nil, false, nil
	}
	r, err = inventory.DecodeLayer(b)
	if err != nil { // not reached: the copy holds what EncodeLayer wrote
		return nil, false, nil
	}
	// The backend lost it (a Redis restart): write it back, best effort.
	_ = c.backend.Put(ctx, key, r)
	return r, true, nil
}

// Put keeps the result in memory and writes it to the backend.
func (c *recent) Put(ctx context.Context, key string, r *analyze.LayerResult) error {
	c.remember(key, r)
	return c.backend.Put(ctx, key, r)
}

// Close closes the backend.
func (c *recent) Close() error { return c.backend.Close() }

func (c *recent) lookup(key string) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[key]
	if !ok {
		return nil
	}
	c.lru.MoveToFront(e)
	return e.Value.(*recentEntry).b
}

// remember keeps r under key, evicting the least recently used entries
// beyond max bytes; a result larger than max is not kept. A key already
// kept is only marked used: entries are never replaced (putLayer stores
// a key once), so the copy is not re-encoded on every read.
func (c *recent) remember(key string, r *analyze.LayerResult) {
	if c.max <= 0 || c.lookup(key) != nil {
		return
	}
	b, err := inventory.EncodeLayer(r)
	if err != nil || int64(len(b)) > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[key]; ok {
		old := e.Value.(*recentEntry)
		c.size += int64(len(b)) - int64(len(old.b))
		old.b = b
		c.lru.MoveToFront(e)
	} else {
		c.byKey[key] = c.lru.PushFront(&recentEntry{key: key, b: b})
		c.size += int64(len(b))
	}
	for c.size > c.max {
		e := c.lru.Back()
		old := e.Value.(*recentEntry)
		c.lru.Remove(e)
		delete(c.byKey, old.key)
		c.size -= int64(len(old.b))
	}
}
