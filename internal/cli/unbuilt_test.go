package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnbuiltIsRefused: a scanner or option trawl accepts by name but does
// not run fails the command, instead of a warning and a clean report that
// a pipeline would take for a passed check.
func TestUnbuiltIsRefused(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"image", "--input", dir, "--sbom-sources", "rekor"}, "--sbom-sources rekor: Rekor SBOM discovery is not built yet"},
		{[]string{"image", "--input", dir, "--image-config-scanners", "license"}, "--image-config-scanners license: this scanner is not built yet for the image config"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			_, errOut, code := run(t, tc.args...)
			if code == 0 || !strings.Contains(errOut, tc.want) {
				t.Fatalf("exit %d, stderr %q; want an error containing %q", code, errOut, tc.want)
			}
		})
	}
}

// TestSBOMFormatsNeedNoDB: -f cyclonedx/spdx/spdx-json make an SBOM
// without the default scanners, so they work with no vulnerability DB (as
// Trivy's do); --scanners vuln asks for the vulnerabilities again.
func TestSBOMFormatsNeedNoDB(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "requirements.txt"), []byte("requests==2.19.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	noDB := []string{"--db-path", filepath.Join(t.TempDir(), "none.db"), "--skip-db-update", "--cache-dir", t.TempDir()}
	for _, format := range []string{"cyclonedx", "spdx", "spdx-json"} {
		out, errOut, code := run(t, append([]string{"fs", "-f", format, dir}, noDB...)...)
		if code != 0 || !strings.Contains(out, "requests") {
			t.Errorf("-f %s without a DB: exit %d: %s", format, code, errOut)
		}
	}
	_, errOut, code := run(t, append([]string{"fs", "-f", "cyclonedx", "--scanners", "vuln", dir}, noDB...)...)
	if code == 0 || !strings.Contains(errOut, "no usable vulnerability DB") {
		t.Errorf("-f cyclonedx --scanners vuln without a DB: exit %d: %s", code, errOut)
	}
}

// TestCacheBackend: memory keeps no layer cache on disk; bad backends and
// Redis options are one error that never shows the URL's password.
func TestCacheBackend(t *testing.T) {
	archive := writeArchive(t, testImage(t, map[string]string{"etc/alpine-release": "3.19.1\n"}))
	cache := t.TempDir()
	if _, errOut, code := run(t, "image", "--input", archive, "--scanners", "secret", "--cache-backend", "memory", "--cache-dir", cache, "-f", "json"); code != 0 {
		t.Fatalf("memory backend: %s", errOut)
	}
	if _, err := os.Stat(filepath.Join(cache, "scan", "layers.db")); !os.IsNotExist(err) {
		t.Errorf("memory backend wrote a layer cache: %v", err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--cache-backend", "s3"}, `--cache-backend "s3" is not a backend`},
		{[]string{"--cache-backend", "redis://trawl:s3cr3t@localhost:6379/notadb"}, "--cache-backend redis://trawl:xxxxx@localhost:6379/notadb: "},
		{[]string{"--cache-backend", "redis://trawl:s3cr3t@localhost:port"}, "--cache-backend: not a valid Redis URL"},
		{[]string{"--cache-backend", "redis://localhost:6379", "--redis-ca", archive}, "--redis-ca, --redis-cert and --redis-key go together"},
		{[]string{"--redis-tls"}, "need a redis:// or rediss:// --cache-backend"},
		{[]string{"--cache-backend", "redis://localhost:6379", "--cache-ttl", "-1h"}, "--cache-ttl -1h0m0s: must not be negative"},
	} {
		_, errOut, code := run(t, append([]string{"image", "--input", archive, "--cache-dir", cache}, tc.args...)...)
		if code == 0 || !strings.Contains(errOut, tc.want) || strings.Contains(errOut, "s3cr3t") {
			t.Errorf("%s: exit %d: %s", tc.args, code, errOut)
		}
	}
}

// TestImageConfigMisconfig: --image-config-scanners misconfig (Trivy's
// "config" too) checks the Dockerfile rebuilt from the image's history:
// an image with no USER and no HEALTHCHECK fails DS002 and DS026, under a
// target that says where it comes from; --exit-code counts them.
func TestImageConfigMisconfig(t *testing.T) {
	archive := writeArchive(t, testImage(t, map[string]string{"etc/alpine-release": "3.19.1\n"}))
	for _, name := range []string{"misconfig", "config"} {
		out, errOut, code := run(t, "image", "--input", archive, "--scanners", "secret", "--image-config-scanners", name,
			"--cache-dir", t.TempDir(), "-f", "json", "--exit-code", "4")
		if code != 4 {
			t.Fatalf("%s: exit %d (want 4): %s", name, code, errOut)
		}
		for _, want := range []string{`"Target": "image config (Dockerfile)"`, `"ID": "DS-0002"`, `"ID": "DS-0026"`, `"Class": "config"`} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: report lacks %s", name, want)
			}
		}
	}
}
