package image_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/trawlsec/trawl/internal/source/image"
	"github.com/trawlsec/trawl/internal/source/image/enginetest"
)

// daemonImage is the standard test image as a daemon holds it.
func daemonImage(t *testing.T) (enginetest.Image, want) {
	t.Helper()
	img := threeLayers(t)
	w := wantOf(t, img, threeSpecs()...)
	return enginetest.Image{
		Names:       []string{"example.com/app:1.0", w.id},
		ID:          w.id,
		RepoTags:    []string{"example.com/app:1.0"},
		RepoDigests: []string{"example.com/app@sha256:" + strings.Repeat("ab", 32)},
		Data:        writeDockerSave(t, "example.com/app:1.0", img),
	}, w
}

// emptyDir fails the test when dir holds any file (a temporary export
// left behind).
func emptyDir(t *testing.T, dir string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	for _, e := range ents {
		t.Errorf("left in the temporary directory: %s", e.Name())
	}
}

// TestDaemonSource: an image held by a Docker-compatible daemon is read
// through the Engine API (versioned or not, as the daemon announces), with
// the daemon's tags and digests, and its temporary export is removed.
func TestDaemonSource(t *testing.T) {
	di, w := daemonImage(t)
	for _, tc := range []struct {
		name, apiVersion, ref string
	}{
		{"versioned API", "1.41", "example.com/app:1.0"},
		{"unversioned API", "", "example.com/app:1.0"},
		{"by image ID", "1.45", w.id},
	} {
		t.Run(tc.name, func(t *testing.T) {
			eng := enginetest.Start(t, enginetest.SocketPath(t, "docker.sock"), tc.apiVersion, di)
			tmp := filepath.Join(t.TempDir(), "tmp")
			img, err := image.Open(context.Background(), tc.ref, image.Options{
				Sources: []string{image.SourceDocker}, DockerHost: eng.Host, TempDir: tmp,
			})
			if err != nil {
				t.Fatal(err)
			}
			check(t, img, w)
			if !slices.Equal(img.RepoTags(), di.RepoTags) || !slices.Equal(img.RepoDigests(), di.RepoDigests) {
				t.Errorf("RepoTags %v RepoDigests %v, want the daemon's %v %v", img.RepoTags(), img.RepoDigests(), di.RepoTags, di.RepoDigests)
			}
			if img.Name() != tc.ref {
				t.Errorf("Name() = %q, want %q", img.Name(), tc.ref)
			}
			if err := img.Close(); err != nil {
				t.Fatal(err)
			}
			emptyDir(t, tmp)
		})
	}
}

// TestDaemonFallThrough: a source without the image (no socket, a 404)
// passes to the next in the order;
// when none has it, one line names every source's reason.
func TestDaemonFallThrough(t *testing.T) {
	di, w := daemonImage(t)
	other := enginetest.Image{Names: []string{"other:1"}, ID: "sha256:" + strings.Repeat("0", 64), Data: di.Data}
	missing := filepath.Join(t.TempDir(), "absent.sock")

	// The podman socket is found under $XDG_RUNTIME_DIR, as Trivy finds it.
	xdg := filepath.Dir(filepath.Dir(enginetest.SocketPath(t, "x")))
	xdg, _ = os.MkdirTemp(xdg, "trawl-xdg-")
	t.Cleanup(func() { os.RemoveAll(xdg) })
	podman := enginetest.Start(t, filepath.Join(xdg, "podman", "podman.sock"), "1.41", di)
	t.Setenv("XDG_RUNTIME_DIR", xdg)

	docker404 := enginetest.Start(t, enginetest.SocketPath(t, "docker.sock"), "1.43", other)
	t.Setenv("CONTAINERD_ADDRESS", missing)
	t.Setenv("CONTAINERD_NAMESPACE", "")

	t.Run("docker 404 then containerd then podman", func(t *testing.T) {
		img, err := image.Open(context.Background(), "example.com/app:1.0", image.Options{
			Sources: image.DefaultSources, DockerHost: docker404.Host, TempDir: t.TempDir(),
		})
		if err != nil {
			t.Fatal(err)
		}
		defer img.Close()
		check(t, img, w)
		if !slices.Contains(docker404.Requests(), "/v1.43/images/example.com/app:1.0/json") {
			t.Errorf("docker was not asked first: %v", docker404.Requests())
		}
		if !slices.Contains(podman.Requests(), "/v1.41/images/example.com/app:1.0/get") {
			t.Errorf("the image was not exported from podman: %v", podman.Requests())
		}
	})
	t.Run("no docker socket then podman", func(t *testing.T) {
		img, err := image.Open(context.Background(), "example.com/app:1.0", image.Options{
			Sources: []string{image.SourceDocker, image.SourcePodman}, DockerHost: "unix://" + missing, TempDir: t.TempDir(),
		})
		if err != nil {
			t.Fatal(err)
		}
		img.Close()
	})
	t.Run("nowhere", func(t *testing.T) {
		reg := newRegistry(t, false, false)
		_, err := image.Open(context.Background(), reg+"/team/none:1", image.Options{
			Sources: image.DefaultSources, DockerHost: "unix://" + missing, PodmanHost: docker404.Host,
			Insecure: true, TempDir: t.TempDir(),
		})
		errIs(t, err, image.ErrNotFound)
		msg := err.Error()
		for _, want := range []string{
			`unable to find the specified image "` + reg + `/team/none:1" in [docker containerd podman remote]`,
			"docker: docker daemon unix://" + missing + ": socket not found",
			"containerd: containerd unix://" + missing + " (namespace default): socket not found",
			"podman: podman daemon " + docker404.Host + ": trawl/image: not found: no such image",
			"remote: registry image " + reg + "/team/none:1",
		} {
			if !strings.Contains(msg, want) {
				t.Errorf("error %q\nlacks %q", msg, want)
			}
		}
	})
}

// TestRemoteSourceLeavesDaemonAlone: --image-src remote never asks the
// daemon, even when it holds an image of that name.
func TestRemoteSourceLeavesDaemonAlone(t *testing.T) {
	di, w := daemonImage(t)
	reg := newRegistry(t, false, false)
	ref, err := name.NewTag(reg+"/team/app:1.0", name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(ref, threeLayers(t)); err != nil {
		t.Fatal(err)
	}
	di.Names = append(di.Names, ref.String())
	eng := enginetest.Start(t, enginetest.SocketPath(t, "docker.sock"), "1.41", di)
	t.Setenv("DOCKER_HOST", eng.Host)
	img, err := image.Open(context.Background(), ref.String(), image.Options{
		Sources: []string{image.SourceRemote}, Insecure: true, TempDir: t.TempDir(),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	check(t, img, w)
	if r := eng.Requests(); len(r) != 0 {
		t.Errorf("the daemon was asked %v", r)
	}
}

// TestDaemonDamagedExport: once the daemon has said it holds the image, a
// damaged export is a one-line error naming the image (the next source is
// not tried: a registry's image never stands in for a local one), and no
// temporary file is left.
func TestDaemonDamagedExport(t *testing.T) {
	di, _ := daemonImage(t)
	half := int64(len(di.Data) / 2)
	for _, tc := range []struct {
		name   string
		mod    func(*enginetest.Image)
		opts   func(*image.Options)
		target error
		want   string
	}{
		{"truncated tar", func(i *enginetest.Image) { i.Truncate = half }, nil, image.ErrCorrupt, "truncated tar archive"},
		{"connection cut", func(i *enginetest.Image) { i.Truncate, i.CutConnection = half, true }, nil, image.ErrCorrupt, "truncated stream"},
		{"larger than the bound", nil, func(o *image.Options) { o.MaxArchiveSize = half }, image.ErrTooLarge, "more than"},
		{"not a tar", func(i *enginetest.Image) { i.Data = []byte(strings.Repeat("junk ", 200)) }, nil, image.ErrNotImage, "not a tar archive"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := di
			if tc.mod != nil {
				tc.mod(&d)
			}
			eng := enginetest.Start(t, enginetest.SocketPath(t, "docker.sock"), "1.41", d)
			tmp := t.TempDir()
			o := image.Options{Sources: []string{image.SourceDocker, image.SourceRemote}, DockerHost: eng.Host, TempDir: tmp}
			if tc.opts != nil {
				tc.opts(&o)
			}
			img, err := image.Open(context.Background(), "example.com/app:1.0", o)
			if err == nil {
				img.Close()
			}
			errIs(t, err, tc.target)
			if !strings.Contains(err.Error(), "docker image example.com/app:1.0") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q: want it to name the docker image and say %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "remote") {
				t.Errorf("the registry was tried after the daemon had the image: %q", err)
			}
			emptyDir(t, tmp)
		})
	}
}

// TestDaemonHostErrors: a DOCKER_HOST the client cannot use, or a name
// that cannot go into an API path, passes to the next source with a
// reason; an unknown source name is an error.
func TestDaemonHostErrors(t *testing.T) {
	for _, tc := range []struct {
		name, host, ref, want string
	}{
		{"ssh host", "ssh://me@box", "app:1", "only unix:// and tcp://"},
		{"path trick", "unix:///nonexistent/docker.sock", "../../containers/json", "is not an image name"},
		{"refused tcp", "tcp://127.0.0.1:1", "app:1", "docker daemon tcp://127.0.0.1:1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := image.Open(context.Background(), tc.ref, image.Options{Sources: []string{image.SourceDocker}, DockerHost: tc.host})
			var se *image.SourcesError
			if !errors.As(err, &se) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v: want a SourcesError saying %q", err, tc.want)
			}
		})
	}
	if _, err := image.Open(context.Background(), "app:1", image.Options{Sources: []string{"kubelet"}}); err == nil || !strings.Contains(err.Error(), `"kubelet"`) {
		t.Errorf("unknown source: %v", err)
	}
}
