// Package cocoapods holds the analyzer for CocoaPods packages: Podfile.lock (for fs and repo targets).
package cocoapods

import (
	"github.com/trawlsec/trawl/internal/analyze/lang/lockfile"
	"github.com/trawlsec/trawl/internal/parse/cocoapods"
	"github.com/trawlsec/trawl/pkg/model"
)

// CocoaPods reads Podfile.lock (lockfile analyzer).
type CocoaPods struct{ *lockfile.Analyzer }

// NewCocoaPods returns the Podfile.lock analyzer.
func NewCocoaPods() *CocoaPods {
	return &CocoaPods{lockfile.New("cocoapods", 1, model.TypeCocoaPods, func(path string) bool { return lockfile.Base(path) == "Podfile.lock" }, cocoapods.Parse)}
}
