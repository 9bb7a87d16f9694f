package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	bolt "go.etcd.io/bbolt"

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
// temporary name and renames.
func Write(ctx context.Context, path string, c *Contents) (err error) {
	db, err := bolt.Open(path, 0o644, &bolt.Options{NoSync: true, NoFreelistSync: true})
	if err != nil {
		return fmt.Errorf("vulnerability database %s: %w", path, err)
	}
	defer func() {
		if cerr := db.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("vulnerability database %s: %w", path, cerr)
		}
	}()
	if err := db.Update(func(tx *bolt.Tx) error { return fill(ctx, tx, c) }); err != nil {
		return fmt.Errorf("vulnerability database %s: %w", path, err)
	}
	if err := db.Sync(); err != nil {
		return fmt.Errorf("vulnerability database %s: %w", path, err)
	}
	return nil
}

type kv struct{ k, v []byte }

func putSorted(tx *bolt.Tx, name []byte, items []kv) error {
	b, err := tx.CreateBucket(name)
	if err != nil {
		return err
	}
	b.FillPercent = 1.0 // keys arrive in order: pack pages full
	sort.Slice(items, func(i, j int) bool { return bytes.Compare(items[i].k, items[j].k) < 0 })
	for _, it := range items {
		if err := b.Put(it.k, it.v); err != nil {
			return err
		}
	}
	return nil
}

func fill(ctx context.Context, tx *bolt.Tx, c *Contents) error {
	meta := c.Meta
	meta.SchemaVersion = SchemaVersion
	meta.Ecosystems = map[string]int{}
	meta.Entries = 0

	// Merge keys that normalise to the same name.
	merged := map[string][]Entry{}
	for k, es := range c.Packages {
		key := string(pkgKey(k.Ecosystem, k.Name))
		merged[key] = append(merged[key], es...)
	}
	pkgs := make([]kv, 0, len(merged))
	for key, es := range merged {
		if err := ctx.Err(); err != nil {
			return err
		}
		sort.SliceStable(es, func(i, j int) bool {
			if es[i].ID != es[j].ID {
				return es[i].ID < es[j].ID
			}
			return es[i].Source < es[j].Source
		})
		v, err := encodeEntries(es)
		if err != nil {
			return fmt.Errorf("package %q: %w", strings.ReplaceAll(key, "\x00", "/"), err)
		}
		pkgs = append(pkgs, kv{[]byte(key), v})
		meta.Ecosystems[key[:strings.IndexByte(key, 0)]]++
		meta.Entries += len(es)
	}
	meta.Packages = len(pkgs)
	if err := putSorted(tx, bucketPkg, pkgs); err != nil {
		return err
	}

	vulns := make([]kv, 0, len(c.Vulns))
	aliases := map[string][]string{}
	for id, v := range c.Vulns {
		if err := ctx.Err(); err != nil {
			return err
		}
		raw, err := encodeVuln(v)
		if err != nil {
			return fmt.Errorf("vulnerability %s: %w", id, err)
		}
		vulns = append(vulns, kv{[]byte(id), raw})
		for _, a := range v.Aliases {
			if a != id {
				aliases[a] = append(aliases[a], id)
			}
		}
	}
	meta.Vulnerabilities = len(vulns)
	if err := putSorted(tx, bucketVuln, vulns); err != nil {
		return err
	}

	al := make([]kv, 0, len(aliases))
	for a, ids := range aliases {
		sort.Strings(ids)
		raw, err := json.Marshal(ids)
		if err != nil {
			return err
		}
		al = append(al, kv{[]byte(a), raw})
	}
	if err := putSorted(tx, bucketAlias, al); err != nil {
		return err
	}

	raw, err := json.Marshal(&meta)
	if err != nil {
		return err
	}
	return putSorted(tx, bucketMeta, []kv{{keyMeta, raw}})
}
