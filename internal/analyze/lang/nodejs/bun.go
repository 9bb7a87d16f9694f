package nodejs

import (
	"github.com/trawlsec/trawl/internal/parse/bun"
	"github.com/trawlsec/trawl/pkg/model"
)

// Bun reads bun.lock, Bun's text lockfile (lockfile analyzer). The binary
// bun.lockb is not read.
type Bun struct{ lockfile }

// NewBun returns the bun.lock analyzer.
func NewBun() *Bun {
	return &Bun{lockfile{
		name: "bun", version: 1, typ: model.TypeBun,
		files: []string{"bun.lock"},
		parse: bun.Parse,
	}}
}
