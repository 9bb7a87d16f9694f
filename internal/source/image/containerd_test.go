package image_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/opencontainers/go-digest"

	"github.com/trawlsec/trawl/internal/source/image"
	"github.com/trawlsec/trawl/internal/source/image/containerdtest"
)

// containerdImage starts a containerd holding the standard test image,
// imported from its docker-save archive into namespace ns, and points
// CONTAINERD_ADDRESS and CONTAINERD_NAMESPACE at it.
func containerdImage(t *testing.T, ns string) (*containerdtest.Daemon, want) {
	t.Helper()
	img := threeLayers(t)
	w := wantOf(t, img, threeSpecs()...)
	archive := filepath.Join(t.TempDir(), "app.tar")
	if err := os.WriteFile(archive, writeDockerSave(t, "example.com/app:1.0", img), 0o600); err != nil {
		t.Fatal(err)
	}
	d := containerdtest.Start(t)
	if names := d.Import(t, ns, archive); !slices.Contains(names, "example.com/app:1.0") {
		t.Fatalf("containerd named the import %v", names)
	}
	t.Setenv("CONTAINERD_ADDRESS", d.Address)
	t.Setenv("CONTAINERD_NAMESPACE", ns)
	return d, w
}

// TestContainerdSource: an image held by containerd is found by name, by
// name@digest and by ID, exported as an OCI archive and read like the
// archive it was imported from; its temporary export is removed.
func TestContainerdSource(t *testing.T) {
	d, w := containerdImage(t, "trawl-test")
	target := d.Target(t, "trawl-test", "example.com/app:1.0")
	// A second name of the same image: both are its RepoTags, whichever is
	// looked up.
	d.Tag(t, "trawl-test", "example.com/app:1.0", "docker.io/library/app:latest")
	for _, tc := range []struct{ name, ref string }{
		{"by name", "example.com/app:1.0"},
		{"by name and digest", "example.com/app@" + target.String()},
		{"by config digest", w.id},
		{"by target digest", target.String()},
		{"by short ID", strings.TrimPrefix(w.id, "sha256:")[:12]},
		{"by its other, normalised name", "app"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmp := filepath.Join(t.TempDir(), "tmp")
			img, err := image.Open(context.Background(), tc.ref, image.Options{
				Sources: []string{image.SourceContainerd}, TempDir: tmp,
			})
			if err != nil {
				t.Fatal(err)
			}
			check(t, img, w)
			wantTags := []string{"app:latest", "example.com/app:1.0"}
			wantDigests := []string{"app@" + target.String(), "example.com/app@" + target.String()}
			if !slices.Equal(img.RepoTags(), wantTags) || !slices.Equal(img.RepoDigests(), wantDigests) {
				t.Errorf("RepoTags %v RepoDigests %v, want %v %v", img.RepoTags(), img.RepoDigests(), wantTags, wantDigests)
			}
			if err := img.Close(); err != nil {
				t.Fatal(err)
			}
			emptyDir(t, tmp)
		})
	}
}

// TestContainerdFallThrough: a containerd without the image (another
// namespace, an unknown name, no socket) passes to the next source, with
// its reason on the one line; a damaged image, once found, is final.
func TestContainerdFallThrough(t *testing.T) {
	d, _ := containerdImage(t, "trawl-test")
	missing := filepath.Join(t.TempDir(), "absent.sock")
	dead := filepath.Join(t.TempDir(), "dead.sock") // a file nothing listens on
	if err := os.WriteFile(dead, nil, 0o600); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name, address, ns, ref, want string
	}{
		{"other namespace", d.Address, "default", "example.com/app:1.0",
			"containerd: containerd unix://" + d.Address + " (namespace default): trawl/image: not found: no such image example.com/app:1.0"},
		{"unknown name", d.Address, "trawl-test", "example.com/app:2.0",
			"containerd: containerd unix://" + d.Address + " (namespace trawl-test): trawl/image: not found: no such image example.com/app:2.0"},
		{"no socket", missing, "trawl-test", "example.com/app:1.0",
			"containerd: containerd unix://" + missing + " (namespace trawl-test): socket not found"},
		{"not answering", dead, "trawl-test", "example.com/app:1.0",
			"containerd: containerd unix://" + dead + " (namespace trawl-test): "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("CONTAINERD_ADDRESS", tc.address)
			t.Setenv("CONTAINERD_NAMESPACE", tc.ns)
			_, err := image.Open(context.Background(), tc.ref, image.Options{
				Sources:    []string{image.SourceContainerd, image.SourceDocker},
				DockerHost: "unix://" + missing, TempDir: t.TempDir(),
			})
			if err == nil {
				t.Fatal("found an image containerd does not hold")
			}
			if !strings.Contains(err.Error(), `unable to find the specified image "`+tc.ref+`" in [containerd docker]: `+tc.want) ||
				!strings.Contains(err.Error(), "; docker: docker daemon") {
				t.Errorf("error %q\nwant the containerd reason %q and the docker source tried next", err, tc.want)
			}
		})
	}

	t.Run("larger than the bound", func(t *testing.T) {
		tmp := t.TempDir()
		_, err := image.Open(context.Background(), "example.com/app:1.0", image.Options{
			Sources: []string{image.SourceContainerd, image.SourceDocker}, DockerHost: "unix://" + missing,
			TempDir: tmp, MaxArchiveSize: 2048,
		})
		errIs(t, err, image.ErrTooLarge)
		if !strings.Contains(err.Error(), "containerd image example.com/app:1.0: export") || strings.Contains(err.Error(), "docker") {
			t.Errorf("error %q: want a final error naming the containerd image, the docker source not tried", err)
		}
		emptyDir(t, tmp)
	})

	t.Run("damaged content", func(t *testing.T) {
		// A layer blob removed from the content store: containerd has the
		// image but cannot export it.
		tmp := t.TempDir()
		img, err := image.Open(context.Background(), "example.com/app:1.0", image.Options{
			Sources: []string{image.SourceContainerd}, TempDir: tmp,
		})
		if err != nil {
			t.Fatal(err)
		}
		layers := img.Layers()
		img.Close()
		if layers[1].Digest == "" {
			t.Fatal("the OCI export gave no layer blob digest")
		}
		d.DeleteBlob(t, "trawl-test", digest.Digest(layers[1].Digest))
		_, err = image.Open(context.Background(), "example.com/app:1.0", image.Options{
			Sources: []string{image.SourceContainerd, image.SourceDocker}, DockerHost: "unix://" + missing, TempDir: tmp,
		})
		errIs(t, err, image.ErrCorrupt)
		if !strings.Contains(err.Error(), "containerd image example.com/app:1.0: export") || strings.Contains(err.Error(), "docker") {
			t.Errorf("error %q: want a final error naming the containerd image, the docker source not tried", err)
		}
		emptyDir(t, tmp)
	})
}
