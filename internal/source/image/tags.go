package image

import (
	"context"
	"fmt"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// MaxTags caps the tags of a repository listed.
const MaxTags = 100_000

// ListTags returns the tags of a registry repository
// ("registry.example.com/team/app"), with the credentials and transport
// opts give, as the registry orders them.
func ListTags(ctx context.Context, repository string, opts Options) ([]string, error) {
	var nopts []name.Option
	if opts.Insecure {
		nopts = append(nopts, name.Insecure)
	}
	repo, err := name.NewRepository(repository, nopts...)
	if err != nil {
		return nil, fmt.Errorf("repository %q: %w", repository, err)
	}
	where := "registry repository " + repository
	ropts := []remote.Option{remote.WithContext(ctx),
		remote.WithTransport(cappedTransport{base: transportFor(opts), limit: 64 << 20}), remote.WithPageSize(1000)}
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
	tags, err := remote.List(repo, ropts...)
	if err != nil {
		return nil, registryError(where, err)
	}
	if len(tags) > MaxTags {
		return nil, fmt.Errorf("%s: %w: %d tags, more than %d", where, ErrTooLarge, len(tags), MaxTags)
	}
	return tags, nil
}
