package image

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Artifact types of the referrers trawl reads and writes.
const (
	ArtifactTypeCycloneDX = "application/vnd.cyclonedx+json"
	ArtifactTypeSPDX      = "application/spdx+json"
	ArtifactTypeOpenVEX   = "application/vnd.openvex+json"
	// ArtifactTypeSigstoreBundle is a Sigstore bundle (cosign 3 stores
	// signatures and attestations so); its content is verified by the
	// caller (internal/attest).
	ArtifactTypeSigstoreBundle = "application/vnd.dev.sigstore.bundle.v0.3+json"
)

// SBOMArtifactTypes are the SBOM referrers --sbom-sources oci accepts, in
// order of preference (Trivy's list).
var SBOMArtifactTypes = []string{ArtifactTypeCycloneDX, ArtifactTypeSPDX}

// Limits on what the referrers of an image can make trawl read.
const (
	// MaxReferrerBlobSize caps the one blob of a referrer (the SBOM or
	// VEX document itself).
	MaxReferrerBlobSize = 64 << 20
	// MaxReferrers caps the descriptors of a referrers list examined.
	MaxReferrers = 1000
	// maxReferrersFetched caps the referrers of a wanted type fetched.
	maxReferrersFetched = 16
)

// ErrNoSubject is returned for images that are not from a registry:
// only a registry knows what refers to an image.
var ErrNoSubject = errors.New("trawl/image: referrers exist only for registry images")

// remoteImage is what a registry image keeps to find or attach referrers.
type remoteImage struct {
	repo name.Repository
	// manifest is the digest of the image manifest scanned (the
	// platform's manifest for an index); top is the digest the reference
	// resolved to (the index, or the same manifest).
	manifest, top v1.Hash
	where         string
	auth          []remote.Option
	transport     http.RoundTripper
	maxJSON       int64
	logger        *slog.Logger
}

// Referrer is an artifact attached to an image (OCI 1.1 referrers API or
// its "sha256-<hex>" tag fallback), read and verified.
type Referrer struct {
	// Digest is the artifact manifest's digest.
	Digest       string
	ArtifactType string
	// Subject is the digest of the manifest it refers to: the image
	// manifest, or the index of a multi-platform image.
	Subject string
	// Content is the artifact's blob, checked against its digest and size.
	Content []byte
}

// Subject returns the digest of the image manifest, "sha256:…", for
// registry images; "" otherwise.
func (img *Image) Subject() string {
	if img.remote == nil {
		return ""
	}
	return img.remote.manifest.String()
}

// Referrers returns the referrers of the image whose artifact type is one
// of types, in that order of types, looked up for the image manifest and,
// for a multi-platform image, for its index. A referrer that cannot be
// read or fails a check (size over a limit, digest mismatch, another
// subject) is left out and described in refused, one line each; refused
// also holds a failure to list the referrers at all. Neither stops the
// scan: the caller logs them.
func (img *Image) Referrers(ctx context.Context, types []string) (found []Referrer, refused []error) {
	r := img.remote
	if r == nil {
		return nil, []error{fmt.Errorf("%s: %w", img.name, ErrNoSubject)}
	}
	subjects := []v1.Hash{r.manifest}
	if r.top != r.manifest {
		subjects = append(subjects, r.top)
	}
	seen := map[string]bool{} // found already (the index's and the manifest's lists may share referrers)
	tried := 0
	for _, subject := range subjects {
		descs, err := r.list(ctx, subject)
		if err != nil {
			refused = append(refused, err)
			continue
		}
		slices.SortStableFunc(descs, func(a, b v1.Descriptor) int {
			return slices.Index(types, a.ArtifactType) - slices.Index(types, b.ArtifactType)
		})
		for _, d := range descs {
			if !slices.Contains(types, d.ArtifactType) || seen[d.Digest.String()] {
				continue
			}
			if tried++; tried > maxReferrersFetched {
				refused = append(refused, fmt.Errorf("%s: more than %d referrers of types %s; the rest are ignored", r.where, maxReferrersFetched, strings.Join(types, ", ")))
				return found, refused
			}
			ref, err := r.fetch(ctx, subject, d)
			if err != nil {
				refused = append(refused, err)
				continue
			}
			seen[d.Digest.String()] = true
			found = append(found, ref)
		}
	}
	return found, refused
}

// options are the registry options of a referrers request: the image's
// credentials and a transport that caps manifest responses.
func (r *remoteImage) options(ctx context.Context) []remote.Option {
	return append(slices.Clone(r.auth), remote.WithContext(ctx),
		remote.WithTransport(cappedTransport{base: r.transport, limit: r.maxJSON}))
}

// list returns the descriptors that refer to subject.
func (r *remoteImage) list(ctx context.Context, subject v1.Hash) ([]v1.Descriptor, error) {
	where := fmt.Sprintf("%s: referrers of %s", r.where, subject)
	idx, err := remote.Referrers(r.repo.Digest(subject.String()), r.options(ctx)...)
	if err != nil {
		return nil, registryError(where, err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %w", where, ErrCorrupt, err)
	}
	if len(im.Manifests) > MaxReferrers {
		return nil, fmt.Errorf("%s: %w: %d referrers, more than %d", where, ErrTooLarge, len(im.Manifests), MaxReferrers)
	}
	return im.Manifests, nil
}

// fetch reads the manifest d names and its one blob, checking sizes
// before reading and digests after.
func (r *remoteImage) fetch(ctx context.Context, subject v1.Hash, d v1.Descriptor) (Referrer, error) {
	where := fmt.Sprintf("%s: referrer %s (%s)", r.where, d.Digest, d.ArtifactType)
	if d.Size <= 0 || d.Size > r.maxJSON {
		return Referrer{}, fmt.Errorf("%s: %w: manifest size %d is not between 1 and %d bytes", where, ErrTooLarge, d.Size, r.maxJSON)
	}
	opts := r.options(ctx)
	desc, err := remote.Get(r.repo.Digest(d.Digest.String()), opts...)
	if err != nil {
		return Referrer{}, registryError(where, err)
	}
	if got := sha256Digest(desc.Manifest); d.Digest.Algorithm != "sha256" || got != d.Digest.String() {
		return Referrer{}, fmt.Errorf("%s: %w: manifest digest %s does not match %s", where, ErrCorrupt, got, d.Digest)
	}
	if int64(len(desc.Manifest)) != d.Size {
		return Referrer{}, fmt.Errorf("%s: %w: manifest is %d bytes, the referrers list says %d", where, ErrCorrupt, len(desc.Manifest), d.Size)
	}
	var m v1.Manifest
	if err := json.Unmarshal(desc.Manifest, &m); err != nil {
		return Referrer{}, fmt.Errorf("%s: %w: manifest: %w", where, ErrCorrupt, err)
	}
	if m.Subject == nil || m.Subject.Digest != subject {
		return Referrer{}, fmt.Errorf("%s: %w: its subject is not %s", where, ErrCorrupt, subject)
	}
	if len(m.Layers) != 1 {
		return Referrer{}, fmt.Errorf("%s: %w: %d blobs, want exactly one", where, ErrCorrupt, len(m.Layers))
	}
	b := m.Layers[0]
	if b.Size <= 0 || b.Size > MaxReferrerBlobSize {
		return Referrer{}, fmt.Errorf("%s: %w: blob size %d is not between 1 and %d bytes", where, ErrTooLarge, b.Size, MaxReferrerBlobSize)
	}
	if b.Digest.Algorithm != "sha256" {
		return Referrer{}, fmt.Errorf("%s: %w: blob digest %s is not sha256", where, ErrCorrupt, b.Digest)
	}
	l, err := remote.Layer(r.repo.Digest(b.Digest.String()), opts...)
	if err != nil {
		return Referrer{}, registryError(where, err)
	}
	rc, err := l.Compressed()
	if err != nil {
		return Referrer{}, registryError(where, err)
	}
	defer rc.Close()
	content, err := io.ReadAll(io.LimitReader(rc, b.Size+1))
	if err != nil {
		return Referrer{}, fmt.Errorf("%s: blob %s: %w: %w", where, b.Digest, ErrCorrupt, err)
	}
	if int64(len(content)) != b.Size {
		return Referrer{}, fmt.Errorf("%s: blob %s: %w: %d bytes, the manifest says %d", where, b.Digest, ErrCorrupt, len(content), b.Size)
	}
	if got := sha256Digest(content); got != b.Digest.String() {
		return Referrer{}, fmt.Errorf("%s: %w: blob digest %s does not match %s", where, ErrCorrupt, got, b.Digest)
	}
	at := d.ArtifactType
	if at == "" {
		at = m.ArtifactType
	}
	return Referrer{Digest: d.Digest.String(), ArtifactType: at, Subject: subject.String(), Content: content}, nil
}

// Attach pushes content as a referrer of the image manifest: an OCI image
// manifest whose artifactType is artifactType, with content as its one
// blob, and whose subject is the image manifest. Registries without the
// referrers API get the "sha256-<hex>" fallback tag updated. The config
// is the empty JSON object "{}" with artifactType as its media type too,
// so that registries that list a referrer's type from its config (older
// implementations of the referrers API) list the right one. It returns
// the artifact's digest.
func (img *Image) Attach(ctx context.Context, artifactType string, content []byte, annotations map[string]string) (string, error) {
	r := img.remote
	if r == nil {
		return "", fmt.Errorf("%s: %w", img.name, ErrNoSubject)
	}
	where := r.where + ": attaching " + artifactType
	opts := r.options(ctx)
	subject, err := remote.Head(r.repo.Digest(r.manifest.String()), opts...)
	if err != nil {
		return "", registryError(where, err)
	}
	config, blob := []byte("{}"), content
	for _, b := range [][]byte{config, blob} {
		if err := remote.WriteLayer(r.repo, static.NewLayer(b, types.MediaType(artifactType)), opts...); err != nil {
			return "", registryError(where, err)
		}
	}
	m := artifactManifest{
		SchemaVersion: 2,
		MediaType:     types.OCIManifestSchema1,
		ArtifactType:  artifactType,
		Config:        v1.Descriptor{MediaType: types.MediaType(artifactType), Digest: mustHash(config), Size: int64(len(config))},
		Layers:        []v1.Descriptor{{MediaType: types.MediaType(artifactType), Digest: mustHash(blob), Size: int64(len(blob))}},
		Subject:       &v1.Descriptor{MediaType: subject.MediaType, Digest: subject.Digest, Size: subject.Size},
		Annotations:   annotations,
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return "", fmt.Errorf("%s: %w", where, err)
	}
	d := mustHash(raw)
	if err := remote.Put(r.repo.Digest(d.String()), rawArtifact(raw), opts...); err != nil {
		return "", registryError(where, err)
	}
	return d.String(), nil
}

// artifactManifest is an OCI 1.1 image manifest with an artifactType
// (go-containerregistry's v1.Manifest has no such field).
type artifactManifest struct {
	SchemaVersion int64             `json:"schemaVersion"`
	MediaType     types.MediaType   `json:"mediaType"`
	ArtifactType  string            `json:"artifactType"`
	Config        v1.Descriptor     `json:"config"`
	Layers        []v1.Descriptor   `json:"layers"`
	Subject       *v1.Descriptor    `json:"subject"`
	Annotations   map[string]string `json:"annotations,omitempty"`
}

// rawArtifact is a manifest to push as it is.
type rawArtifact []byte

func (a rawArtifact) RawManifest() ([]byte, error)        { return a, nil }
func (a rawArtifact) MediaType() (types.MediaType, error) { return types.OCIManifestSchema1, nil }

func mustHash(b []byte) v1.Hash {
	h, _, err := v1.SHA256(bytes.NewReader(b))
	if err != nil {
		panic(err) // reading a bytes.Reader cannot fail
	}
	return h
}

// cappedTransport refuses manifest, referrers and tag list responses
// larger than limit: go-containerregistry reads up to 100 MiB of them.
type cappedTransport struct {
	base  http.RoundTripper
	limit int64
}

func (t cappedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil || !(strings.Contains(req.URL.Path, "/manifests/") || strings.Contains(req.URL.Path, "/referrers/") || strings.HasSuffix(req.URL.Path, "/tags/list")) {
		return resp, err
	}
	if resp.ContentLength > t.limit {
		resp.Body.Close()
		return nil, fmt.Errorf("%s: %w: response of %d bytes, over %d", req.URL.Path, ErrTooLarge, resp.ContentLength, t.limit)
	}
	resp.Body = &cappedBody{r: resp.Body, limit: t.limit, path: req.URL.Path}
	return resp, nil
}

// cappedBody fails a read that goes past limit bytes.
type cappedBody struct {
	r     io.ReadCloser
	limit int64
	path  string
	n     int64
}

func (b *cappedBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.n += int64(n)
	if b.n > b.limit {
		return 0, fmt.Errorf("%s: %w: response over %d bytes", b.path, ErrTooLarge, b.limit)
	}
	return n, err
}

func (b *cappedBody) Close() error { return b.r.Close() }
