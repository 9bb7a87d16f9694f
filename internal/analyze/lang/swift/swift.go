// Package swift holds the analyzer for Swift packages: the Swift Package Manager's Package.resolved (for fs and repo targets).
package swift

import (
	"github.com/trawlsec/trawl/internal/analyze/lang/lockfile"
	"github.com/trawlsec/trawl/internal/parse/swift"
	"github.com/trawlsec/trawl/pkg/model"
)

// Swift reads Package.resolved (lockfile analyzer).
type Swift struct{ *lockfile.Analyzer }

// NewSwift returns the Package.resolved analyzer.
func NewSwift() *Swift {
	return &Swift{lockfile.New("swift", 1, model.TypeSwift, func(path string) bool { return lockfile.Base(path) == "Package.resolved" }, swift.Parse)}
}
