// Package image opens container images for scanning, without needing a
// Docker engine (but reading from one, from Podman or containerd, when
// asked).
//
// It reads docker-save tarballs (modern and legacy layouts, plain or
// compressed as a whole), OCI image layout directories, OCI archives (a tar
// of an OCI layout), images in remote registries and images held by a
// Docker or Podman daemon (exported once, as a docker-save tar, to a
// temporary file removed by Close) or by containerd (exported once, as an
// OCI archive, likewise), and presents all of them
// through one value, *Image, that hands out the image configuration and the
// uncompressed tar stream of every layer. Nothing is extracted to disk: tar
// archives are indexed once and their members served with io.SectionReader.
//
// Names found inside archives and manifests are only ever looked up in the
// archive's own index (or under an os.Root for directories), so hostile names
// such as "../x" or "/etc/passwd" never reach the filesystem.
package image

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Sentinel errors. Errors returned by Open wrap one of them (or a
// *PlatformError) so that callers can classify failures with errors.Is.
var (
	// ErrNotImage means the input exists but is not a container image
	// (random bytes, a tar without manifest.json or index.json, ...).
	ErrNotImage = errors.New("trawl/image: not a container image")
	// ErrCorrupt means the input looked like an image but is damaged:
	// a truncated tar or gzip stream, a digest mismatch, a manifest that
	// references a blob the image does not contain, malformed JSON.
	ErrCorrupt = errors.New("trawl/image: corrupt image")
	// ErrUnsafePath means a manifest named a path outside the archive.
	ErrUnsafePath = errors.New("trawl/image: unsafe path")
	// ErrTooLarge means a size limit was exceeded (JSON documents, the
	// decompressed size of a compressed archive).
	ErrTooLarge = errors.New("trawl/image: size limit exceeded")
	// ErrNotFound means the image (or the input file) does not exist.
	ErrNotFound = errors.New("trawl/image: not found")
	// ErrUnauthorized means the registry refused the credentials.
	ErrUnauthorized = errors.New("trawl/image: unauthorized")
)

// PlatformError is returned (wrapped) when an image index has no manifest
// for the requested platform.
type PlatformError struct {
	Want      string   // requested platform, "os/arch[/variant]"
	Available []string // platforms present in the index
}

func (e *PlatformError) Error() string {
	return fmt.Sprintf("image index has no %s manifest (available: %s)", e.Want, strings.Join(e.Available, ", "))
}

// Default limits.
const (
	// DefaultMaxJSONSize caps manifest, index and config reads.
	DefaultMaxJSONSize = 8 << 20
	// DefaultMaxArchiveSize caps the decompressed size of an archive that
	// is compressed as a whole (a guard against gzip bombs).
	DefaultMaxArchiveSize = 32 << 30
	// DefaultPlatform is used to pick a manifest from an image index.
	DefaultPlatform = "linux/amd64"
	// MaxLayers bounds the layers of one image (Docker's overlay driver
	// stops at 128; OCI sets no limit, so leave room).
	MaxLayers = 1000
)

// Options control Open.
type Options struct {
	// Input is the path of an image archive (docker-save or OCI archive,
	// optionally gzip/zstd-compressed as a whole) or of an OCI layout
	// directory. An OCI layout or archive may be suffixed ":tag" or
	// "@sha256:<hex>" to select an image by its
	// org.opencontainers.image.ref.name annotation or by digest.
	// When Input is set, the ref argument of Open is only a display name.
	Input string
	// Platform selects the manifest of a multi-platform index, as
	// "os/arch[/variant]". Empty means DefaultPlatform; a single-image source
	// whose descriptor records no platform is accepted whatever it is.
	Platform string

	// Sources is where an image named without Input is looked for, in
	// order: SourceDocker, SourceContainerd ($CONTAINERD_ADDRESS,
	// $CONTAINERD_NAMESPACE), SourcePodman, SourceRemote (Trivy's --image-src). Empty means
	// SourceRemote only.
	Sources []string
	// DockerHost is the Docker Engine address (unix:///path or
	// tcp://host:port); empty means $DOCKER_HOST, else DefaultDockerHost.
	DockerHost string
	// PodmanHost is the Podman API address; empty means
	// $XDG_RUNTIME_DIR/podman/podman.sock when it exists, else
	// DefaultPodmanSocket.
	PodmanHost string

	// Insecure allows plain HTTP and skips TLS verification for registries.
	Insecure bool
	// Username and Password, or RegistryToken, are explicit registry
	// credentials. Without them Keychain is used.
	Username, Password, RegistryToken string
	// Keychain resolves registry credentials; nil means
	// authn.DefaultKeychain (docker config and credential helpers).
	Keychain authn.Keychain
	// Transport is the HTTP transport for registry requests; nil means a
	// clone of http.DefaultTransport (with TLS verification off if Insecure).
	Transport http.RoundTripper

	// TempDir is where a compressed archive is decompressed, and a daemon's
	// image exported (once, removed by Close); empty means os.TempDir().
	TempDir string
	// MaxJSONSize caps manifest/index/config reads (0: DefaultMaxJSONSize).
	MaxJSONSize int64
	// MaxArchiveSize caps the decompressed size of a compressed archive
	// and the size of an image exported by a daemon (0:
	// DefaultMaxArchiveSize).
	MaxArchiveSize int64
	// Logger receives warnings (e.g. skipped unsafe archive entries); nil
	// discards them.
	Logger *slog.Logger
}

func (o Options) maxJSON() int64 {
	if o.MaxJSONSize > 0 {
		return o.MaxJSONSize
	}
	return DefaultMaxJSONSize
}

func (o Options) maxArchive() int64 {
	if o.MaxArchiveSize > 0 {
		return o.MaxArchiveSize
	}
	return DefaultMaxArchiveSize
}

func (o Options) logger() *slog.Logger {
	if o.Logger != nil {
		return o.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// Layer is one filesystem layer of an image, in manifest order.
type Layer struct {
	// DiffID is the digest of the uncompressed layer tar ("sha256:…"),
	// from the image config.
	DiffID string
	// Digest is the digest of the layer blob as stored, when the source
	// knows it without computing it (OCI layouts and registries); empty for
	// docker-save archives.
	Digest string
	// Size is the size in bytes of the layer as stored (compressed size for
	// compressed blobs).
	Size int64
	// CreatedBy is the history command that created the layer, if known.
	CreatedBy string
	// Open returns the uncompressed tar stream of the layer. Every call is
	// independent, so layers (and one layer several times) can be read
	// concurrently. When the stream is read to EOF its digest is checked
	// against DiffID — and the stored blob against its digest and size
	// where the manifest gives them — and a mismatch is reported as an
	// error from Read. What was read is trustworthy only once Read has
	// returned io.EOF: callers must read past the tar's end blocks.
	Open func() (io.ReadCloser, error)
}

// Image is an opened container image. Call Close when done.
type Image struct {
	name        string
	id          string
	repoTags    []string
	repoDigests []string
	config      *v1.ConfigFile
	rawConfig   []byte
	layers      []Layer
	closers     []func() error
	remote      *remoteImage // registry images only (referrers.go)
}

// Name returns the display name: the ref given to Open, else the input path.
func (img *Image) Name() string { return img.name }

// ID returns the config digest, "sha256:…".
func (img *Image) ID() string { return img.id }

// RepoTags returns the repository tags recorded by the source, if any.
func (img *Image) RepoTags() []string { return append([]string(nil), img.repoTags...) }

// RepoDigests returns "repository@sha256:…" for registry images.
func (img *Image) RepoDigests() []string { return append([]string(nil), img.repoDigests...) }

// ConfigFile returns the parsed image configuration.
func (img *Image) ConfigFile() *v1.ConfigFile { return img.config }

// RawConfig returns the image configuration exactly as stored.
func (img *Image) RawConfig() []byte { return append([]byte(nil), img.rawConfig...) }

// Layers returns the image layers, base first.
func (img *Image) Layers() []Layer { return append([]Layer(nil), img.layers...) }

// Close releases the files held by the image and removes any temporary file.
// Layer.Open must not be called after Close.
func (img *Image) Close() error {
	var errs []error
	for i := len(img.closers) - 1; i >= 0; i-- {
		errs = append(errs, img.closers[i]())
	}
	img.closers = nil
	return errors.Join(errs...)
}

// Open opens the image named by ref, or the archive or layout opts.Input.
// Without Input, ref is looked for in opts.Sources in order (daemons,
// registry). For registry images ctx also bounds the requests made later by
// Layer.Open.
func Open(ctx context.Context, ref string, opts Options) (*Image, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if opts.Platform != "" {
		if _, err := parsePlatform(opts.Platform); err != nil {
			return nil, err
		}
	}
	if opts.Input != "" {
		return openInput(ctx, ref, opts)
	}
	if ref == "" {
		return nil, errors.New("trawl/image: no image reference or input given")
	}
	return openFromSources(ctx, ref, opts)
}

// openInput dispatches on what opts.Input is: a directory, a file, or a
// layout directory with a ":tag" / "@digest" suffix.
func openInput(ctx context.Context, ref string, opts Options) (*Image, error) {
	display := ref
	if display == "" {
		display = opts.Input
	}
	p, sel := opts.Input, selector{}
	// A reference given with an input selects the image of that name in
	// the archive or layout; it is never just a label for whatever the
	// archive holds first.
	sel.ref = ref
	fi, err := os.Stat(p)
	if err != nil {
		// Maybe "layout:tag" or "layout@sha256:…" (directory or archive).
		if base, s, ok := splitSelector(p); ok {
			if bfi, berr := os.Stat(base); berr == nil && (bfi.IsDir() || bfi.Mode().IsRegular()) {
				s.ref = ref
				p, sel, fi, err = base, s, bfi, nil
			}
		}
	}
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("open image input %s: %w: %w", opts.Input, ErrNotFound, err)
		}
		return nil, fmt.Errorf("open image input %s: %w", opts.Input, err)
	}
	if fi.IsDir() {
		st, err := openDirStore(p)
		if err != nil {
			return nil, err
		}
		img, err := openStore(ctx, st, display, sel, opts)
		if err != nil {
			st.close()
			return nil, err
		}
		img.closers = append(img.closers, st.close)
		return img, nil
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("open image input %s: %w: not a regular file or directory", p, ErrNotImage)
	}
	st, err := openArchive(ctx, p, opts)
	if err != nil {
		return nil, err
	}
	img, err := openStore(ctx, st, display, sel, opts)
	if err != nil {
		st.close()
		return nil, err
	}
	img.closers = append(img.closers, st.close)
	return img, nil
}

// openStore reads a docker-save or OCI layout from an indexed archive or a
// directory.
func openStore(ctx context.Context, st store, display string, sel selector, opts Options) (*Image, error) {
	switch {
	case st.has("manifest.json") && sel.tag == "" && sel.digest == "":
		return openDockerSave(ctx, st, display, sel.ref, opts)
	case st.has("index.json"):
		return openOCI(ctx, st, display, sel, opts)
	case st.has("manifest.json"):
		return nil, fmt.Errorf("%s: %w: a tag or digest selector needs an OCI layout (index.json)", st.describe(), ErrNotImage)
	default:
		return nil, fmt.Errorf("%s: %w: no manifest.json or index.json", st.describe(), ErrNotImage)
	}
}

// splitSelector splits "path:tag" or "path@alg:hex". The tag may not contain
// '/' (which would make it part of the path).
func splitSelector(p string) (string, selector, bool) {
	if i := strings.LastIndex(p, "@"); i > 0 {
		d := p[i+1:]
		if _, err := v1.NewHash(d); err == nil {
			return p[:i], selector{digest: d}, true
		}
	}
	if i := strings.LastIndex(p, ":"); i > 0 {
		tag := p[i+1:]
		if tag != "" && !strings.ContainsAny(tag, `/\`) {
			return p[:i], selector{tag: tag}, true
		}
	}
	return "", selector{}, false
}

// selector picks one image out of an OCI layout (tag or digest suffix of
// the input) or an archive (ref, the image reference given with --input).
type selector struct {
	tag    string
	digest string
	ref    string
}

// readCapped reads at most limit bytes of r and fails if there are more.
func readCapped(r io.Reader, limit int64, what string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w: %w", what, ErrCorrupt, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("read %s: %w: larger than %d bytes", what, ErrTooLarge, limit)
	}
	return b, nil
}

func sha256Digest(b []byte) string {
	s := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(s[:])
}

// newImage assembles an Image from a config and per-layer stored blobs,
// checking that the layer count matches the config's diff_ids.
func newImage(display, where string, rawConfig []byte, blobs []layerBlob) (*Image, error) {
	cfg, err := v1.ParseConfigFile(bytes.NewReader(rawConfig))
	if err != nil {
		return nil, fmt.Errorf("%s: image config: %w: %w", where, ErrCorrupt, err)
	}
	if len(blobs) > MaxLayers {
		return nil, fmt.Errorf("%s: %w: %d layers, more than the %d a real image has", where, ErrTooLarge, len(blobs), MaxLayers)
	}
	if len(cfg.RootFS.DiffIDs) != len(blobs) {
		return nil, fmt.Errorf("%s: %w: manifest lists %d layers but the config has %d diff_ids",
			where, ErrCorrupt, len(blobs), len(cfg.RootFS.DiffIDs))
	}
	var createdBy []string
	for _, h := range cfg.History {
		if !h.EmptyLayer {
			createdBy = append(createdBy, h.CreatedBy)
		}
	}
	img := &Image{
		name:      display,
		id:        sha256Digest(rawConfig),
		config:    cfg,
		rawConfig: rawConfig,
	}
	for i, b := range blobs {
		diffID := cfg.RootFS.DiffIDs[i].String()
		if _, _, ok := cutDigest(diffID); !ok {
			return nil, fmt.Errorf("%s: image config: %w: diff_id %q is not a sha256 or sha512 digest", where, ErrCorrupt, diffID)
		}
		l := Layer{DiffID: diffID, Digest: b.digest, Size: b.size}
		if i < len(createdBy) {
			l.CreatedBy = createdBy[i]
		}
		open, what, check := b.open, b.name, b.check
		l.Open = func() (io.ReadCloser, error) {
			rc, err := open()
			if err != nil {
				return nil, fmt.Errorf("%s: layer %s: %w", where, what, err)
			}
			u, err := uncompress(rc, where+": layer "+what, diffID, check)
			if err != nil {
				return nil, err
			}
			return u, nil
		}
		img.layers = append(img.layers, l)
	}
	return img, nil
}

// layerBlob is a layer as stored by a source.
type layerBlob struct {
	name   string // for messages
	digest string // "" when the source does not know it
	size   int64
	// check is what is verified as the blob is read, on top of the
	// diffID of its uncompressed content.
	check blobCheck
	open  func() (io.ReadCloser, error)
}
