package image_test

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/trawlsec/trawl/internal/source/image"
)

const (
	testUser = "alice"
	testPass = "s3cret"
)

// basicAuth wraps h so that every request needs alice:s3cret.
func basicAuth(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		if !ok || u != testUser || p != testPass {
			w.Header().Set("WWW-Authenticate", `Basic realm="trawl-test"`)
			http.Error(w, `{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}`, http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func newRegistry(t *testing.T, auth bool, tls bool) (host string) {
	t.Helper()
	var h http.Handler = registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	if auth {
		h = basicAuth(h)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // expected TLS handshake failures
	if tls {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(strings.TrimPrefix(srv.URL, "http://"), "https://")
}

func push(t *testing.T, ref string, img v1.Image, opts ...remote.Option) v1.Hash {
	t.Helper()
	r, err := name.ParseReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(r, img, opts...); err != nil {
		t.Fatal(err)
	}
	d, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestRegistry(t *testing.T) {
	ctx := context.Background()
	t.Setenv("DOCKER_CONFIG", t.TempDir())
	host := newRegistry(t, false, false)
	img := threeLayers(t)
	w := wantOf(t, img, threeSpecs()...)
	d := push(t, host+"/team/app:1.0", img)
	m, err := img.Manifest()
	if err != nil {
		t.Fatal(err)
	}

	for _, ref := range []string{host + "/team/app:1.0", host + "/team/app@" + d.String()} {
		t.Run(ref, func(t *testing.T) {
			got, err := image.Open(ctx, ref, image.Options{Keychain: authn.NewMultiKeychain()})
			if err != nil {
				t.Fatal(err)
			}
			defer got.Close()
			check(t, got, w)
			if got.Name() != ref {
				t.Errorf("Name() = %q", got.Name())
			}
			if want := []string{host + "/team/app@" + d.String()}; fmt.Sprint(got.RepoDigests()) != fmt.Sprint(want) {
				t.Errorf("RepoDigests() = %v, want %v", got.RepoDigests(), want)
			}
			for i, l := range got.Layers() {
				if l.Digest != m.Layers[i].Digest.String() {
					t.Errorf("layer %d Digest = %s, want %s", i, l.Digest, m.Layers[i].Digest)
				}
			}
		})
	}
	t.Run("tags", func(t *testing.T) {
		got, err := image.Open(ctx, host+"/team/app:1.0", image.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer got.Close()
		if want := []string{host + "/team/app:1.0"}; fmt.Sprint(got.RepoTags()) != fmt.Sprint(want) {
			t.Errorf("RepoTags() = %v, want %v", got.RepoTags(), want)
		}
	})

	for _, ref := range []string{host + "/team/app:missing", host + "/team/nope:1.0", host + "/team/app@sha256:" + strings.Repeat("1", 64)} {
		t.Run("404 "+ref, func(t *testing.T) {
			_, err := image.Open(ctx, ref, image.Options{})
			errIs(t, err, image.ErrNotFound)
			if !strings.Contains(err.Error(), ref) {
				t.Errorf("error %q does not name the ref", err)
			}
		})
	}
	t.Run("bad reference", func(t *testing.T) {
		if _, err := image.Open(ctx, "UPPER/Case::x", image.Options{}); err == nil {
			t.Fatal("want an error")
		}
	})
}

func TestRegistryMultiPlatform(t *testing.T) {
	ctx := context.Background()
	t.Setenv("DOCKER_CONFIG", t.TempDir())
	host := newRegistry(t, false, false)
	idx, wants := multiPlatform(t)
	r, err := name.ParseReference(host + "/multi:latest")
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.WriteIndex(r, idx); err != nil {
		t.Fatal(err)
	}
	idxDigest, _ := idx.Digest()
	for _, tt := range []struct{ platform, arch string }{{"", "amd64"}, {"linux/arm64", "arm64"}} {
		t.Run(tt.platform, func(t *testing.T) {
			got, err := image.Open(ctx, r.String(), image.Options{Platform: tt.platform})
			if err != nil {
				t.Fatal(err)
			}
			defer got.Close()
			check(t, got, wants[tt.arch])
			if want := host + "/multi@" + idxDigest.String(); got.RepoDigests()[0] != want {
				t.Errorf("RepoDigests() = %v, want %s", got.RepoDigests(), want)
			}
		})
	}
	_, err = image.Open(ctx, r.String(), image.Options{Platform: "linux/s390x"})
	var pe *image.PlatformError
	if !errors.As(err, &pe) || !strings.HasSuffix(err.Error(), "image index has no linux/s390x manifest (available: linux/amd64, linux/arm64/v8)") {
		t.Fatalf("error = %v", err)
	}
}

func TestRegistryAuth(t *testing.T) {
	ctx := context.Background()
	host := newRegistry(t, true, false)
	img := threeLayers(t)
	w := wantOf(t, img, threeSpecs()...)
	push(t, host+"/private/app:1", img, remote.WithAuth(&authn.Basic{Username: testUser, Password: testPass}))
	ref := host + "/private/app:1"
	// Keep the developer's real docker config out of the test.
	empty := t.TempDir()
	t.Setenv("DOCKER_CONFIG", empty)

	t.Run("no credentials", func(t *testing.T) {
		_, err := image.Open(ctx, ref, image.Options{})
		errIs(t, err, image.ErrUnauthorized)
		if !strings.Contains(err.Error(), ref) {
			t.Errorf("error %q does not name the ref", err)
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		_, err := image.Open(ctx, ref, image.Options{Username: testUser, Password: "wrong"})
		errIs(t, err, image.ErrUnauthorized)
	})
	t.Run("username and password", func(t *testing.T) {
		got, err := image.Open(ctx, ref, image.Options{Username: testUser, Password: testPass})
		if err != nil {
			t.Fatal(err)
		}
		defer got.Close()
		check(t, got, w) // layer blobs are fetched with the same credentials
	})
	t.Run("docker config keychain", func(t *testing.T) {
		cfgDir := t.TempDir()
		auth := base64.StdEncoding.EncodeToString([]byte(testUser + ":" + testPass))
		cfg := fmt.Sprintf(`{"auths":{%q:{"auth":%q}}}`, host, auth)
		if err := os.WriteFile(filepath.Join(cfgDir, "config.json"), []byte(cfg), 0o600); err != nil {
			t.Fatal(err)
		}
		t.Setenv("DOCKER_CONFIG", cfgDir)
		got, err := image.Open(ctx, ref, image.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer got.Close()
		check(t, got, w)
	})
}

func TestRegistryInsecureTLS(t *testing.T) {
	ctx := context.Background()
	host := newRegistry(t, false, true)
	img := threeLayers(t)
	w := wantOf(t, img, threeSpecs()...)
	ref := host + "/tls/app:1"
	// Push through the same skip-verify transport trawl uses for --insecure.
	r, err := name.ParseReference(ref, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true}
	if err := remote.Write(r, img, remote.WithTransport(tr)); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DOCKER_CONFIG", t.TempDir())

	if _, err := image.Open(ctx, ref, image.Options{}); err == nil {
		t.Fatal("self-signed registry accepted without Insecure")
	}
	got, err := image.Open(ctx, ref, image.Options{Insecure: true})
	if err != nil {
		t.Fatal(err)
	}
	defer got.Close()
	check(t, got, w)
}
