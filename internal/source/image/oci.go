package image

import (
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// refNameAnnotation names an image in an OCI layout's index.json.
const refNameAnnotation = "org.opencontainers.image.ref.name"

// maxIndexDepth bounds nested image indexes.
const maxIndexDepth = 4

// maxIndexEntries bounds the descriptors examined across all the indexes of
// one image, so that indexes whose entries fan out (every entry naming the
// same nested index, again and again) cannot multiply the work: real
// multi-platform indexes list tens of manifests.
const maxIndexEntries = 10_000

// indexWalk keeps the state of one walk over nested indexes: the indexes
// already visited (each is expanded once) and the descriptors examined.
type indexWalk struct {
	seen    map[string]bool
	entries int
	bytes   int64
}

// maxIndexBytes bounds the bytes of index documents read for one image.
const maxIndexBytes = 64 << 20

// read counts an index document of n bytes against the budget.
func (w *indexWalk) read(n int) error {
	w.bytes += int64(n)
	if w.bytes > maxIndexBytes {
		return fmt.Errorf("%w: image indexes larger than %d bytes in all", ErrTooLarge, maxIndexBytes)
	}
	return nil
}

// visit counts n more descriptors and reports whether they are within the
// budget.
func (w *indexWalk) visit(n int) error {
	w.entries += n
	if w.entries > maxIndexEntries {
		return fmt.Errorf("%w: image indexes list more than %d manifests", ErrTooLarge, maxIndexEntries)
	}
	return nil
}

// first reports whether digest is seen for the first time.
func (w *indexWalk) first(digest string) bool {
	if w.seen == nil {
		w.seen = map[string]bool{}
	}
	if w.seen[digest] {
		return false
	}
	w.seen[digest] = true
	return true
}

// ociLayout reads an OCI image layout from a store (directory or archive).
type ociLayout struct {
	st    store
	where string
	limit int64
}

// blobName returns "blobs/<alg>/<hex>" for a digest, refusing anything but
// well-formed sha256/sha512 digests so that a digest can never be a path.
func blobName(h v1.Hash) (string, error) {
	want := map[string]int{"sha256": 64, "sha512": 128}[h.Algorithm]
	if want == 0 || len(h.Hex) != want || strings.Trim(h.Hex, "0123456789abcdef") != "" {
		return "", fmt.Errorf("%w: unsupported or malformed digest %q", ErrCorrupt, h.String())
	}
	return "blobs/" + h.Algorithm + "/" + h.Hex, nil
}

// readBlob reads a small blob and checks its size and digest.
func (l *ociLayout) readBlob(d v1.Descriptor) ([]byte, error) {
	name, err := blobName(d.Digest)
	if err != nil {
		return nil, err
	}
	b, err := readFile(l.st, name, l.limit)
	if err != nil {
		return nil, err
	}
	if d.Size > 0 && int64(len(b)) != d.Size {
		return nil, fmt.Errorf("%s: %w: %d bytes, descriptor says %d", name, ErrCorrupt, len(b), d.Size)
	}
	var h hash.Hash = sha256.New()
	if d.Digest.Algorithm == "sha512" {
		h = sha512.New()
	}
	h.Write(b)
	if got := hex.EncodeToString(h.Sum(nil)); got != d.Digest.Hex {
		return nil, fmt.Errorf("%s: %w: content digest %s:%s does not match", name, ErrCorrupt, d.Digest.Algorithm, got)
	}
	return b, nil
}

// kind tells an index from an image manifest, sniffing the JSON when the
// descriptor has no media type.
func (l *ociLayout) kind(d v1.Descriptor) (index, image bool, raw []byte, err error) {
	switch {
	case d.MediaType.IsIndex():
		return true, false, nil, nil
	case d.MediaType.IsImage():
		return false, true, nil, nil
	case d.MediaType != "":
		return false, false, nil, nil // artifacts, schema 1, …: not scannable
	}
	raw, err = l.readBlob(d)
	if err != nil {
		return false, false, nil, err
	}
	var probe struct {
		MediaType types.MediaType  `json:"mediaType"`
		Manifests *json.RawMessage `json:"manifests"`
		Layers    *json.RawMessage `json:"layers"`
	}
	if err := json.Unmarshal(raw, &probe); err != nil {
		return false, false, nil, fmt.Errorf("%w: %s: %w", ErrCorrupt, d.Digest, err)
	}
	return probe.MediaType.IsIndex() || probe.Manifests != nil, probe.MediaType.IsImage() || probe.Layers != nil, raw, nil
}

func (l *ociLayout) readIndex(d v1.Descriptor, raw []byte, w *indexWalk) (*v1.IndexManifest, error) {
	if raw == nil {
		var err error
		if raw, err = l.readBlob(d); err != nil {
			return nil, err
		}
	}
	if err := w.read(len(raw)); err != nil {
		return nil, err
	}
	var idx v1.IndexManifest
	if err := json.Unmarshal(raw, &idx); err != nil {
		return nil, fmt.Errorf("%w: image index %s: %w", ErrCorrupt, d.Digest, err)
	}
	return &idx, nil
}

// candidates lists the image manifests reachable from descs, descending into
// nested indexes. Each index and each manifest is taken once.
func (l *ociLayout) candidates(ctx context.Context, descs []v1.Descriptor, depth int, w *indexWalk) ([]candidate, error) {
	if depth > maxIndexDepth {
		return nil, fmt.Errorf("%w: image indexes nested more than %d deep", ErrCorrupt, maxIndexDepth)
	}
	if err := w.visit(len(descs)); err != nil {
		return nil, err
	}
	var out []candidate
	for _, d := range descs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if !w.first(d.Digest.String()) {
			continue
		}
		isIndex, isImage, raw, err := l.kind(d)
		if err != nil {
			return nil, err
		}
		switch {
		case isIndex:
			idx, err := l.readIndex(d, raw, w)
			if err != nil {
				return nil, err
			}
			sub, err := l.candidates(ctx, idx.Manifests, depth+1, w)
			if err != nil {
				return nil, err
			}
			out = append(out, sub...)
		case isImage:
			c := candidate{desc: d}
			if d.Platform != nil {
				p := fromV1(d.Platform)
				c.plat = &p
			}
			out = append(out, c)
		}
	}
	return out, nil
}

// findDigest finds the descriptor with the given digest, at any depth.
func (l *ociLayout) findDigest(ctx context.Context, descs []v1.Descriptor, digest string, depth int, w *indexWalk) (v1.Descriptor, bool, error) {
	if depth > maxIndexDepth {
		return v1.Descriptor{}, false, nil
	}
	if err := w.visit(len(descs)); err != nil {
		return v1.Descriptor{}, false, err
	}
	for _, d := range descs {
		if d.Digest.String() == digest {
			return d, true, nil
		}
	}
	for _, d := range descs {
		if err := ctx.Err(); err != nil {
			return v1.Descriptor{}, false, err
		}
		if !w.first(d.Digest.String()) {
			continue
		}
		isIndex, _, raw, err := l.kind(d)
		if err != nil || !isIndex {
			continue
		}
		idx, err := l.readIndex(d, raw, w)
		if err != nil {
			return v1.Descriptor{}, false, err
		}
		if f, ok, err := l.findDigest(ctx, idx.Manifests, digest, depth+1, w); ok || err != nil {
			return f, ok, err
		}
	}
	return v1.Descriptor{}, false, nil
}

// tagMatches reports whether an index entry's name annotation selects tag.
// Layouts written by different tools store "tag", "name:tag" or a full
// reference.
func tagMatches(d v1.Descriptor, tag string) bool {
	for _, k := range []string{refNameAnnotation, "io.containerd.image.name"} {
		if refMatches(d.Annotations[k], tag) {
			return true
		}
	}
	return false
}

// openOCI reads an OCI image layout (directory or archive).
func openOCI(ctx context.Context, st store, display string, sel selector, opts Options) (*Image, error) {
	where := st.describe()
	l := &ociLayout{st: st, where: where, limit: opts.maxJSON()}
	raw, err := readFile(st, "index.json", l.limit)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	var top v1.IndexManifest
	if err := json.Unmarshal(raw, &top); err != nil {
		return nil, fmt.Errorf("%s: index.json: %w: %w", where, ErrNotImage, err)
	}
	roots := top.Manifests
	switch {
	case sel.digest != "":
		d, ok, err := l.findDigest(ctx, roots, sel.digest, 0, &indexWalk{})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		if !ok {
			return nil, fmt.Errorf("%s: %w: no manifest with digest %s", where, ErrNotFound, sel.digest)
		}
		roots = []v1.Descriptor{d}
	case sel.tag != "" || sel.ref != "":
		if sel.tag == "" {
			sel.tag = sel.ref
		}
		var picked []v1.Descriptor
		var tags []string
		for _, d := range roots {
			if tagMatches(d, sel.tag) {
				picked = append(picked, d)
			}
			if n := d.Annotations[refNameAnnotation]; n != "" {
				tags = append(tags, n)
			}
		}
		if len(picked) == 0 {
			return nil, fmt.Errorf("%s: %w: no image tagged %q (available: %s)", where, ErrNotFound, sel.tag, strings.Join(tags, ", "))
		}
		roots = picked
	}
	cands, err := l.candidates(ctx, roots, 0, &indexWalk{})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	desc, err := choose(cands, opts.Platform, where)
	if err != nil {
		return nil, err
	}
	mraw, err := l.readBlob(desc)
	if err != nil {
		return nil, fmt.Errorf("%s: manifest: %w", where, err)
	}
	m, err := v1.ParseManifest(strings.NewReader(string(mraw)))
	if err != nil {
		return nil, fmt.Errorf("%s: manifest %s: %w: %w", where, desc.Digest, ErrCorrupt, err)
	}
	rawConfig, err := l.readBlob(m.Config)
	if err != nil {
		return nil, fmt.Errorf("%s: config: %w", where, err)
	}
	blobs := make([]layerBlob, 0, len(m.Layers))
	for _, ld := range m.Layers {
		name, err := blobName(ld.Digest)
		if err != nil {
			return nil, fmt.Errorf("%s: layer: %w", where, err)
		}
		rc, size, err := st.open(name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w: manifest %s references layer %s, which is missing", where, ErrCorrupt, desc.Digest, ld.Digest)
		}
		rc.Close()
		if ld.Size < 0 || size != ld.Size {
			return nil, fmt.Errorf("%s: %w: layer %s has %d bytes, the manifest says %d", where, ErrCorrupt, ld.Digest, size, ld.Size)
		}
		blobs = append(blobs, layerBlob{
			name:   ld.Digest.String(),
			digest: ld.Digest.String(),
			size:   ld.Size,
			check:  blobCheck{digest: ld.Digest.String(), size: ld.Size},
			open: func() (io.ReadCloser, error) {
				rc, _, err := st.open(name)
				return rc, err
			},
		})
	}
	return newImage(display, where, rawConfig, blobs)
}
