package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

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

// remoteAttempts bounds the analyses of one --server scan: a scan the
// server answers with missing layers is analysed (those layers only) and
// sent again, at most this many times in all.
const remoteAttempts = 3

// ErrLayerMissing is returned by Rebuild when a layer is not in the cache.
var ErrLayerMissing = errors.New("layer not in the cache")

// MissingLayersError is Rebuild's error when layers are not in the cache:
// it names every one of them (a client re-uploads them), and is
// ErrLayerMissing.
type MissingLayersError struct {
	Layers []LayerRef
}

func (e *MissingLayersError) Error() string {
	var b strings.Builder
	if len(e.Layers) > 1 {
		fmt.Fprintf(&b, "%d layers: ", len(e.Layers))
	}
	for i, l := range e.Layers {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "layer %s (%s)", l.Key, l.Layer.DiffID)
	}
	return b.String() + ": " + ErrLayerMissing.Error()
}

// Is makes errors.Is(err, ErrLayerMissing) true.
func (e *MissingLayersError) Is(target error) bool { return target == ErrLayerMissing }

// Rebuild is the server's half of an image analysis: the layers' results
// from the cache, merged as Analyze merges them, and the image config's
// parts. When layers are not in the cache it returns a
// *MissingLayersError naming them all, and never a partial inventory.
func Rebuild(ctx context.Context, c cache.Cache, layers []LayerRef, parts *inventory.Inventory) (*inventory.Inventory, error) {
	results := make([]*analyze.LayerResult, len(layers))
	var missing []LayerRef
	for i, l := range layers {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r, ok, err := c.Get(ctx, l.Key)
		if err != nil {
			return nil, fmt.Errorf("layer %s: %w", l.Key, err)
		}
		if !ok {
			missing = append(missing, l)
			continue
		}
		r.Layer = l.Layer
		results[i] = r
	}
	if len(missing) > 0 {
		return nil, &MissingLayersError{Layers: missing}
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
