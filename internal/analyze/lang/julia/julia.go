// Package julia holds the analyzer for Julia packages: Pkg's Manifest.toml, also named JuliaManifest.toml or Manifest-v<major>.<minor>.toml (for fs and repo targets).
package julia

import (
	"strings"

	"github.com/trawlsec/trawl/internal/analyze/lang/lockfile"
	"github.com/trawlsec/trawl/internal/parse/julia"
	"github.com/trawlsec/trawl/pkg/model"
)

// Julia reads Manifest.toml (lockfile analyzer).
type Julia struct{ *lockfile.Analyzer }

// NewJulia returns the Manifest.toml analyzer.
func NewJulia() *Julia {
	return &Julia{lockfile.New("julia", 1, model.TypeJulia, func(path string) bool {
		b := lockfile.Base(path)
		return b == "Manifest.toml" || b == "JuliaManifest.toml" ||
			(strings.HasPrefix(b, "Manifest-v") || strings.HasPrefix(b, "JuliaManifest-v")) && strings.HasSuffix(b, ".toml")
	}, julia.Parse)}
}
