package cli

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
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
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/trawlsec/trawl/pkg/model"
)

func run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(context.Background(), args, strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), code
}

// testImage builds a one-layer Alpine-like image in memory.
func testImage(t *testing.T, files map[string]string) v1.Image {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for name, body := range files {
		tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg})
		tw.Write([]byte(body))
	}
	tw.Close()
	b := buf.Bytes()
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil })
	if err != nil {
		t.Fatal(err)
	}
	img, err := mutate.AppendLayers(empty.Image, layer)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

const apkDB = "P:musl\nV:1.2.4-r2\nA:x86_64\no:musl\nL:MIT\n\nP:busybox\nV:1.36.1-r5\nA:x86_64\no:busybox\nL:GPL-2.0-only\n\n"

var alpineFiles = map[string]string{
	"etc/alpine-release":    "3.19.1\n",
	"etc/os-release":        "ID=alpine\nVERSION_ID=3.19.1\n",
	"lib/apk/db/installed":  apkDB,
	"app/config.env":        "TOKEN=ghp_" + strings.Repeat("a1B2c3D4e5", 3) + "abcdef\n",
	"app/.wh.removed":       "",
	"app/README":            "nothing to see here\n",
	"usr/share/doc/x/notes": "plain text\n",
}

func writeArchive(t *testing.T, img v1.Image) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "img.tar")
	ref, _ := name.NewTag("example.com/app:1.0")
	if err := tarball.WriteToFile(p, ref, img); err != nil {
		t.Fatal(err)
	}
	return p
}

func scanArgs(t *testing.T, extra ...string) []string {
	return append([]string{"--cache-dir", t.TempDir(), "--quiet", "--scanners", "secret", "-f", "json"}, extra...)
}

func decode(t *testing.T, out string) model.Report {
	t.Helper()
	var r model.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("decoding %q: %v", out, err)
	}
	return r
}

func TestImageArchiveToJSON(t *testing.T) {
	archive := writeArchive(t, testImage(t, alpineFiles))
	out, errOut, code := run(t, append([]string{"image", "--input", archive}, scanArgs(t)...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	r := decode(t, out)
	if r.Metadata.OS == nil || r.Metadata.OS.Family != "alpine" || r.Metadata.OS.Name != "3.19.1" {
		t.Errorf("OS = %+v", r.Metadata.OS)
	}
	if len(r.Results) < 2 || len(r.Results[0].Packages) != 2 {
		t.Fatalf("results = %+v", r.Results)
	}
	if r.Results[1].Target != "/app/config.env" || len(r.Results[1].Secrets) != 1 || r.Results[1].Secrets[0].RuleID != "github-pat" {
		t.Errorf("secret result = %+v", r.Results[1])
	}
}

func TestExitCodeAndSeverityFilter(t *testing.T) {
	archive := writeArchive(t, testImage(t, alpineFiles))
	_, _, code := run(t, append([]string{"image", "--input", archive, "--exit-code", "5"}, scanArgs(t)...)...)
	if code != 5 {
		t.Errorf("with a secret and --exit-code 5: exit %d", code)
	}
	// github-pat is CRITICAL; filtering to LOW leaves nothing to fail on.
	_, _, code = run(t, append([]string{"image", "--input", archive, "--exit-code", "5", "--severity", "LOW"}, scanArgs(t)...)...)
	if code != 0 {
		t.Errorf("with nothing left after --severity LOW: exit %d", code)
	}
}

func TestErrorsAreOneLine(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.tar")
	os.WriteFile(junk, bytes.Repeat([]byte("not an image "), 100), 0o644)
	archive := writeArchive(t, testImage(t, alpineFiles))
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"missing file", []string{"image", "--input", filepath.Join(dir, "nope.tar")}, "nope.tar"},
		{"not an image", []string{"image", "--input", junk}, "junk.tar"},
		{"bad format", []string{"image", "--input", archive, "-f", "xml"}, "--format"},
		{"bad severity", []string{"image", "--input", archive, "--severity", "SEVERE"}, "--severity"},
		{"bad scanner", []string{"image", "--input", archive, "--scanners", "viruses"}, "--scanners"},
		{"unwritable output", []string{"image", "--input", archive, "-o", filepath.Join(dir, "no", "such", "dir", "r.json")}, "r.json"},
		{"unknown platform", []string{"image", "--input", archive, "--platform", "plan9"}, "plan9"},
		{"no target", []string{"image"}, "--input"},
		{"missing config", []string{"fs", "--config", filepath.Join(dir, "none.yaml"), dir}, "none.yaml"},
		{"bad timeout", []string{"fs", "--timeout", "soon", dir}, "timeout"},
		{"missing ignorefile", []string{"fs", "--ignorefile", filepath.Join(dir, "ign"), dir}, "ign"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append(append([]string{}, tc.args[0]), scanArgs(t)...)
			args = append(args, tc.args[1:]...)
			_, errOut, code := run(t, args...)
			if code != 1 {
				t.Errorf("exit %d, want 1 (stderr %q)", code, errOut)
			}
			lines := strings.Split(strings.TrimSpace(errOut), "\n")
			last := lines[len(lines)-1]
			if !strings.HasPrefix(last, "trawl: error: ") || !strings.Contains(last, tc.want) {
				t.Errorf("stderr %q: want one 'trawl: error:' line naming %q", errOut, tc.want)
			}
			if strings.Contains(errOut, "goroutine ") || strings.Contains(errOut, "panic") {
				t.Errorf("stack trace on stderr: %s", errOut)
			}
		})
	}
}

func TestConfigFileAndEnvPrecedence(t *testing.T) {
	dir := t.TempDir()
	archive := writeArchive(t, testImage(t, alpineFiles))
	cfg := filepath.Join(dir, "trawl.yaml")
	// The config file says table and skips app/: the secret disappears.
	os.WriteFile(cfg, []byte("format: table\nscan:\n  skip-dirs: [app]\n  scanners: [secret]\n"), 0o644)
	base := []string{"image", "--input", archive, "--cache-dir", dir, "--quiet", "--config", cfg}

	out, errOut, code := run(t, base...)
	if code != 0 || !strings.Contains(out, "Report Summary") || strings.Contains(out, "config.env") {
		t.Fatalf("config file not applied (exit %d): %s %s", code, out, errOut)
	}
	// The environment beats the file.
	t.Setenv("TRAWL_FORMAT", "json")
	out, _, _ = run(t, base...)
	if !strings.HasPrefix(strings.TrimSpace(out), "{") {
		t.Errorf("TRAWL_FORMAT=json not applied: %.80s", out)
	}
	// The command line beats both.
	out, _, _ = run(t, append(base, "-f", "table")...)
	if !strings.Contains(out, "Report Summary") {
		t.Errorf("-f table did not win over TRAWL_FORMAT")
	}
	// Lists from the environment are comma-separated.
	t.Setenv("TRAWL_SKIP_DIRS", "usr,lib")
	out, _, _ = run(t, append(base, "-f", "json")...)
	if !strings.Contains(out, "config.env") {
		t.Errorf("TRAWL_SKIP_DIRS did not replace the file's skip-dirs: %.200s", out)
	}
}

// TestRegistry scans an image from an in-process registry on loopback,
// behind basic auth, and checks 401 and 404 handling.
func TestRegistry(t *testing.T) {
	reg := registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "ci" || p != "s3cret" {
			w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		reg.ServeHTTP(w, r)
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	ref, err := name.NewTag(host+"/team/app:1.0", name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	auth := remote.WithAuth(&authn.Basic{Username: "ci", Password: "s3cret"})
	if err := remote.Write(ref, testImage(t, alpineFiles), auth); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DOCKER_CONFIG", t.TempDir()) // no credentials from the machine

	out, errOut, code := run(t, append([]string{"image", "--insecure", "--username", "ci", "--password", "s3cret", ref.String()}, scanArgs(t)...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	r := decode(t, out)
	if r.ArtifactName != ref.String() || r.Metadata.OS == nil || r.Metadata.OS.Name != "3.19.1" {
		t.Errorf("ArtifactName %q OS %+v", r.ArtifactName, r.Metadata.OS)
	}

	_, errOut, code = run(t, append([]string{"image", "--insecure", ref.String()}, scanArgs(t)...)...)
	if code != 1 || !strings.Contains(strings.ToLower(errOut), "unauthorized") {
		t.Errorf("without credentials: exit %d, stderr %q", code, errOut)
	}
	_, errOut, code = run(t, append([]string{"image", "--insecure", "--username", "ci", "--password", "s3cret", host + "/team/missing:1.0"}, scanArgs(t)...)...)
	if code != 1 || !strings.Contains(errOut, "missing") {
		t.Errorf("404: exit %d, stderr %q", code, errOut)
	}
}

func TestImageConfigSecrets(t *testing.T) {
	img := testImage(t, map[string]string{"etc/alpine-release": "3.19.1\n"})
	token := "ghp_" + strings.Repeat("Zy9Xw8Vu7T", 3) + "abcdef"
	img, err := mutate.Config(img, v1.Config{Env: []string{"PATH=/usr/bin", "GITHUB_TOKEN=" + token}})
	if err != nil {
		t.Fatal(err)
	}
	archive := writeArchive(t, img)
	out, errOut, code := run(t, append([]string{"image", "--input", archive}, scanArgs(t)...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	r := decode(t, out)
	var found []model.Secret
	for _, res := range r.Results {
		if res.Target == "image config (config.json)" {
			found = res.Secrets
		}
	}
	if len(found) != 1 || found[0].RuleID != "github-pat" {
		t.Fatalf("image config secrets = %+v", found)
	}
	// The finding is censored. (Metadata.ImageConfig still holds the config
	// as stored, as Trivy's report does.)
	b, _ := json.Marshal(found)
	if strings.Contains(string(b), token) {
		t.Errorf("finding shows the token: %s", b)
	}
	out, _, _ = run(t, append([]string{"image", "--input", archive, "--image-config-scanners", "none"}, scanArgs(t)...)...)
	if strings.Contains(out, "image config") {
		t.Error("--image-config-scanners none still scanned the config")
	}
}

func TestConvert(t *testing.T) {
	archive := writeArchive(t, testImage(t, alpineFiles))
	dir := t.TempDir()
	saved := filepath.Join(dir, "report.json")
	if _, errOut, code := run(t, append([]string{"image", "--input", archive, "-o", saved}, scanArgs(t)...)...); code != 0 {
		t.Fatalf("scan: exit %d: %s", code, errOut)
	}
	out, errOut, code := run(t, "convert", "-f", "sarif", saved)
	if code != 0 || !strings.Contains(out, `"version": "2.1.0"`) || !strings.Contains(out, "github-pat") {
		t.Fatalf("convert to sarif: exit %d %s\n%.300s", code, errOut, out)
	}
	// Filters apply again: the CRITICAL secret is gone under --severity LOW,
	// so --exit-code does not fire.
	out, _, code = run(t, "convert", "-f", "json", "--severity", "LOW", "--exit-code", "3", saved)
	if code != 0 || strings.Contains(out, "github-pat") {
		t.Errorf("convert --severity LOW: exit %d, secret still there: %v", code, strings.Contains(out, "github-pat"))
	}
	if _, _, code := run(t, "convert", "-f", "json", "--exit-code", "3", saved); code != 3 {
		t.Errorf("convert --exit-code 3 with findings: exit %d", code)
	}
	junk := filepath.Join(dir, "junk.json")
	os.WriteFile(junk, []byte("{not json"), 0o644)
	if _, errOut, code := run(t, "convert", "-f", "sarif", junk); code != 1 || !strings.Contains(errOut, "junk.json") {
		t.Errorf("convert of junk: exit %d, stderr %q", code, errOut)
	}
}

// TestHostileLayerWritesNothingOutside scans an image whose layer holds
// path-traversal names, absolute names and a symlink to /etc followed by a
// file "through" it, and proves that the scan wrote nothing outside the
// cache and output directories.
func TestHostileLayerWritesNothingOutside(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"home", "tmp", "cache", "out", "in"} {
		os.MkdirAll(filepath.Join(root, d), 0o755)
	}
	t.Setenv("HOME", filepath.Join(root, "home"))
	t.Setenv("TMPDIR", filepath.Join(root, "tmp"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(root, "home", ".cache"))

	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	add := func(h *tar.Header, body string) {
		h.Size = int64(len(body))
		if h.Typeflag == 0 {
			h.Typeflag = tar.TypeReg
		}
		if h.Typeflag != tar.TypeReg {
			h.Size = 0
		}
		h.Mode = 0o644
		tw.WriteHeader(h)
		if h.Typeflag == tar.TypeReg {
			tw.Write([]byte(body))
		}
	}
	add(&tar.Header{Name: "../../evil"}, "AKIAIOSFODNN7EXAMPLX\n")
	add(&tar.Header{Name: "/abs-evil"}, "x\n")
	add(&tar.Header{Name: "app/link", Typeflag: tar.TypeSymlink, Linkname: "/etc"}, "")
	add(&tar.Header{Name: "app/link/passwd"}, "root:x:0:0::/root:/bin/sh\n")
	add(&tar.Header{Name: "etc/alpine-release"}, "3.19.1\n")
	tw.Close()
	b := buf.Bytes()
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil })
	if err != nil {
		t.Fatal(err)
	}
	img, _ := mutate.AppendLayers(empty.Image, layer)
	archive := filepath.Join(root, "in", "hostile.tar")
	ref, _ := name.NewTag("example.com/hostile:1")
	if err := tarball.WriteToFile(archive, ref, img); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, "/etc")

	_, errOut, code := run(t, "image", "--input", archive, "--cache-dir", filepath.Join(root, "cache"),
		"--scanners", "secret", "-f", "json", "-o", filepath.Join(root, "out", "r.json"), "--quiet")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		top := strings.Split(filepath.ToSlash(rel), "/")[0]
		if top != "cache" && top != "out" && top != "in" {
			t.Errorf("scan wrote %s outside the cache and output directories", rel)
		}
		return nil
	})
	for _, p := range []string{filepath.Join(root, "..", "evil"), filepath.Join(filepath.Dir(filepath.Dir(root)), "evil"), "/abs-evil"} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s exists after the scan", p)
		}
	}
	if after := snapshot(t, "/etc"); after != before {
		t.Error("/etc changed during the scan")
	}
}

// snapshot lists a directory's entries with sizes and times.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range ents {
		info, err := e.Info()
		if err != nil {
			continue
		}
		b.WriteString(e.Name() + " " + info.ModTime().String() + "\n")
	}
	return b.String()
}

func TestVersion(t *testing.T) {
	out, _, code := run(t, "version", "-f", "json", "--cache-dir", t.TempDir())
	var v struct {
		Version         string
		VulnerabilityDB any
	}
	if code != 0 || json.Unmarshal([]byte(out), &v) != nil || v.Version == "" || v.VulnerabilityDB != nil {
		t.Errorf("version without a DB: exit %d, %q", code, out)
	}
	if _, errOut, code := run(t, "version", "-f", "xml"); code != 1 || !strings.Contains(errOut, "xml") {
		t.Errorf("bad format: exit %d %q", code, errOut)
	}
}

func TestClean(t *testing.T) {
	dir := t.TempDir()
	archive := writeArchive(t, testImage(t, alpineFiles))
	cache := filepath.Join(dir, "cache")
	if _, errOut, code := run(t, "image", "--input", archive, "--cache-dir", cache, "--scanners", "secret", "-q"); code != 0 {
		t.Fatalf("scan: %s", errOut)
	}
	if _, err := os.Stat(filepath.Join(cache, "scan", "layers.db")); err != nil {
		t.Fatalf("no layer cache after an image scan: %v", err)
	}
	if _, _, code := run(t, "clean", "--scan-cache", "--cache-dir", cache); code != 0 {
		t.Fatal("clean --scan-cache failed")
	}
	if _, err := os.Stat(filepath.Join(cache, "scan", "layers.db")); !os.IsNotExist(err) {
		t.Errorf("layer cache still there: %v", err)
	}
	if _, errOut, code := run(t, "clean", "--all", "--cache-dir", "/"); code != 1 || !strings.Contains(errOut, "refusing") {
		t.Errorf("clean --all --cache-dir /: exit %d %q", code, errOut)
	}
	if _, _, code := run(t, "clean", "--all", "--cache-dir", cache); code != 0 {
		t.Fatal("clean --all failed")
	}
	if _, err := os.Stat(cache); !os.IsNotExist(err) {
		t.Errorf("cache dir still there: %v", err)
	}
}
