// Package elixir holds the analyzer for Elixir packages: Mix's mix.lock (for fs and repo targets).
package elixir

import (
	"github.com/trawlsec/trawl/internal/analyze/lang/lockfile"
	"github.com/trawlsec/trawl/internal/parse/elixir"
	"github.com/trawlsec/trawl/pkg/model"
)

// Mix reads mix.lock (lockfile analyzer).
type Mix struct{ *lockfile.Analyzer }

// NewMix returns the mix.lock analyzer.
func NewMix() *Mix {
	return &Mix{lockfile.New("mix-lock", 1, model.TypeHex, func(path string) bool { return lockfile.Base(path) == "mix.lock" }, elixir.Parse)}
}
