// Package oci publishes a trawl vulnerability database as an OCI artifact
// and pulls one, so any OCI registry can serve as a mirror (also for
// air-gapped sites).
//
// The artifact is an OCI image manifest whose config has media type
// ConfigMediaType and whose single layer (media type LayerMediaType) is the
// gzip-compressed database file. Annotations carry the schema version and
// build time.
package oci

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

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

// Annotation keys set on the manifest.
const (
	AnnotationSchema  = "dev.trawl.vulndb.schema"
	AnnotationBuiltAt = "dev.trawl.vulndb.built-at"
)

// ErrNotDB is wrapped by Pull's error when the artifact is not a trawl
// vulnerability database.
var ErrNotDB = errors.New("trawl/oci: not a trawl vulnerability database artifact")

// Options configure Push and Pull.
type Options struct {
	// Insecure allows plain HTTP (registries on localhost and private
	// addresses already use it).
	Insecure bool
	// Remote options (authentication, transport) passed to
	// go-containerregistry; the context is added by Push and Pull.
	Remote []remote.Option
	// MaxSize caps the uncompressed database pulled; 0 means 8 GiB.
	MaxSize int64
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
// digest. The database is opened first, so only a valid one is published.
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
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, ConfigMediaType)
	img, err = mutate.Append(img, mutate.Addendum{
		Layer:       layer,
		MediaType:   LayerMediaType,
		Annotations: map[string]string{"org.opencontainers.image.title": filepath.Base(dbPath)},
	})
	if err != nil {
		return "", fmt.Errorf("oci push %s: %w", dbPath, err)
	}
	img = mutate.Annotations(img, map[string]string{
		AnnotationSchema:                   strconv.Itoa(meta.SchemaVersion),
		AnnotationBuiltAt:                  meta.BuiltAt.UTC().Format(time.RFC3339),
		"org.opencontainers.image.created": meta.BuiltAt.UTC().Format(time.RFC3339),
	}).(v1.Image)
	if err := remote.Write(r, img, append(opts.Remote, remote.WithContext(ctx))...); err != nil {
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
// atomically. The layer digest is verified while reading, the result is
// opened as a database (schema checked) before it replaces dbPath; on any
// failure dbPath is untouched.
func Pull(ctx context.Context, ref, dbPath string, opts Options) (*PullResult, error) {
	r, err := ParseRef(ref, opts.Insecure)
	if err != nil {
		return nil, err
	}
	max := opts.MaxSize
	if max <= 0 {
		max = 8 << 30
	}
	img, err := remote.Image(r, append(opts.Remote, remote.WithContext(ctx))...)
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
	layers, err := img.Layers()
	if err != nil {
		return nil, fmt.Errorf("oci pull %s: %w", r, err)
	}
	rc, err := layers[0].Uncompressed()
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
	n, err := io.Copy(f, io.LimitReader(rc, max+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("oci pull %s: %w", r, err)
	}
	if n > max {
		return nil, fmt.Errorf("oci pull %s: database larger than %d bytes", r, max)
	}
	s, err := store.Open(tmp)
	if err != nil {
		return nil, fmt.Errorf("oci pull %s: %w", r, err)
	}
	meta := s.Metadata()
	s.Close()
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
