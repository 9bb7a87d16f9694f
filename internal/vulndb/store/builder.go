package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/trawlsec/trawl/internal/vulndb/osv"
)

// BuilderOptions tune a Builder; the zero value is usable.
type BuilderOptions struct {
	// TempDir holds the sort runs (in a folder removed by Close); empty
	// means the folder of the database file.
	TempDir string
	// SortBuffer is the number of bytes of records buffered in memory
	// before a sorted run is spilled to disk, per kind of record
	// (package entries, details, aliases); 0 means 16 MiB.
	SortBuffer int
	// TxBytes is the number of key and value bytes written per bbolt
	// transaction; 0 means 16 MiB. bbolt holds the dirty pages of the open
	// transaction in memory, so this bounds the writer's memory.
	TxBytes int
	// MaxRuns is the number of sorted runs merged at once (one open file
	// each); 0 means 64.
	MaxRuns int
}

// Builder writes a database from records streamed into it, in memory
// bounded by its options whatever the number of records: records are
// spilled in sorted runs to temporary files, which Finish merges into the
// database in key order, committing every TxBytes.
//
// The database holds exactly what Write gives for the same records: each
// package's entries sorted by id, then source, then the order they were
// added; records sharing an id merged as Add says.
type Builder struct {
	path   string
	opts   BuilderOptions
	tmp    string
	pkgs   *sorter
	vulns  *sorter
	key    []byte
	enc    encoder
	closed bool
}

// NewBuilder returns a Builder of a database at path, which Finish
// creates (truncating any file there). Close removes its temporary files.
func NewBuilder(path string, opts BuilderOptions) (*Builder, error) {
	if opts.TempDir == "" {
		opts.TempDir = filepath.Dir(path)
	}
	if opts.SortBuffer <= 0 {
		opts.SortBuffer = 16 << 20
	}
	if opts.TxBytes <= 0 {
		opts.TxBytes = 16 << 20
	}
	if opts.MaxRuns <= 0 {
		opts.MaxRuns = 64
	}
	tmp, err := os.MkdirTemp(opts.TempDir, ".trawl-build-*")
	if err != nil {
		return nil, fmt.Errorf("vulnerability database %s: %w", path, err)
	}
	return &Builder{
		path: path, opts: opts, tmp: tmp,
		pkgs:  newSorter(tmp, "pkg", opts.SortBuffer, opts.MaxRuns),
		vulns: newSorter(tmp, "vuln", opts.SortBuffer, opts.MaxRuns),
	}, nil
}

// Close removes the temporary files. It is safe to call more than once.
func (b *Builder) Close() error {
	if b.closed {
		return nil
	}
	b.closed = true
	return os.RemoveAll(b.tmp)
}

// Add files a record's affected entries under their packages (entries
// without a package name or ecosystem, such as GIT-only ones, are not
// indexed) and keeps its details. Records sharing an id (an advisory
// published by two sources, an Alpine CVE in several branches) keep all
// their affected entries; of their details, the most recently modified
// wins (or the first with a summary or details over one without), and
// the aliases are merged, in the order the records were added.
func (b *Builder) Add(v *osv.Vulnerability, source string) error {
	for _, a := range v.Affected {
		if a.Package.Name == "" || a.Package.Ecosystem == "" {
			continue
		}
		if err := b.AddEntry(PackageKey{Ecosystem: a.Package.Ecosystem, Name: a.Package.Name}, Entry{ID: v.ID, Source: source, Affected: a}); err != nil {
			return err
		}
	}
	d := *v
	d.Affected = nil
	return b.AddDetails(&d)
}

// AddEntry files one entry under a package (whose name is normalised).
func (b *Builder) AddEntry(k PackageKey, e Entry) error {
	b.enc.b = b.enc.b[:0]
	b.enc.entry(e)
	if b.enc.err != nil {
		err := b.enc.err
		b.enc.err = nil
		return fmt.Errorf("vulnerability database %s: package %s/%s: %s: %w", b.path, k.Ecosystem, k.Name, e.ID, err)
	}
	b.key = appendField(b.key[:0], string(pkgKey(k.Ecosystem, k.Name)))
	b.key = appendField(b.key, e.ID)
	b.key = appendField(b.key, e.Source)
	return b.sortErr(b.pkgs.add(b.key, b.enc.b))
}

// AddDetails keeps the details of a record (its Affected is ignored);
// see Add for records sharing an id.
func (b *Builder) AddDetails(v *osv.Vulnerability) error {
	d := *v
	d.Affected = nil
	raw, err := encodeVulnFields(&d)
	if err != nil {
		return fmt.Errorf("vulnerability database %s: vulnerability %s: %w", b.path, v.ID, err)
	}
	b.key = appendField(b.key[:0], v.ID)
	return b.sortErr(b.vulns.add(b.key, raw))
}

func (b *Builder) sortErr(err error) error {
	if err != nil {
		return fmt.Errorf("vulnerability database %s: %w", b.path, err)
	}
	return nil
}

// mergeDetails folds the details of a record sharing keep's id into keep.
func mergeDetails(keep, d *osv.Vulnerability) *osv.Vulnerability {
	other := d
	if d.Modified.After(keep.Modified) || (keep.Summary == "" && keep.Details == "" && (d.Summary != "" || d.Details != "")) {
		keep, other = d, keep
	}
	keep.Aliases = mergeStrings(keep.Aliases, other.Aliases)
	return keep
}

func mergeStrings(have, add []string) []string {
	for _, a := range add {
		if !slices.Contains(have, a) {
			have = append(have, a)
		}
	}
	return have
}

// bucketWriter puts keys in order into one bucket, committing a write
// transaction every limit bytes.
type bucketWriter struct {
	db    *bolt.DB
	name  []byte
	limit int
	tx    *bolt.Tx
	b     *bolt.Bucket
	n     int
	made  bool
}

func (w *bucketWriter) begin() error {
	tx, err := w.db.Begin(true)
	if err != nil {
		return err
	}
	w.tx = tx
	if w.made {
		w.b = tx.Bucket(w.name)
	} else if w.b, err = tx.CreateBucket(w.name); err != nil {
		tx.Rollback()
		w.tx = nil
		return err
	}
	w.made = true
	w.b.FillPercent = 1.0 // keys arrive in order: pack pages full
	w.n = 0
	return nil
}

// put stores copies of k and v.
func (w *bucketWriter) put(k, v []byte) error {
	if w.tx == nil {
		if err := w.begin(); err != nil {
			return err
		}
	}
	kv := make([]byte, len(k)+len(v))
	copy(kv, k)
	copy(kv[len(k):], v)
	if err := w.b.Put(kv[:len(k):len(k)], kv[len(k):]); err != nil {
		return err
	}
	w.n += len(kv)
	if w.n >= w.limit {
		return w.commit()
	}
	return nil
}

func (w *bucketWriter) commit() error {
	tx := w.tx
	w.tx, w.b = nil, nil
	return tx.Commit()
}

// close commits what is pending, creating the bucket if nothing was put.
func (w *bucketWriter) close() error {
	if w.tx == nil && !w.made {
		if err := w.begin(); err != nil {
			return err
		}
	}
	if w.tx != nil {
		return w.commit()
	}
	return nil
}

func (w *bucketWriter) rollback() {
	if w.tx != nil {
		w.tx.Rollback()
		w.tx = nil
	}
}

// Finish writes the database: every added record, and meta completed
// with the schema version and the counts. The Builder cannot be used
// afterwards (but must still be closed).
func (b *Builder) Finish(ctx context.Context, meta Metadata) (err error) {
	if err := os.Truncate(b.path, 0); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("vulnerability database %s: %w", b.path, err)
	}
	db, err := bolt.Open(b.path, 0o644, &bolt.Options{NoSync: true, NoFreelistSync: true, NoGrowSync: true})
	if err != nil {
		return fmt.Errorf("vulnerability database %s: %w", b.path, err)
	}
	defer func() {
		if cerr := db.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("vulnerability database %s: %w", b.path, cerr)
		}
	}()
	if err := b.finish(ctx, db, meta); err != nil {
		return fmt.Errorf("vulnerability database %s: %w", b.path, err)
	}
	if err := db.Sync(); err != nil {
		return fmt.Errorf("vulnerability database %s: %w", b.path, err)
	}
	return nil
}

func (b *Builder) finish(ctx context.Context, db *bolt.DB, meta Metadata) error {
	meta.SchemaVersion = SchemaVersion
	meta.Ecosystems = map[string]int{}
	meta.Entries, meta.Packages, meta.Vulnerabilities = 0, 0, 0

	if err := b.writePackages(ctx, db, &meta); err != nil {
		return err
	}
	aliases := newSorter(b.tmp, "alias", b.opts.SortBuffer, b.opts.MaxRuns)
	if err := b.writeVulns(ctx, db, &meta, aliases); err != nil {
		return err
	}
	if err := writeAliases(ctx, db, aliases, b.opts.TxBytes); err != nil {
		return err
	}
	raw, err := json.Marshal(&meta)
	if err != nil {
		return err
	}
	w := &bucketWriter{db: db, name: bucketMeta, limit: b.opts.TxBytes}
	if err := w.put(keyMeta, raw); err != nil {
		w.rollback()
		return err
	}
	return w.close()
}

// writePackages writes the pkg bucket: the entries merged per package key.
func (b *Builder) writePackages(ctx context.Context, db *bolt.DB, meta *Metadata) (err error) {
	m, err := b.pkgs.merge()
	if err != nil {
		return err
	}
	defer m.close()
	w := &bucketWriter{db: db, name: bucketPkg, limit: b.opts.TxBytes}
	defer w.rollback()
	var cur []byte // package key of the group
	var group []byte
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		var out encoder
		out.uint(n)
		out.b = append(out.b, group...)
		if err := w.put(cur, out.b); err != nil {
			return err
		}
		if i := indexByte(cur, 0); i >= 0 {
			meta.Ecosystems[string(cur[:i])]++
		}
		meta.Packages++
		meta.Entries += n
		n = 0
		group = group[:0]
		return nil
	}
	for i := 0; ; i++ {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		key, val, ok, err := m.next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		pk, _, err := nextField(key)
		if err != nil {
			return err
		}
		if n > 0 && string(pk) != string(cur) {
			if err := flush(); err != nil {
				return err
			}
		}
		if n == 0 {
			cur = append(cur[:0], pk...)
		}
		e := encoder{b: group}
		e.str(string(val))
		group = e.b
		n++
	}
	if err := flush(); err != nil {
		return err
	}
	return w.close()
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

// writeVulns writes the vuln bucket, merging records that share an id,
// and feeds the aliases of the merged records to aliases.
func (b *Builder) writeVulns(ctx context.Context, db *bolt.DB, meta *Metadata, aliases *sorter) error {
	m, err := b.vulns.merge()
	if err != nil {
		return err
	}
	defer m.close()
	w := &bucketWriter{db: db, name: bucketVuln, limit: b.opts.TxBytes}
	defer w.rollback()
	var cur *osv.Vulnerability
	var key []byte
	flush := func() error {
		if cur == nil {
			return nil
		}
		raw, err := encodeVuln(cur)
		if err != nil {
			return fmt.Errorf("vulnerability %s: %w", cur.ID, err)
		}
		if err := w.put([]byte(cur.ID), raw); err != nil {
			return err
		}
		meta.Vulnerabilities++
		for _, a := range cur.Aliases {
			if a != cur.ID {
				key = appendField(key[:0], a)
				key = appendField(key, cur.ID)
				if err := aliases.add(key, nil); err != nil {
					return err
				}
			}
		}
		cur = nil
		return nil
	}
	for i := 0; ; i++ {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		_, val, ok, err := m.next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		v, err := decodeVulnFields(string(val))
		if err != nil {
			return fmt.Errorf("sorted details: %w", err)
		}
		if cur != nil && cur.ID != v.ID {
			if err := flush(); err != nil {
				return err
			}
		}
		if cur == nil {
			cur = v
		} else {
			cur = mergeDetails(cur, v)
		}
	}
	if err := flush(); err != nil {
		return err
	}
	return w.close()
}

// writeAliases writes the alias bucket: per alias, the sorted ids that
// list it.
func writeAliases(ctx context.Context, db *bolt.DB, s *sorter, txBytes int) error {
	m, err := s.merge()
	if err != nil {
		return err
	}
	defer m.close()
	w := &bucketWriter{db: db, name: bucketAlias, limit: txBytes}
	defer w.rollback()
	var cur []byte
	var ids []string
	flush := func() error {
		if len(ids) == 0 {
			return nil
		}
		raw, err := json.Marshal(ids)
		if err != nil {
			return err
		}
		ids = ids[:0]
		return w.put(cur, raw)
	}
	for i := 0; ; i++ {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		key, _, ok, err := m.next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		a, rest, err := nextField(key)
		if err != nil {
			return err
		}
		id, _, err := nextField(rest)
		if err != nil {
			return err
		}
		if len(ids) > 0 && string(a) != string(cur) {
			if err := flush(); err != nil {
				return err
			}
		}
		if len(ids) == 0 {
			cur = append(cur[:0], a...)
		}
		ids = append(ids, string(id))
	}
	if err := flush(); err != nil {
		return err
	}
	return w.close()
}
