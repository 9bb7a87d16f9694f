package image

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/containerd/containerd/v2/client"
	"github.com/containerd/containerd/v2/core/images"
	"github.com/containerd/containerd/v2/core/images/archive"
	"github.com/containerd/containerd/v2/pkg/namespaces"
	"github.com/containerd/errdefs"
	"github.com/containerd/platforms"
	"github.com/distribution/reference"
)

// Default containerd endpoint and namespace, as Trivy's.
const (
	DefaultContainerdAddress   = "/run/containerd/containerd.sock"
	DefaultContainerdNamespace = namespaces.Default // "default"; Kubernetes nodes keep their images in "k8s.io"
)

// containerdTarget resolves the containerd socket and namespace:
// $CONTAINERD_ADDRESS and $CONTAINERD_NAMESPACE (as Trivy), else the
// defaults. A unix:// prefix is accepted on the address.
func containerdTarget() (address, namespace string) {
	address = strings.TrimPrefix(os.Getenv("CONTAINERD_ADDRESS"), "unix://")
	if address == "" {
		address = DefaultContainerdAddress
	}
	namespace = os.Getenv("CONTAINERD_NAMESPACE")
	if namespace == "" {
		namespace = DefaultContainerdNamespace
	}
	return address, namespace
}

// openContainerd reads an image from containerd's image and content
// stores: the image is looked up by name (as given, then normalised as
// docker.io/library/…), by name@digest, or by ID (its manifest, index or
// config digest, or an unambiguous prefix of at least 12 hex digits), then
// exported as an OCI archive (the requested platform only) into one
// temporary file under opts.TempDir, bounded by MaxArchiveSize, read as an
// OCI archive and removed by Close. Nothing is unpacked, so no snapshotter
// is needed.
func openContainerd(ctx context.Context, ref string, opts Options) (*Image, error) {
	address, ns := containerdTarget()
	where := fmt.Sprintf("containerd unix://%s (namespace %s)", address, ns)
	if ref == "" || len(ref) > 4096 {
		return nil, fmt.Errorf("%w: %q is not an image name or ID", errNotHere, ref)
	}
	if _, err := os.Stat(address); err != nil {
		return nil, fmt.Errorf("%w: %s: socket not found: %w", errNotHere, where, err)
	}
	c, err := client.New(address, client.WithDefaultNamespace(ns), client.WithTimeout(10*time.Second))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", errNotHere, where, err)
	}
	defer c.Close()
	ctx = namespaces.WithNamespace(ctx, ns)

	vctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	_, err = c.Version(vctx)
	cancel()
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%w: %s: %w", errNotHere, where, err)
	}

	platform := opts.Platform
	if platform == "" {
		platform = DefaultPlatform
	}
	p, err := platforms.Parse(platform)
	if err != nil {
		return nil, fmt.Errorf("%s: platform %q: %w", where, platform, err)
	}
	match := platforms.OnlyStrict(p)

	is := c.ImageService()
	img, err := findContainerdImage(ctx, is, ref, match, c)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%w: %s: %w", errNotHere, where, err)
	}

	// From here on containerd holds the image: failures are final.
	where = "containerd image " + img.Name
	tmp, err := spillToTemp(ctx, where, opts, func(w io.Writer) error {
		return c.Export(ctx, w,
			archive.WithManifest(img.Target, img.Name),
			archive.WithPlatform(match),
			archive.WithSkipDockerManifest())
	})
	if err != nil {
		return nil, err
	}
	out, err := openExport(ctx, tmp, where, ref, opts)
	if err != nil {
		return nil, err
	}
	// The other names of the same target, for RepoTags and RepoDigests.
	same, err := is.List(ctx, "target.digest=="+img.Target.Digest.String())
	if err != nil {
		opts.logger().Debug("listing the names of a containerd image", "image", img.Name, "err", err)
	}
	out.repoTags, out.repoDigests = containerdRepoNames(img, same)
	return out, nil
}

// findContainerdImage looks ref up in the image store. A name containerd
// does not know is ErrNotFound.
func findContainerdImage(ctx context.Context, is images.Store, ref string, match platforms.MatchComparer, c *client.Client) (images.Image, error) {
	names := []string{ref}
	named, perr := reference.ParseDockerRef(ref)
	if perr == nil && named.String() != ref {
		names = append(names, named.String())
	}
	for _, n := range names {
		img, err := is.Get(ctx, n)
		if err == nil {
			return img, nil
		}
		if !errdefs.IsNotFound(err) {
			return images.Image{}, fmt.Errorf("looking up %s: %w", n, err)
		}
	}
	all, err := is.List(ctx)
	if err != nil {
		return images.Image{}, fmt.Errorf("listing images: %w", err)
	}
	// name@digest: an image of that repository whose target is the digest.
	if canon, ok := named.(reference.Canonical); perr == nil && ok {
		for _, img := range all {
			n, err := reference.ParseNormalizedNamed(img.Name)
			if err == nil && n.Name() == canon.Name() && img.Target.Digest == canon.Digest() {
				return img, nil
			}
		}
	}
	// An ID: the target's digest, or the config's for the platform.
	if hex, ok := imageIDHex(ref); ok {
		var found []images.Image
		for _, img := range all {
			if strings.HasPrefix(img.Target.Digest.Encoded(), hex) && img.Target.Digest.Algorithm() == "sha256" {
				found = append(found, img)
				continue
			}
			if cfg, err := img.Config(ctx, c.ContentStore(), match); err == nil && cfg.Digest.Algorithm() == "sha256" && strings.HasPrefix(cfg.Digest.Encoded(), hex) {
				found = append(found, img)
			}
		}
		targets := map[string]bool{}
		for _, img := range found {
			targets[img.Target.Digest.String()] = true
		}
		switch {
		case len(targets) == 1:
			return found[0], nil
		case len(targets) > 1:
			return images.Image{}, fmt.Errorf("%w: image ID %s is ambiguous (%d images)", ErrNotFound, ref, len(targets))
		}
	}
	return images.Image{}, fmt.Errorf("%w: no such image %s", ErrNotFound, ref)
}

// imageIDHex reads an image ID: sha256:<hex> or bare hex, at least 12
// digits.
func imageIDHex(ref string) (string, bool) {
	hex := strings.TrimPrefix(ref, "sha256:")
	if len(hex) < 12 || len(hex) > 64 {
		return "", false
	}
	for _, r := range hex {
		if (r < '0' || r > '9') && (r < 'a' || r > 'f') {
			return "", false
		}
	}
	return hex, true
}

// containerdRepoNames are the report's RepoTags and RepoDigests, as Trivy
// gives them: the familiar names of img and of the other images of the
// namespace with its target (tagged names as tags), each repository with
// the target digest.
func containerdRepoNames(img images.Image, others []images.Image) (tags, digests []string) {
	for _, o := range append([]images.Image{img}, others...) {
		if o.Target.Digest != img.Target.Digest {
			continue
		}
		n, err := reference.ParseNormalizedNamed(o.Name)
		if err != nil {
			continue
		}
		if t, ok := n.(reference.Tagged); ok {
			tags = append(tags, reference.FamiliarName(n)+":"+t.Tag())
		}
		digests = append(digests, reference.FamiliarName(n)+"@"+img.Target.Digest.String())
	}
	slices.Sort(tags)
	slices.Sort(digests)
	return slices.Compact(tags), slices.Compact(digests)
}

// spillToTemp runs write into a new temporary file under opts.TempDir
// (stale copies of killed runs removed first) and returns its name. The
// copy is bounded by MaxArchiveSize; the file is removed on error.
func spillToTemp(ctx context.Context, where string, opts Options, write func(io.Writer) error) (_ string, err error) {
	dir := opts.TempDir
	if dir == "" {
		dir = os.TempDir()
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("%s: export: temporary directory: %w", where, err)
	}
	removeStaleTemps(dir, opts.logger())
	tmp, err := os.CreateTemp(dir, tempPrefix())
	if err != nil {
		return "", fmt.Errorf("%s: export: %w", where, err)
	}
	defer func() {
		if cerr := tmp.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("%s: export: writing the temporary copy in %s: %w", where, dir, cerr)
		}
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	lw := &limitWriter{w: tmp, left: opts.maxArchive()}
	if err := write(lw); err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		if lw.over {
			return "", fmt.Errorf("%s: export: %w: more than %d bytes", where, ErrTooLarge, opts.maxArchive())
		}
		if lw.err != nil {
			return "", fmt.Errorf("%s: export: writing the temporary copy in %s: %w", where, dir, lw.err)
		}
		return "", fmt.Errorf("%s: export: %w: %w", where, ErrCorrupt, err)
	}
	return tmp.Name(), nil
}

// errExportLimit stops a write past the size bound.
var errExportLimit = errors.New("export size limit reached")

// limitWriter writes at most left bytes to w, then fails.
type limitWriter struct {
	w    io.Writer
	left int64
	over bool
	err  error // w's own error
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if int64(len(p)) > l.left {
		l.over = true
		return 0, errExportLimit
	}
	n, err := l.w.Write(p)
	l.left -= int64(n)
	if err != nil {
		l.err = err
	}
	return n, err
}
