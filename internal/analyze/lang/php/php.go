// Package php holds the analyzers for Composer packages: composer.lock
// (for fs and repo targets) and installed.json (vendor/composer/), the list of
// installed packages (for image and rootfs targets).
package php

import (
	"strings"

	"github.com/trawlsec/trawl/internal/analyze/lang/lockfile"
	"github.com/trawlsec/trawl/internal/parse/php"
	"github.com/trawlsec/trawl/pkg/model"
)

// Composer reads composer.lock outside vendor folders (lockfile analyzer).
// Relationship stays
// "unknown": telling direct dependencies apart needs composer.json beside
// the lockfile (Join, with php.Direct).
type Composer struct{ *lockfile.Analyzer }

// NewComposer returns the composer.lock analyzer.
func NewComposer() *Composer {
	return &Composer{lockfile.New("composer", 1, model.TypeComposer,
		func(p string) bool {
			if p != "composer.lock" && !strings.HasSuffix(p, "/composer.lock") {
				return false
			}
			// Lockfiles shipped inside installed packages are not the project's.
			return !strings.HasPrefix(p, "vendor/") && !strings.Contains(p, "/vendor/")
		},
		php.ParseLockfile)}
}

// ComposerVendor reads Composer's installed.json (vendor/composer/installed.json;
// as in Trivy, any file of that name).
type ComposerVendor struct{ *lockfile.Analyzer }

// NewComposerVendor returns the installed Composer package analyzer.
func NewComposerVendor() *ComposerVendor {
	return &ComposerVendor{lockfile.New("composer-vendor", 2, model.TypeComposerVend,
		func(p string) bool {
			return p == "installed.json" || strings.HasSuffix(p, "/installed.json")
		},
		php.ParseInstalled)}
}
