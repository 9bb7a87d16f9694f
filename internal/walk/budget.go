package walk

import (
	"context"
	"sync"

	"golang.org/x/sync/semaphore"
)

// budget bounds the file content a Walker holds in memory for per-file
// analyzers: read and waiting for a worker, or being analysed. One budget
// serves every Tar, Dir and FS call of the Walker, so concurrent layers
// share it instead of each holding their own.
//
// A walk reserves a file's size before reading it and releases it once
// every analyzer is done with the content. Workers never wait on the
// budget, so whoever waits for it always waits for bytes that are being
// released.
type budget struct {
	sem  *semaphore.Weighted
	size int64

	mu sync.Mutex
	// held is what is reserved now; peak the most ever reserved at once
	// (read by tests).
	held, peak int64
}

func newBudget(size int64) *budget {
	return &budget{sem: semaphore.NewWeighted(size), size: size}
}

// acquire reserves n bytes and returns what it reserved, for release. A
// reservation is at least one byte and at most the whole budget: a file
// larger than the budget waits until nothing else is held, then goes
// alone. It fails only when ctx ends.
func (b *budget) acquire(ctx context.Context, n int64) (int64, error) {
	n = max(n, 1)
	n = min(n, b.size)
	if err := b.sem.Acquire(ctx, n); err != nil {
		return 0, err
	}
	b.mu.Lock()
	b.held += n
	b.peak = max(b.peak, b.held)
	b.mu.Unlock()
	return n, nil
}

// release returns n reserved bytes.
func (b *budget) release(n int64) {
	b.mu.Lock()
	b.held -= n
	b.mu.Unlock()
	b.sem.Release(n)
}
