// Package store is trawl's vulnerability database: one bbolt file laid out
// for the scan path.
//
// Layout (schema version SchemaVersion):
//
//	meta  "metadata"            → JSON Metadata
//	pkg   ecosystem \x00 name   → every affected entry of that package,
//	                              sorted by id (one Get per package), in
//	                              the binary encoding of codec.go
//	vuln  id                    → osv.Vulnerability without Affected: the
//	                              details, stored once per record (binary)
//	alias alias                 → JSON []string, the ids that list it
//
// The name in a pkg key is Normalize(ecosystem, name). The ecosystem is the
// OSV ecosystem string with its release suffix ("Alpine:v3.10", "Debian:12").
package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/trawlsec/trawl/internal/boltsafe"
	"github.com/trawlsec/trawl/internal/vulndb/osv"
)

// SchemaVersion is the layout version of the database file.
//
// Changelog:
//
//	1: first layout (meta, pkg, vuln, alias buckets; JSON values).
//	2: pkg and vuln values in a binary encoding (codec.go), which the
//	   matcher decodes several times faster than JSON; meta and alias
//	   stay JSON.
//	3: vuln values start with a format byte and are zstd-compressed
//	   when that is smaller (zstd.go).
const SchemaVersion = 3

// ErrSchema is returned by Open for a database of another schema version.
var ErrSchema = errors.New("trawl/store: unsupported database schema")

// ErrDamaged is wrapped by the errors of Open and of every read for a
// database file that is damaged (truncated, overwritten, not a bbolt
// file). It is boltsafe.ErrDamaged.
var ErrDamaged = boltsafe.ErrDamaged

// damagedError is a damaged database: one line naming the file, what is
// wrong and what to do.
type damagedError struct {
	path string
	err  error // wraps ErrDamaged
}

func (e *damagedError) Error() string {
	return fmt.Sprintf("vulnerability DB %s is damaged: %s; run 'trawl db update' or 'trawl db build'", e.path, boltsafe.Why(e.err))
}

func (e *damagedError) Unwrap() error { return e.err }

// view runs fn in a read transaction inside boltsafe.Guard: a fault or
// panic while reading a damaged file becomes a damagedError.
func (s *Store) view(fn func(tx *bolt.Tx) error) error {
	err := boltsafe.Guard(func() error { return s.db.View(fn) })
	if errors.Is(err, ErrDamaged) {
		return &damagedError{path: s.path, err: err}
	}
	return err
}

// Bucket names.
var (
	bucketMeta  = []byte("meta")
	bucketPkg   = []byte("pkg")
	bucketVuln  = []byte("vuln")
	bucketAlias = []byte("alias")
	keyMeta     = []byte("metadata")
)

// Entry is one affected entry of one vulnerability for one package.
type Entry struct {
	// ID is the vulnerability id; it is also the key of its details
	// (see Store.Details).
	ID string `json:"id"`
	// Source is the Name of the source (see SourceStats) it came from.
	Source string `json:"src,omitempty"`
	// Affected holds the package, ranges, versions, ecosystem_specific and
	// database_specific of the OSV affected entry.
	Affected osv.Affected `json:"affected"`
}

// Rejection says why one input record was rejected.
type Rejection struct {
	File   string `json:"file"`
	Reason string `json:"reason"`
}

// SourceStats describes one source of a database and what was made of it.
//
// Read counts input records: OSV files (or zip entries), and secdb
// entries (one per string in a secfixes list). Every read record ends up in
// exactly one of the other counters:
// Read = Kept + Rejected + Withdrawn + Duplicate + NotAffected.
type SourceStats struct {
	Name   string `json:"name"`
	Origin string `json:"origin"`
	// Format is "osv", "secdb", "nvd" or a combination ("osv+secdb").
	Format string `json:"format"`
	// Files is the number of files (or zip entries) read.
	Files int `json:"files"`
	Read  int `json:"read"`
	Kept  int `json:"kept"`
	// Rejected records were malformed; Rejections lists the first few.
	Rejected int `json:"rejected"`
	// Withdrawn records are dropped from the database.
	Withdrawn int `json:"withdrawn"`
	// Duplicate secdb entries were merged into a record already kept.
	Duplicate int `json:"duplicate,omitempty"`
	// NotAffected secdb entries (fixed version "0") produce no record.
	NotAffected int         `json:"not_affected,omitempty"`
	Rejections  []Rejection `json:"rejections,omitempty"`
	// SHA256 is the digest of the source archive, when it is one.
	SHA256 string `json:"sha256,omitempty"`
}

// MaxRejections caps SourceStats.Rejections.
const MaxRejections = 50

// Metadata describes a database.
type Metadata struct {
	SchemaVersion int           `json:"schema_version"`
	BuiltAt       time.Time     `json:"built_at"`
	Sources       []SourceStats `json:"sources"`
	// Ecosystems counts packages per ecosystem.
	Ecosystems map[string]int `json:"ecosystems"`
	// Vulnerabilities is the number of details records; Packages the
	// number of (ecosystem, name) keys; Entries the number of affected
	// entries over all packages.
	Vulnerabilities int `json:"vulnerabilities"`
	Packages        int `json:"packages"`
	Entries         int `json:"entries"`
}

// Store is an open, read-only database. It is safe for concurrent use.
type Store struct {
	db   *bolt.DB
	meta Metadata
	path string
}

// Open opens the database at path read-only. Several processes may hold it
// open at once; replacing the file (as build and update do, by rename)
// does not disturb an open Store, which keeps reading the old file.
//
// The file is checked before bbolt maps it (see boltsafe): a damaged file
// (an empty one included) gives an error wrapping ErrDamaged, a one-line
// message naming it and what to do, never a crash.
func Open(path string) (*Store, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("vulnerability database %s: %w", path, err)
	}
	db, err := boltsafe.Open(path, 0o444, &bolt.Options{ReadOnly: true, Timeout: 10 * time.Second})
	if errors.Is(err, ErrDamaged) {
		return nil, &damagedError{path: path, err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("vulnerability database %s: %w", path, err)
	}
	s := &Store{db: db, path: path}
	err = s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketMeta)
		if b == nil {
			return errors.New("no metadata bucket")
		}
		raw := b.Get(keyMeta)
		if raw == nil {
			return errors.New("no metadata record")
		}
		return json.Unmarshal(raw, &s.meta)
	})
	if err == nil && s.meta.SchemaVersion != SchemaVersion {
		err = fmt.Errorf("%w: version %d, this trawl reads %d; rebuild the DB (trawl db build, or trawl db update)", ErrSchema, s.meta.SchemaVersion, SchemaVersion)
	}
	if errors.Is(err, ErrDamaged) {
		db.Close()
		return nil, err
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("vulnerability database %s: %w", path, err)
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Path returns the file the store was opened from.
func (s *Store) Path() string { return s.path }

// Metadata returns the database's metadata record.
func (s *Store) Metadata() Metadata { return s.meta }

func pkgKey(ecosystem, name string) []byte {
	name = Normalize(ecosystem, name)
	k := make([]byte, 0, len(ecosystem)+1+len(name))
	k = append(k, ecosystem...)
	k = append(k, 0)
	return append(k, name...)
}

// Candidate is one affected entry of a package with only what range
// evaluation needs decoded: the id, the source, the versions list and the
// ranges (without their database_specific). Entry decodes the whole entry.
type Candidate struct {
	ID       string
	Source   string
	Versions []string
	Ranges   []osv.Range
	raw      string // the entry's encoding
}

// Entry decodes the whole entry.
func (c *Candidate) Entry() (Entry, error) {
	e, err := decodeEntry(c.raw)
	if err != nil {
		return Entry{}, fmt.Errorf("vulnerability database: entry %s: %w", c.ID, err)
	}
	return e, nil
}

// Affected returns every affected entry for the package name in the
// ecosystem (the name is normalised with Normalize), sorted by id; nil when
// there is none.
func (s *Store) Affected(ecosystem, name string) ([]Entry, error) {
	cs, err := s.Candidates(ecosystem, name)
	if err != nil || len(cs) == 0 {
		return nil, err
	}
	out := make([]Entry, len(cs))
	for i := range cs {
		if out[i], err = decodeEntry(cs[i].raw); err != nil {
			return nil, fmt.Errorf("vulnerability database %s: package %s/%s: entry %s: %w", s.path, ecosystem, name, cs[i].ID, err)
		}
	}
	return out, nil
}

// Candidates returns what Affected returns, decoding only what range
// evaluation needs (see Candidate): the scan path, which decodes the full
// entry only for the entries that match.
func (s *Store) Candidates(ecosystem, name string) ([]Candidate, error) {
	var raw string
	err := s.view(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketPkg); b != nil {
			raw = string(b.Get(pkgKey(ecosystem, name)))
		}
		return nil
	})
	var out []Candidate
	if err == nil && raw != "" {
		out, err = decodeCandidates(raw)
	}
	if errors.Is(err, ErrDamaged) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("vulnerability database %s: package %s/%s: %w", s.path, ecosystem, name, err)
	}
	return out, nil
}

// Details returns the details of a vulnerability (everything but its
// affected entries), or nil when the id is unknown.
func (s *Store) Details(id string) (*osv.Vulnerability, error) {
	var out *osv.Vulnerability
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketVuln)
		if b == nil {
			return nil
		}
		raw := b.Get([]byte(id))
		if raw == nil {
			return nil
		}
		var err error
		out, err = decodeVuln(string(raw))
		return err
	})
	if errors.Is(err, ErrDamaged) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("vulnerability database %s: vulnerability %s: %w", s.path, id, err)
	}
	return out, nil
}

// Aliased returns the ids of the records that list alias among their
// aliases (e.g. the GO- and PYSEC- records of a CVE), sorted.
func (s *Store) Aliased(alias string) ([]string, error) {
	var out []string
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAlias)
		if b == nil {
			return nil
		}
		raw := b.Get([]byte(alias))
		if raw == nil {
			return nil
		}
		return json.Unmarshal(raw, &out)
	})
	if errors.Is(err, ErrDamaged) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("vulnerability database %s: alias %s: %w", s.path, alias, err)
	}
	return out, nil
}

// Packages calls fn for every (ecosystem, normalised name) in the database,
// in key order, until fn returns an error.
func (s *Store) Packages(fn func(ecosystem, name string) error) error {
	return s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPkg)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, _ []byte) error {
			for i, c := range k {
				if c == 0 {
					return fn(string(k[:i]), string(k[i+1:]))
				}
			}
			return fmt.Errorf("vulnerability database %s: bad package key %q", s.path, k)
		})
	})
}

// Vulnerabilities calls fn for every vulnerability id in the database, in
// order, until fn returns an error.
func (s *Store) Vulnerabilities(fn func(id string) error) error {
	return s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketVuln)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, _ []byte) error { return fn(string(k)) })
	})
}

// HasEcosystem reports whether the database holds any package of the
// ecosystem.
func (s *Store) HasEcosystem(ecosystem string) bool { return s.meta.Ecosystems[ecosystem] > 0 }

// EcosystemForOS returns the database ecosystem for an OS family and
// version: the first of OSEcosystems(family, version) that the database
// holds. When it holds none, it returns the first candidate and false
// (the matcher can then say the OS is not covered), or "" and false for an
// unknown family.
func (s *Store) EcosystemForOS(family, version string) (string, bool) {
	c := OSEcosystems(family, version)
	for _, e := range c {
		if s.HasEcosystem(e) {
			return e, true
		}
	}
	if len(c) == 0 {
		return "", false
	}
	return c[0], false
}
