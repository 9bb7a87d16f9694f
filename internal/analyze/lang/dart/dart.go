// Package dart holds the analyzer for Dart and Flutter packages: pub's pubspec.lock (for fs and repo targets).
package dart

import (
	"github.com/trawlsec/trawl/internal/analyze/lang/lockfile"
	"github.com/trawlsec/trawl/internal/parse/dart"
	"github.com/trawlsec/trawl/pkg/model"
)

// Pub reads pubspec.lock (lockfile analyzer).
type Pub struct{ *lockfile.Analyzer }

// NewPub returns the pubspec.lock analyzer.
func NewPub() *Pub {
	return &Pub{lockfile.New("pubspec-lock", 1, model.TypePub, func(path string) bool { return lockfile.Base(path) == "pubspec.lock" }, dart.Parse)}
}
