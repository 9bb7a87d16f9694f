package image

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// openRemote pulls the manifest and config of a registry image; layers are
// fetched when Layer.Open is called.
func openRemote(ctx context.Context, ref string, opts Options) (*Image, error) {
	var nopts []name.Option
	if opts.Insecure {
		nopts = append(nopts, name.Insecure)
	}
	r, err := name.ParseReference(ref, nopts...)
	if err != nil {
		return nil, fmt.Errorf("image reference %q: %w", ref, err)
	}
	tr := transportFor(opts)
	ropts := []remote.Option{remote.WithContext(ctx)}
	switch {
	case opts.Username != "" || opts.Password != "":
		ropts = append(ropts, remote.WithAuth(authn.FromConfig(authn.AuthConfig{Username: opts.Username, Password: opts.Password})))
	case opts.RegistryToken != "":
		ropts = append(ropts, remote.WithAuth(authn.FromConfig(authn.AuthConfig{RegistryToken: opts.RegistryToken})))
	case opts.Keychain != nil:
		ropts = append(ropts, remote.WithAuthFromKeychain(opts.Keychain))
	default:
		ropts = append(ropts, remote.WithAuthFromKeychain(authn.DefaultKeychain))
	}
	authOpts := ropts
	ropts = append(ropts[:len(ropts):len(ropts)], remote.WithTransport(tr))
	where := "registry image " + ref
	desc, err := remote.Get(r, ropts...)
	if err != nil {
		return nil, registryError(where, err)
	}
	var img v1.Image
	switch {
	case desc.MediaType.IsIndex():
		idx, err := desc.ImageIndex()
		if err != nil {
			return nil, registryError(where, err)
		}
		cands, err := remoteCandidates(ctx, idx, 0, &indexWalk{})
		if err != nil {
			return nil, registryError(where, err)
		}
		d, err := choose(cands, opts.Platform, where)
		if err != nil {
			return nil, err
		}
		if img, err = idx.Image(d.Digest); err != nil {
			return nil, registryError(where, err)
		}
	case desc.MediaType.IsImage():
		if img, err = desc.Image(); err != nil {
			return nil, registryError(where, err)
		}
	default:
		return nil, fmt.Errorf("%s: %w: unsupported manifest media type %q", where, ErrNotImage, desc.MediaType)
	}
	m, err := img.Manifest()
	if err != nil {
		return nil, registryError(where, err)
	}
	if m.Config.Size > opts.maxJSON() {
		return nil, fmt.Errorf("%s: config: %w: %d bytes", where, ErrTooLarge, m.Config.Size)
	}
	rawConfig, err := img.RawConfigFile()
	if err != nil {
		return nil, registryError(where, err)
	}
	if int64(len(rawConfig)) > opts.maxJSON() {
		return nil, fmt.Errorf("%s: config: %w: %d bytes", where, ErrTooLarge, len(rawConfig))
	}
	if got := sha256Digest(rawConfig); m.Config.Digest.Algorithm == "sha256" && got != m.Config.Digest.String() {
		return nil, fmt.Errorf("%s: config: %w: digest %s does not match manifest's %s", where, ErrCorrupt, got, m.Config.Digest)
	}
	blobs := make([]layerBlob, 0, len(m.Layers))
	for _, ld := range m.Layers {
		l, err := img.LayerByDigest(ld.Digest)
		if err != nil {
			return nil, registryError(where, err)
		}
		blobs = append(blobs, layerBlob{
			name:   ld.Digest.String(),
			digest: ld.Digest.String(),
			size:   ld.Size,
			// go-containerregistry checks the blob's digest and size
			// as it is read; the drain at EOF makes it reach the end.
			check: blobCheck{size: -1},
			open: func() (io.ReadCloser, error) {
				rc, err := l.Compressed() // verifies the blob digest as it is read
				if err != nil {
					return nil, registryError(where, err)
				}
				return rc, nil
			},
		})
	}
	out, err := newImage(ref, where, rawConfig, blobs)
	if err != nil {
		return nil, err
	}
	repo := displayRepository(r.Context())
	if t, ok := r.(name.Tag); ok {
		out.repoTags = []string{repo + ":" + t.TagStr()}
	}
	out.repoDigests = []string{repo + "@" + desc.Digest.String()}
	manifestDigest, err := img.Digest()
	if err != nil {
		return nil, registryError(where, err)
	}
	out.remote = &remoteImage{repo: r.Context(), manifest: manifestDigest, top: desc.Digest, where: where,
		auth: authOpts, transport: tr, maxJSON: opts.maxJSON(), logger: opts.logger()}
	return out, nil
}

// displayRepository names a repository as Docker (and Trivy) show it in
// RepoTags/RepoDigests: Docker Hub images without the registry and without
// the implicit "library/" namespace, others as registry/repository.
func displayRepository(repo name.Repository) string {
	if repo.RegistryStr() != name.DefaultRegistry {
		return repo.RegistryStr() + "/" + repo.RepositoryStr()
	}
	return strings.TrimPrefix(repo.RepositoryStr(), "library/")
}

// remoteCandidates lists the image manifests of a registry index,
// descending into nested indexes.
func remoteCandidates(ctx context.Context, idx v1.ImageIndex, depth int, w *indexWalk) ([]candidate, error) {
	if depth > maxIndexDepth {
		return nil, fmt.Errorf("%w: image indexes nested more than %d deep", ErrCorrupt, maxIndexDepth)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return nil, err
	}
	if err := w.visit(len(im.Manifests)); err != nil {
		return nil, err
	}
	var out []candidate
	for _, d := range im.Manifests {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if !w.first(d.Digest.String()) {
			continue
		}
		switch {
		case d.MediaType.IsIndex():
			sub, err := idx.ImageIndex(d.Digest)
			if err != nil {
				return nil, err
			}
			cs, err := remoteCandidates(ctx, sub, depth+1, w)
			if err != nil {
				return nil, err
			}
			out = append(out, cs...)
		case d.MediaType.IsImage():
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

func transportFor(opts Options) http.RoundTripper {
	if opts.Transport != nil {
		return opts.Transport
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	if opts.Insecure {
		t.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // --insecure asked for it
	}
	return t
}

// registryError classifies registry failures: 401/403 as ErrUnauthorized,
// 404 (and the MANIFEST_UNKNOWN / NAME_UNKNOWN codes) as ErrNotFound.
func registryError(where string, err error) error {
	var te *transport.Error
	if errors.As(err, &te) {
		switch te.StatusCode {
		case http.StatusUnauthorized, http.StatusForbidden:
			return fmt.Errorf("%s: %w (HTTP %d): %w", where, ErrUnauthorized, te.StatusCode, err)
		case http.StatusNotFound:
			return fmt.Errorf("%s: %w (HTTP 404): %w", where, ErrNotFound, err)
		}
		for _, d := range te.Errors {
			switch d.Code {
			case transport.UnauthorizedErrorCode, transport.DeniedErrorCode:
				return fmt.Errorf("%s: %w: %w", where, ErrUnauthorized, err)
			case transport.ManifestUnknownErrorCode, transport.NameUnknownErrorCode, transport.BlobUnknownErrorCode:
				return fmt.Errorf("%s: %w: %w", where, ErrNotFound, err)
			}
		}
	}
	return fmt.Errorf("%s: %w", where, err)
}
