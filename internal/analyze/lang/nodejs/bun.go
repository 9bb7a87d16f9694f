package nodejs

import (
	"github.com/trawlsec/trawl/internal/analyze/lang/lockfile"
	"github.com/trawlsec/trawl/internal/parse/bun"
	"github.com/trawlsec/trawl/pkg/model"
)

// Bun reads bun.lock, Bun's text lockfile (lockfile analyzer). The binary
// bun.lockb is not read.
type Bun struct{ *lockfile.Analyzer }

// NewBun returns the bun.lock analyzer.
func NewBun() *Bun {
	return &Bun{lockfile.New("bun", 1, model.TypeBun, named("bun.lock"), bun.Parse)}
}
