package update

import (
	"slices"
	"testing"

	"github.com/trawlsec/trawl/internal/match"
	"github.com/trawlsec/trawl/internal/version"
	"github.com/trawlsec/trawl/internal/vulndb/store"
	"github.com/trawlsec/trawl/pkg/model"
)

// TestDefaultEcosystemsCoverMatcher checks that every ecosystem the matcher
// looks packages up in (each package type's, each OS family's) is one the
// default update downloads: a type matched in an ecosystem missing here
// (Julia was) is found and matched but never has advisories in a default DB.
func TestDefaultEcosystemsCoverMatcher(t *testing.T) {
	defaults := DefaultEcosystems()
	for _, r := range model.PackageTypes() {
		eco := match.EcosystemForType(r.Type)
		if eco != r.Ecosystem {
			t.Errorf("%s: match.EcosystemForType = %q, table says %q", r.Type, eco, r.Ecosystem)
		}
		if eco == "" {
			continue
		}
		if !slices.Contains(defaults, r.Archive) {
			t.Errorf("%s: matched in %q, whose archive %q is not in DefaultEcosystems()", r.Type, eco, r.Archive)
		}
		if got := store.BaseEcosystem(eco); got != r.Archive {
			t.Errorf("%s: ecosystem %q is stored under archive %q, table says %q", r.Type, eco, got, r.Archive)
		}
		if _, err := version.ForEcosystem(eco); err != nil {
			t.Errorf("%s: no version comparator for %q: %v", r.Type, eco, err)
		}
	}
	for _, f := range model.OSFamilies() {
		if f.Archive == "" {
			continue
		}
		// A release number every family's naming accepts.
		ecos := store.OSEcosystems(f.Family, "15.4")
		if len(ecos) == 0 {
			t.Errorf("%s: archive %q, but the store names no ecosystem for the family", f.Family, f.Archive)
			continue
		}
		if got := store.BaseEcosystem(ecos[0]); got != f.Archive {
			t.Errorf("%s: matched in %q (archive %q), table says archive %q", f.Family, ecos[0], got, f.Archive)
		}
		if !slices.Contains(defaults, f.Archive) {
			t.Errorf("%s: archive %q is not in DefaultEcosystems()", f.Family, f.Archive)
		}
		if _, err := version.ForEcosystem(ecos[0]); err != nil {
			t.Errorf("%s: no version comparator for %q: %v", f.Family, ecos[0], err)
		}
	}
}

// TestDefaultEcosystemsList pins the list and its order: the state file
// and the DB metadata compare against it, and users read it in the docs.
func TestDefaultEcosystemsList(t *testing.T) {
	want := []string{
		"Go", "PyPI", "npm", "crates.io", "Maven", "NuGet", "RubyGems", "Packagist",
		"Pub", "Hex", "SwiftURL", "ConanCenter", "Julia",
		"Alpine", "Debian", "Ubuntu", "Wolfi", "Chainguard",
		"Rocky Linux", "AlmaLinux", "Red Hat", "SUSE", "openSUSE",
	}
	if got := DefaultEcosystems(); !slices.Equal(got, want) {
		t.Errorf("DefaultEcosystems() = %q\nwant %q", got, want)
	}
}
