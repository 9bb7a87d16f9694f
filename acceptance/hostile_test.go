package acceptance

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/pkg/model"
)

// dockerSaveMembers reads the named members of an uncompressed docker-save
// archive.
func dockerSaveMembers(t testing.TB, archive string, names ...string) map[string][]byte {
	t.Helper()
	f, err := os.Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	out := map[string][]byte{}
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", archive, err)
		}
		if want[h.Name] {
			b, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			out[h.Name] = b
		}
	}
	for _, n := range names {
		if _, ok := out[n]; !ok {
			t.Fatalf("%s has no %s", archive, n)
		}
	}
	return out
}

// forgeDockerSave writes a docker-save archive that carries the given
// config (and so claims its diff_ids) but whose layers are layerTar each.
func forgeDockerSave(t testing.TB, path string, config []byte, layers int, layerTar []byte) {
	t.Helper()
	var names []string
	for i := range layers {
		names = append(names, "forged"+string(rune('a'+i))+"/layer.tar")
	}
	man, err := json.Marshal([]map[string]any{{"Config": "config.json", "RepoTags": []string{"forged:latest"}, "Layers": names}})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	add := func(name string, b []byte) {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(b)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	add("config.json", config)
	for _, n := range names {
		add(n, layerTar)
	}
	add("manifest.json", man)
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestForgedDiffIDsCannotPoisonTheCache reproduces issue 11's first
// finding: an archive whose config claims the Debian corpus image's
// diff_ids but whose layers are empty (or hold other files) is scanned with
// a cache directory, then the real image with the same cache directory.
// The forged scan must fail naming both digests and cache nothing; the real
// scan must report the image's packages and secrets.
func TestForgedDiffIDsCannotPoisonTheCache(t *testing.T) {
	real := corpus(t, "images", "debian12-app.tar")
	m := dockerSaveMembers(t, real, "manifest.json")
	var manifest []struct{ Config string }
	if err := json.Unmarshal(m["manifest.json"], &manifest); err != nil || len(manifest) != 1 {
		t.Fatalf("manifest.json: %v", err)
	}
	config := dockerSaveMembers(t, real, manifest[0].Config)[manifest[0].Config]

	var other bytes.Buffer
	tw := tar.NewWriter(&other)
	body := []byte("ID=alpine\nVERSION_ID=3.20.0\n")
	if err := tw.WriteHeader(&tar.Header{Name: "etc/os-release", Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
		t.Fatal(err)
	}
	tw.Write(body)
	tw.Close()

	for name, layer := range map[string][]byte{
		"empty layers":      make([]byte, 1024), // a tar of nothing but its end blocks
		"other content":     other.Bytes(),
		"padding after tar": append(bytes.Clone(other.Bytes()), make([]byte, 10240)...),
	} {
		t.Run(name, func(t *testing.T) {
			cache := t.TempDir()
			forged := filepath.Join(t.TempDir(), "forged.tar")
			forgeDockerSave(t, forged, config, 3, layer)

			out, errOut, code := trawl(t, "image", "--input", forged, "--cache-dir", cache, "--quiet",
				"--scanners", "secret", "-f", "json")
			if code == 0 {
				t.Fatalf("forged image scanned with exit 0:\n%s", out)
			}
			if !strings.Contains(errOut, "does not match diffID") || strings.Count(errOut, "sha256:") < 2 {
				t.Errorf("error does not name both digests: %s", errOut)
			}

			out, errOut, code = trawl(t, "image", "--input", real, "--cache-dir", cache, "--quiet", "-f", "json",
				"--list-all-pkgs", "--scanners", "secret")
			if code != 0 {
				t.Fatalf("real image after the forged one: exit %d: %s", code, errOut)
			}
			var r model.Report
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatal(err)
			}
			if r.Metadata.OS == nil || r.Metadata.OS.Family != "debian" {
				t.Fatalf("after the forged scan the real image reports OS %+v", r.Metadata.OS)
			}
			if n := len(osResult(t, r).Packages); n != 125 {
				t.Errorf("after the forged scan the real image reports %d Debian packages, want 125", n)
			}
			secrets := 0
			for _, res := range r.Results {
				if res.Class == model.ClassSecret {
					secrets += len(res.Secrets)
				}
			}
			if secrets == 0 {
				t.Error("after the forged scan the real image reports no secrets")
			}
		})
	}
}
