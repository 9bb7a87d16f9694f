package cli

import (
	"bytes"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/trawlsec/trawl/internal/source/image/enginetest"
	"github.com/trawlsec/trawl/pkg/model"
)

// daemonFixture is the Alpine test image as a docker-save archive on disk
// and as a fake daemon holds it.
func daemonFixture(t *testing.T) (archive string, di enginetest.Image) {
	t.Helper()
	img := testImage(t, alpineFiles)
	ref, _ := name.NewTag("example.com/app:1.0")
	var buf bytes.Buffer
	if err := tarball.Write(ref, img, &buf); err != nil {
		t.Fatal(err)
	}
	archive = filepath.Join(t.TempDir(), "img.tar")
	if err := os.WriteFile(archive, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	id, err := img.ConfigName()
	if err != nil {
		t.Fatal(err)
	}
	return archive, enginetest.Image{
		Names: []string{"example.com/app:1.0"}, ID: id.String(),
		RepoTags:    []string{"example.com/app:1.0"},
		RepoDigests: []string{"example.com/app@sha256:" + strings.Repeat("cd", 32)},
		Data:        buf.Bytes(),
	}
}

// noDaemons points every daemon source at nothing, so a test never reads
// the machine's own Docker or Podman.
func noDaemons(t *testing.T) {
	t.Setenv("DOCKER_HOST", "unix://"+filepath.Join(t.TempDir(), "no-docker.sock"))
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	t.Setenv("DOCKER_CONFIG", t.TempDir())
	t.Setenv("CONTAINERD_ADDRESS", filepath.Join(t.TempDir(), "no-containerd.sock"))
	t.Setenv("CONTAINERD_NAMESPACE", "")
}

// TestImageFromDocker: an image read from a Docker daemon gives the same
// report as its docker-save archive, with the daemon's RepoDigests.
func TestImageFromDocker(t *testing.T) {
	noDaemons(t)
	archive, di := daemonFixture(t)
	eng := enginetest.Start(t, enginetest.SocketPath(t, "docker.sock"), "1.41", di)
	t.Setenv("DOCKER_HOST", eng.Host)

	scan := func(args ...string) model.Report {
		t.Helper()
		out, errOut, code := run(t, append(append([]string{"image"}, args...), scanArgs(t)...)...)
		if code != 0 {
			t.Fatalf("trawl image %v: exit %d: %s", args, code, errOut)
		}
		r := decode(t, out)
		r.CreatedAt, r.ReportID = time.Time{}, ""
		return r
	}
	fromArchive := scan("--input", archive, "example.com/app:1.0")
	fromDaemon := scan("--image-src", "docker", "example.com/app:1.0")
	if !slices.Equal(fromDaemon.Metadata.RepoDigests, di.RepoDigests) {
		t.Errorf("RepoDigests %v, want the daemon's %v", fromDaemon.Metadata.RepoDigests, di.RepoDigests)
	}
	if fromDaemon.Metadata.ImageID != di.ID {
		t.Errorf("ImageID %s, want %s", fromDaemon.Metadata.ImageID, di.ID)
	}
	fromDaemon.Metadata.RepoDigests = fromArchive.Metadata.RepoDigests
	if d := cmp.Diff(fromArchive, fromDaemon); d != "" {
		t.Errorf("report from the daemon differs from the archive's (-archive +daemon):\n%s", d)
	}
	if len(fromArchive.Results) == 0 {
		t.Error("the report has no results: the comparison proves little")
	}
	if !slices.Contains(eng.Requests(), "/v1.41/images/example.com/app:1.0/get") {
		t.Errorf("the image was not exported from the daemon: %v", eng.Requests())
	}
}

// TestImageSourceOrder: sources without the image pass to the next (a
// 404, a socket that does not exist);
// --image-src remote never asks the daemon; a damaged export is one line.
func TestImageSourceOrder(t *testing.T) {
	noDaemons(t)
	_, di := daemonFixture(t)
	xdg := filepath.Dir(enginetest.SocketPath(t, "x"))
	enginetest.Start(t, filepath.Join(xdg, "podman", "podman.sock"), "1.41", di)
	t.Setenv("XDG_RUNTIME_DIR", xdg)
	other := enginetest.Start(t, enginetest.SocketPath(t, "docker.sock"), "1.41", enginetest.Image{Names: []string{"other:1"}})

	t.Run("docker 404 then podman", func(t *testing.T) {
		t.Setenv("DOCKER_HOST", other.Host)
		out, errOut, code := run(t, append([]string{"image", "--image-src", "docker,containerd,podman", "example.com/app:1.0"}, scanArgs(t)...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if r := decode(t, out); r.Metadata.OS == nil || r.Metadata.OS.Name != "3.19.1" {
			t.Errorf("OS %+v", r.Metadata.OS)
		}
	})
	t.Run("no socket then podman", func(t *testing.T) {
		_, errOut, code := run(t, append([]string{"image", "--image-src", "docker,podman", "example.com/app:1.0"}, scanArgs(t)...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
	})
	t.Run("nowhere", func(t *testing.T) {
		t.Setenv("DOCKER_HOST", other.Host)
		_, errOut, code := run(t, append([]string{"image", "--image-src", "docker,containerd", "example.com/app:1.0"}, scanArgs(t)...)...)
		want := `trawl: error: unable to find the specified image "example.com/app:1.0" in [docker containerd]: docker: docker daemon ` + other.Host
		if code != 1 || !strings.HasPrefix(errOut, want) || !strings.Contains(errOut, "containerd: containerd unix://"+os.Getenv("CONTAINERD_ADDRESS")+" (namespace default): socket not found") ||
			strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
			t.Errorf("exit %d, stderr %q; want one line starting %q", code, errOut, want)
		}
	})
	t.Run("remote only", func(t *testing.T) {
		reg := newTestRegistry(t)
		ref, err := name.NewTag(reg+"/team/app:1.0", name.Insecure)
		if err != nil {
			t.Fatal(err)
		}
		if err := remote.Write(ref, testImage(t, alpineFiles)); err != nil {
			t.Fatal(err)
		}
		d := di
		d.Names = []string{ref.String()}
		eng := enginetest.Start(t, enginetest.SocketPath(t, "docker.sock"), "1.41", d)
		t.Setenv("DOCKER_HOST", eng.Host)
		_, errOut, code := run(t, append([]string{"image", "--image-src", "remote", "--insecure", ref.String()}, scanArgs(t)...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if r := eng.Requests(); len(r) != 0 {
			t.Errorf("--image-src remote asked the daemon %v", r)
		}
	})
	t.Run("truncated export", func(t *testing.T) {
		d := di
		d.Truncate = int64(len(d.Data) / 2)
		eng := enginetest.Start(t, enginetest.SocketPath(t, "docker.sock"), "", d)
		t.Setenv("DOCKER_HOST", eng.Host)
		cache := t.TempDir()
		_, errOut, code := run(t, "image", "--image-src", "docker,podman", "--cache-dir", cache, "--quiet", "--scanners", "secret", "-f", "json", "example.com/app:1.0")
		if code != 1 || !strings.HasPrefix(errOut, "trawl: error: ") || !strings.Contains(errOut, "docker image example.com/app:1.0") ||
			!strings.Contains(errOut, "truncated tar archive") || strings.Count(strings.TrimSpace(errOut), "\n") != 0 || strings.Contains(errOut, "panic") {
			t.Errorf("exit %d, stderr %q; want one line naming the docker image and the truncation", code, errOut)
		}
		if ents, _ := os.ReadDir(filepath.Join(cache, "tmp")); len(ents) != 0 {
			t.Errorf("temporary export left in %s: %v", filepath.Join(cache, "tmp"), ents)
		}
	})
	t.Run("unknown source", func(t *testing.T) {
		_, errOut, code := run(t, append([]string{"image", "--image-src", "docker,kubelet", "example.com/app:1.0"}, scanArgs(t)...)...)
		if code != 1 || !strings.Contains(errOut, `--image-src "kubelet" is not a source`) {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
	})
}

// newTestRegistry starts an in-process registry on loopback.
func newTestRegistry(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}
