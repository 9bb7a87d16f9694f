// Package containerdtest runs a throwaway containerd (the real daemon, from
// PATH) on a unix socket in a temporary directory, for tests of the
// containerd image source. Only its content store and image service are
// used (no CRI, no unpacking), so it needs no snapshotter or runtime.
// Tests skip when containerd is not installed or cannot start (it usually
// needs root), unless TRAWL_REQUIRE_CONTAINERD=1 (as in CI), which makes
// them fail instead.
package containerdtest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/containerd/containerd/v2/client"
	"github.com/containerd/containerd/v2/pkg/namespaces"
	"github.com/opencontainers/go-digest"
)

// Daemon is a running containerd.
type Daemon struct {
	// Address is its socket; set CONTAINERD_ADDRESS to it.
	Address string
	dir     string
	log     *bytes.Buffer
}

// unavailable skips t, or fails it when TRAWL_REQUIRE_CONTAINERD=1.
func unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("TRAWL_REQUIRE_CONTAINERD") == "1" {
		t.Fatalf("%s, and TRAWL_REQUIRE_CONTAINERD=1", msg)
	}
	t.Skipf("%s (apt-get install containerd, run as root); set TRAWL_REQUIRE_CONTAINERD=1 to make this a failure", msg)
}

// config keeps the daemon to its directory and to the plugins the tests
// need: no CRI, no /opt/containerd, no snapshotters that need mounts.
const config = `version = 2
disabled_plugins = [
  "io.containerd.grpc.v1.cri",
  "io.containerd.internal.v1.opt",
  "io.containerd.snapshotter.v1.aufs",
  "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.zfs",
  "io.containerd.tracing.processor.v1.otlp",
]
`

// Start runs containerd until the test ends; it skips t (or fails it, see
// the package comment) when containerd is not on PATH or does not start.
func Start(t testing.TB) *Daemon {
	t.Helper()
	bin, err := exec.LookPath("containerd")
	if err != nil {
		unavailable(t, "containerd is not on PATH")
	}
	// A short directory: a unix socket path is limited to about 100 bytes.
	dir, err := os.MkdirTemp("", "trawl-ctrd-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	cfg := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	d := &Daemon{Address: filepath.Join(dir, "c.sock"), dir: dir, log: &bytes.Buffer{}}
	cmd := exec.Command(bin, "--config", cfg, "--address", d.Address,
		"--root", filepath.Join(dir, "root"), "--state", filepath.Join(dir, "state"), "--log-level", "warn")
	cmd.Stdout, cmd.Stderr = d.log, d.log
	cmd.Env = append(os.Environ(), "TMPDIR="+dir)
	if err := cmd.Start(); err != nil {
		unavailable(t, "containerd does not start: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		select {
		case <-exited:
			return
		default:
		}
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	}
	t.Cleanup(stop)

	// Wait until it answers (or exits, or 30 s pass: a readiness bound,
	// not a timed assertion).
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case err := <-exited:
			exited <- err
			unavailable(t, "containerd exited (%v): %s", err, tail(d.log.String()))
		default:
		}
		if _, err := os.Stat(d.Address); err == nil && d.ping() == nil {
			return d
		}
		if time.Now().After(deadline) {
			stop()
			unavailable(t, "containerd did not answer on %s: %s", d.Address, tail(d.log.String()))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func tail(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 2000 {
		s = "…" + s[len(s)-2000:]
	}
	return s
}

func (d *Daemon) client(namespace string) (*client.Client, context.Context, error) {
	c, err := client.New(d.Address, client.WithDefaultNamespace(namespace), client.WithTimeout(5*time.Second))
	if err != nil {
		return nil, nil, err
	}
	return c, namespaces.WithNamespace(context.Background(), namespace), nil
}

func (d *Daemon) ping() error {
	c, ctx, err := d.client(namespaces.Default)
	if err != nil {
		return err
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_, err = c.Version(ctx)
	return err
}

// Import imports a docker-save or OCI archive into namespace, without
// unpacking it (as `ctr images import --no-unpack --all-platforms`; an
// image whose config names no platform is kept), and returns the names
// of the images it created.
func (d *Daemon) Import(t testing.TB, namespace, archive string) []string {
	t.Helper()
	c, ctx, err := d.client(namespace)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	f, err := os.Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	imgs, err := c.Import(ctx, f, client.WithAllPlatforms(true))
	if err != nil {
		t.Fatalf("importing %s into containerd: %v\n%s", archive, err, tail(d.log.String()))
	}
	var names []string
	for _, img := range imgs {
		names = append(names, img.Name)
	}
	return names
}

// Target is the digest of the manifest (or index) the image name points
// to in namespace.
func (d *Daemon) Target(t testing.TB, namespace, name string) digest.Digest {
	t.Helper()
	c, ctx, err := d.client(namespace)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	img, err := c.ImageService().Get(ctx, name)
	if err != nil {
		t.Fatalf("containerd image %s: %v", name, err)
	}
	return img.Target.Digest
}

// DeleteBlob removes a blob from the content store of namespace, damaging
// every image that needs it.
func (d *Daemon) DeleteBlob(t testing.TB, namespace string, dgst digest.Digest) {
	t.Helper()
	c, ctx, err := d.client(namespace)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.ContentStore().Delete(ctx, dgst); err != nil {
		t.Fatalf("deleting blob %s: %v", dgst, err)
	}
}

// Tag gives the image name in namespace a second name (as `ctr images tag`).
func (d *Daemon) Tag(t testing.TB, namespace, name, newName string) {
	t.Helper()
	c, ctx, err := d.client(namespace)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	img, err := c.ImageService().Get(ctx, name)
	if err != nil {
		t.Fatalf("containerd image %s: %v", name, err)
	}
	img.Name = newName
	if _, err := c.ImageService().Create(ctx, img); err != nil {
		t.Fatalf("tagging %s as %s: %v", name, newName, err)
	}
}
