package store

import (
	"context"
	"sort"

	"github.com/trawlsec/trawl/internal/vulndb/osv"
)

// Contents is what Write puts in a database; build fills it.
type Contents struct {
	// Packages maps (ecosystem, name) to its affected entries. Names are
	// normalised by Write; entries are sorted by id then source.
	Packages map[PackageKey][]Entry
	// Vulns maps an id to its details; Affected is not stored.
	Vulns map[string]*osv.Vulnerability
	// Meta is completed by Write (schema version, counts).
	Meta Metadata
}

// PackageKey names a package in an ecosystem.
type PackageKey struct {
	Ecosystem string
	Name      string
}

// NewContents returns empty Contents.
func NewContents() *Contents {
	return &Contents{Packages: map[PackageKey][]Entry{}, Vulns: map[string]*osv.Vulnerability{}}
}

// Write creates a new database file at path (truncating any file there)
// holding c. It does not replace files atomically: build writes to a
// temporary name and renames. It is a Builder fed with c's packages in
// key order; a streaming build uses a Builder directly.
func Write(ctx context.Context, path string, c *Contents) error {
	b, err := NewBuilder(path, BuilderOptions{})
	if err != nil {
		return err
	}
	defer b.Close()
	keys := make([]PackageKey, 0, len(c.Packages))
	for k := range c.Packages {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].Ecosystem != keys[j].Ecosystem {
			return keys[i].Ecosystem < keys[j].Ecosystem
		}
		return keys[i].Name < keys[j].Name
	})
	for _, k := range keys {
		if err := ctx.Err(); err != nil {
			return err
		}
		for _, e := range c.Packages[k] {
			if err := b.AddEntry(k, e); err != nil {
				return err
			}
		}
	}
	for _, v := range c.Vulns {
		if err := b.AddDetails(v); err != nil {
			return err
		}
	}
	if err := b.Finish(ctx, c.Meta); err != nil {
		return err
	}
	return b.Close()
}
