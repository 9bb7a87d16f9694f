// Package oci publishes a trawl vulnerability database as an OCI artifact
// and pulls one, so any OCI registry can serve as a mirror (also for
// air-gapped sites, and for the project's own prebuilt DB).
//
// The artifact is an OCI image manifest whose config has media type
// ConfigMediaType and whose single layer (media type LayerMediaType) is the
// gzip-compressed database file. The manifest's annotations carry the build
// time (org.opencontainers.image.created), the store schema
// (AnnotationSchema) and the SHA-256 of the uncompressed database file
// (AnnotationSHA256); Pull checks all three.
package oci

import (
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/trawlsec/trawl/internal/vulndb/build"
	"github.com/trawlsec/trawl/internal/vulndb/store"
)

// Media types of the artifact.
const (
	ConfigMediaType types.MediaType = "application/vnd.trawl.vulndb.config.v1+json"
	LayerMediaType  types.MediaType = "application/vnd.trawl.vulndb.layer.v1.bbolt+gzip"
)

// Annotation keys set on the manifest by Push.
const (
	// AnnotationCreated is the DB's build time (RFC 3339, UTC), from its
	// metadata.
	AnnotationCreated = "org.opencontainers.image.created"
	AnnotationSource  = "org.opencontainers.image.source"
	AnnotationTitle   = "org.opencontainers.image.title"
	// AnnotationSchema is the store schema version (store.SchemaVersion).
	AnnotationSchema = "dev.trawl.db.schema"
	// AnnotationSHA256 is the hex SHA-256 of the uncompressed DB file.
	AnnotationSHA256 = "dev.trawl.db.sha256"
)

// DefaultSource is the org.opencontainers.image.source annotation when
// Options.Source is empty.
const DefaultSource = "https://github.com/trawlsec/trawl"

// ErrNotDB is wrapped by Pull's error when the artifact is not a trawl
// vulnerability database.
var ErrNotDB = errors.New("trawl/oci: not a trawl vulnerability database artifact")

// ErrDigest is wrapped by Pull's error when the downloaded layer does not
// match the manifest (digest or size) or the database file does not match
// the AnnotationSHA256 annotation.
var ErrDigest = errors.New("trawl/oci: digest mismatch")

// AgeError is Pull's error for a DB built longer than Options.MaxAge ago.
type AgeError struct {
	Ref     string
	BuiltAt time.Time
	MaxAge  time.Duration
}

func (e *AgeError) Error() string {
	return fmt.Sprintf("the DB at %s was built %s, older than --db-max-age %s; the publisher's pipeline may have stopped",
		e.Ref, e.BuiltAt.UTC().Format("2006-01-02 15:04 UTC"), shortDuration(e.MaxAge))
}

// shortDuration prints 72h rather than 72h0m0s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// Options configure Push and Pull.
type Options struct {
	// Insecure allows plain HTTP (registries on localhost and private
	// addresses already use it).
	Insecure bool
	// Keychain finds registry credentials; nil means authn.DefaultKeychain
	// (the docker config at $DOCKER_CONFIG or ~/.docker, and credential
	// helpers).
	Keychain authn.Keychain
	// Remote options (transport, user agent) passed to go-containerregistry;
	// the context and the keychain are added by Push and Pull, so these must
	// not set authentication.
	Remote []remote.Option
	// MaxSize caps the uncompressed database pulled; 0 means 8 GiB.
	MaxSize int64
	// MaxAge makes Pull refuse a database built longer ago than this
	// (*AgeError); 0 accepts any age.
	MaxAge time.Duration
	// Now is the clock for MaxAge; nil means time.Now.
	Now func() time.Time
	// Source is Push's org.opencontainers.image.source annotation; empty
	// means DefaultSource.
	Source string
}

func (o Options) remote(ctx context.Context) []remote.Option {
	kc := o.Keychain
	if kc == nil {
		kc = authn.DefaultKeychain
	}
	return append([]remote.Option{remote.WithAuthFromKeychain(kc), remote.WithContext(ctx)}, o.Remote...)
}

// ParseRef parses "oci://host/repo:tag" (the oci:// prefix is optional).
func ParseRef(ref string, insecure bool) (name.Reference, error) {
	ref = strings.TrimPrefix(ref, "oci://")
	var opts []name.Option
	if insecure {
		opts = append(opts, name.Insecure)
	}
	r, err := name.ParseReference(ref, opts...)
	if err != nil {
		return nil, fmt.Errorf("oci reference %q: %w", ref, err)
	}
	return r, nil
}

// Push publishes the database at dbPath under ref and returns the manifest
// digest. The database is opened first, so only a valid one is published;
// its build time, schema and file digest become manifest annotations.
func Push(ctx context.Context, ref, dbPath string, opts Options) (string, error) {
	r, err := ParseRef(ref, opts.Insecure)
	if err != nil {
		return "", err
	}
	s, err := store.Open(dbPath)
	if err != nil {
		return "", err
	}
	meta := s.Metadata()
	s.Close()
	layer, err := tarball.LayerFromFile(dbPath, tarball.WithMediaType(LayerMediaType))
	if err != nil {
		return "", fmt.Errorf("oci push %s: %w", dbPath, err)
	}
	// The layer's diff ID is the SHA-256 of the uncompressed content: the
	// database file itself.
	sum, err := layer.DiffID()
	if err != nil {
		return "", fmt.Errorf("oci push %s: %w", dbPath, err)
	}
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, ConfigMediaType)
	img, err = mutate.Append(img, mutate.Addendum{
		Layer:       layer,
		MediaType:   LayerMediaType,
		Annotations: map[string]string{AnnotationTitle: filepath.Base(dbPath)},
	})
	if err != nil {
		return "", fmt.Errorf("oci push %s: %w", dbPath, err)
	}
	source := opts.Source
	if source == "" {
		source = DefaultSource
	}
	img = mutate.Annotations(img, map[string]string{
		AnnotationCreated: meta.BuiltAt.UTC().Format(time.RFC3339),
		AnnotationSchema:  strconv.Itoa(meta.SchemaVersion),
		AnnotationSHA256:  sum.Hex,
		AnnotationSource:  source,
		AnnotationTitle:   "trawl vulnerability DB",
	}).(v1.Image)
	if err := remote.Write(r, img, opts.remote(ctx)...); err != nil {
		return "", fmt.Errorf("oci push %s to %s: %w", dbPath, r, err)
	}
	d, err := img.Digest()
	if err != nil {
		return "", fmt.Errorf("oci push %s: %w", dbPath, err)
	}
	return d.String(), nil
}

// PullResult describes a pulled database.
type PullResult struct {
	Digest   string
	Metadata store.Metadata
}

// Pull downloads the database artifact at ref and replaces dbPath
// atomically. The compressed layer is read to its end and its digest and
// size compared with the manifest; the database file's SHA-256 is compared
// with the AnnotationSHA256 annotation when there is one; the file is
// opened as a database (schema checked) and its build time compared with
// MaxAge; only then does it replace dbPath. On any failure dbPath is
// untouched.
func Pull(ctx context.Context, ref, dbPath string, opts Options) (*PullResult, error) {
	r, err := ParseRef(ref, opts.Insecure)
	if err != nil {
		return nil, err
	}
	max := opts.MaxSize
	if max <= 0 {
		max = 8 << 30
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	img, err := remote.Image(r, opts.remote(ctx)...)
	if err != nil {
		return nil, fmt.Errorf("oci pull %s: %w", r, err)
	}
	m, err := img.Manifest()
	if err != nil {
		return nil, fmt.Errorf("oci pull %s: %w", r, err)
	}
	if m.Config.MediaType != ConfigMediaType || len(m.Layers) != 1 || m.Layers[0].MediaType != LayerMediaType {
		return nil, fmt.Errorf("oci pull %s: %w (config %s, %d layers)", r, ErrNotDB, m.Config.MediaType, len(m.Layers))
	}
	// Refuse early, before downloading, what the annotations already say
	// is unusable; the database itself is checked again below.
	if v, ok := m.Annotations[AnnotationSchema]; ok && v != strconv.Itoa(store.SchemaVersion) {
		return nil, fmt.Errorf("oci pull %s: the DB has schema %s, this trawl reads schema %d: %w", r, v, store.SchemaVersion, store.ErrSchema)
	}
	if t, err := time.Parse(time.RFC3339, m.Annotations[AnnotationCreated]); err == nil && opts.MaxAge > 0 && now().Sub(t) > opts.MaxAge {
		return nil, &AgeError{Ref: ref, BuiltAt: t, MaxAge: opts.MaxAge}
	}
	wantFile := strings.ToLower(m.Annotations[AnnotationSHA256])
	desc := m.Layers[0]
	layers, err := img.Layers()
	if err != nil {
		return nil, fmt.Errorf("oci pull %s: %w", r, err)
	}
	rc, err := layers[0].Compressed()
	if err != nil {
		return nil, fmt.Errorf("oci pull %s: %w", r, err)
	}
	defer rc.Close()

	dir := filepath.Dir(dbPath)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("oci pull: %s: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(dbPath)+".pull-*")
	if err != nil {
		return nil, fmt.Errorf("oci pull: %w", err)
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			os.Remove(tmp)
		}
	}()
	gotFile, err := download(rc, desc, f, max)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("oci pull %s: %w", r, err)
	}
	if wantFile != "" && gotFile != wantFile {
		return nil, fmt.Errorf("oci pull %s: %w: the database file has sha256 %s, the %s annotation says %s", r, ErrDigest, gotFile, AnnotationSHA256, wantFile)
	}
	s, err := store.Open(tmp)
	if err != nil {
		return nil, fmt.Errorf("oci pull %s: %w", r, err)
	}
	meta := s.Metadata()
	s.Close()
	if opts.MaxAge > 0 && now().Sub(meta.BuiltAt) > opts.MaxAge {
		return nil, &AgeError{Ref: ref, BuiltAt: meta.BuiltAt, MaxAge: opts.MaxAge}
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		return nil, fmt.Errorf("oci pull: %w", err)
	}
	target, err := build.ReplaceTarget(dbPath)
	if err != nil {
		return nil, fmt.Errorf("oci pull: %w", err)
	}
	if err := os.Rename(tmp, target); err != nil {
		return nil, fmt.Errorf("oci pull: %w", err)
	}
	ok = true
	d, err := img.Digest()
	if err != nil {
		return nil, fmt.Errorf("oci pull %s: %w", r, err)
	}
	return &PullResult{Digest: d.String(), Metadata: meta}, nil
}

// download gunzips the compressed layer rc into f (at most max bytes),
// reads rc to its end (go-containerregistry checks the digest at EOF; the
// layer is hashed and counted here as well, so a short or altered blob
// fails whatever the library does) and returns the hex SHA-256 of what was
// written.
func download(rc io.Reader, desc v1.Descriptor, f *os.File, max int64) (string, error) {
	if desc.Digest.Algorithm != "sha256" {
		return "", fmt.Errorf("layer digest %s: only sha256 is supported", desc.Digest)
	}
	layer := &countingHash{r: rc, h: sha256.New()}
	// Read no more than the manifest says, plus one byte to notice more.
	lr := io.LimitReader(layer, desc.Size+1)
	zr, err := gzip.NewReader(lr)
	if err != nil {
		return "", fmt.Errorf("layer %s: %w", desc.Digest, err)
	}
	file := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, file), io.LimitReader(zr, max+1))
	if err != nil {
		return "", fmt.Errorf("layer %s: %w", desc.Digest, err)
	}
	if n > max {
		return "", fmt.Errorf("database larger than %d bytes", max)
	}
	if _, err := io.Copy(io.Discard, lr); err != nil {
		return "", fmt.Errorf("layer %s: %w", desc.Digest, err)
	}
	if got := hex.EncodeToString(layer.h.Sum(nil)); layer.n != desc.Size || got != desc.Digest.Hex {
		return "", fmt.Errorf("layer %s: %w: got sha256:%s, %d bytes; the manifest says %d bytes", desc.Digest, ErrDigest, got, layer.n, desc.Size)
	}
	if err := f.Sync(); err != nil {
		return "", err
	}
	return hex.EncodeToString(file.Sum(nil)), nil
}

// countingHash hashes and counts what is read through it.
type countingHash struct {
	r io.Reader
	h hash.Hash
	n int64
}

func (c *countingHash) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.h.Write(p[:n])
	c.n += int64(n)
	return n, err
}
