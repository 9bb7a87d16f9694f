package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/apply"
	"github.com/trawlsec/trawl/internal/cache"
	"github.com/trawlsec/trawl/pkg/inventory"
	"github.com/trawlsec/trawl/pkg/model"
)

// Remote is a trawl server as a scan sees it (--server): the layer cache
// analysis reads and fills, and detection.
type Remote interface {
	// LayerCache is the server's layer cache. Get reports a layer the
	// server holds as present (with an empty result: its content stays on
	// the server); Put uploads a layer analysed here.
	LayerCache() cache.Cache
	// Expect is told the cache keys of an image's layers before any is
	// read ("" for a layer that is not cached), so that one request finds
	// those the server lacks.
	Expect(ctx context.Context, keys []string) error
	// Detect sends the analysis and returns the server's report, before
	// the local filters (ignore file, VEX) are applied.
	Detect(ctx context.Context, o *Options, a *Analysis) (*model.Report, error)
}

// LayerRef names one image layer and the cache key of its analysis.
type LayerRef struct {
	Key   string
	Layer model.Layer
}

// ErrLayerMissing is returned by Rebuild when a layer is not in the cache.
var ErrLayerMissing = errors.New("layer not in the cache")

// Rebuild is the server's half of an image analysis: the layers' results
// from the cache, merged as Analyze merges them, and the image config's
// parts. It returns ErrLayerMissing (wrapped, naming the key) when a layer
// was never uploaded.
func Rebuild(ctx context.Context, c cache.Cache, layers []LayerRef, parts *inventory.Inventory) (*inventory.Inventory, error) {
	results := make([]*analyze.LayerResult, len(layers))
	for i, l := range layers {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r, ok, err := c.Get(ctx, l.Key)
		if err != nil {
			return nil, fmt.Errorf("layer %s: %w", l.Key, err)
		}
		if !ok {
			return nil, fmt.Errorf("layer %s (%s): %w", l.Key, l.Layer.DiffID, ErrLayerMissing)
		}
		r.Layer = l.Layer
		results[i] = r
	}
	inv := apply.Apply(results)
	addConfigParts(inv, parts)
	return inv, nil
}

// addConfigParts adds what the image config holds to an image's
// inventory.
func addConfigParts(inv *inventory.Inventory, parts *inventory.Inventory) {
	if parts == nil {
		return
	}
	inv.ConfigFiles = append(inv.ConfigFiles, parts.ConfigFiles...)
	if parts.ConfigSecrets != nil {
		inv.ConfigSecrets = parts.ConfigSecrets
	}
}
