package python

import (
	"strings"

	"github.com/trawlsec/trawl/internal/analyze/lang/lockfile"
	"github.com/trawlsec/trawl/internal/parse/python/pylock"
)

// TypePylock is the package type of pylock.toml package sets. The model
// has no constant for it (Trivy names the type "pylock").
const TypePylock = "pylock"

// Pylock reads PEP 751 lockfiles, pylock.toml and pylock.<name>.toml
// (lockfile analyzer).
type Pylock struct{ *lockfile.Analyzer }

// NewPylock returns the pylock.toml analyzer.
func NewPylock() *Pylock {
	return &Pylock{lockfile.New("pylock", 1, TypePylock,
		func(p string) bool {
			b := lockfile.Base(p)
			return b == "pylock.toml" || strings.HasPrefix(b, "pylock.") && strings.HasSuffix(b, ".toml") && len(b) > len("pylock..toml")
		},
		pylock.Parse)}
}
