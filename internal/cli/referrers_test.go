package cli

import (
	"context"
	"io"
	"log"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/trawlsec/trawl/internal/source/image"
	"github.com/trawlsec/trawl/internal/vulndb/osv"
	"github.com/trawlsec/trawl/internal/vulndb/store"
	"github.com/trawlsec/trawl/pkg/model"
)

// lodashDB writes a DB in which lodash before 4.17.21 has GHSA-TEST.
func lodashDB(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "trawl.db")
	c := store.NewContents()
	c.Packages[store.PackageKey{Ecosystem: "npm", Name: "lodash"}] = []store.Entry{{ID: "GHSA-TEST", Affected: osv.Affected{
		Package: osv.Package{Ecosystem: "npm", Name: "lodash"},
		Ranges:  []osv.Range{{Type: osv.RangeSemver, Events: []osv.Event{{Introduced: "0"}, {Fixed: "4.17.21"}}}},
	}}}
	c.Vulns["GHSA-TEST"] = &osv.Vulnerability{ID: "GHSA-TEST"}
	c.Meta.BuiltAt = time.Now()
	if err := store.Write(context.Background(), p, c); err != nil {
		t.Fatal(err)
	}
	return p
}

const (
	lodashSBOM = `{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[
  {"bom-ref":"pkg:npm/lodash@4.17.0","type":"library","name":"lodash","version":"4.17.0","purl":"pkg:npm/lodash@4.17.0"}]}`
	lodashVEX = `{"@context":"https://openvex.dev/ns/v0.2.0","@id":"https://example.com/vex/1","author":"t","timestamp":"2024-01-01T00:00:00Z","version":1,
  "statements":[{"vulnerability":{"name":"GHSA-TEST"},"products":[{"@id":"pkg:npm/lodash@4.17.0"}],"status":"not_affected","justification":"vulnerable_code_not_in_execute_path"}]}`
)

// pushAlpine starts a registry (with or without the referrers API) and
// pushes the Alpine test image (busybox, musl and a GitHub token in
// /app/config.env) to it.
func pushAlpine(t *testing.T, api bool) string {
	t.Helper()
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0)), registry.WithReferrersSupport(api)))
	t.Cleanup(srv.Close)
	ref := strings.TrimPrefix(srv.URL, "http://") + "/team/app:1.0"
	r, err := name.NewTag(ref, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(r, testImage(t, alpineFiles)); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DOCKER_CONFIG", t.TempDir())
	return ref
}

func attach(t *testing.T, ref, artifactType, doc string) {
	t.Helper()
	img, err := image.Open(context.Background(), ref, image.Options{Insecure: true})
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	if _, err := img.Attach(context.Background(), artifactType, []byte(doc), nil); err != nil {
		t.Fatal(err)
	}
}

// summary lists a report's package names, vulnerability IDs and secret
// rule IDs.
func summary(r model.Report) (pkgs, vulns, secrets []string) {
	for _, res := range r.Results {
		for _, p := range res.Packages {
			pkgs = append(pkgs, p.Name)
		}
		for _, v := range res.Vulnerabilities {
			vulns = append(vulns, v.VulnerabilityID)
		}
		for _, s := range res.Secrets {
			secrets = append(secrets, s.RuleID)
		}
	}
	slices.Sort(pkgs)
	return pkgs, vulns, secrets
}

// TestSBOMSourcesOCI: with --sbom-sources oci the SBOM attached to the
// image is scanned instead of its layers (lodash and its vulnerability,
// no busybox, no secret from the layers); --vex oci applies the OpenVEX
// referrer; without the flags the layers are scanned.
func TestSBOMSourcesOCI(t *testing.T) {
	for _, api := range []bool{true, false} {
		t.Run(map[bool]string{true: "referrers API", false: "tag fallback"}[api], func(t *testing.T) {
			ref := pushAlpine(t, api)
			attach(t, ref, image.ArtifactTypeCycloneDX, lodashSBOM)
			attach(t, ref, image.ArtifactTypeOpenVEX, lodashVEX)
			db := lodashDB(t)
			base := []string{"image", "--insecure", ref, "--cache-dir", t.TempDir(), "--quiet", "-f", "json",
				"--scanners", "vuln,secret", "--db-path", db, "--skip-db-update"}
			for _, tt := range []struct {
				name                string
				args                []string
				pkgs, vulns, secret string
			}{
				{"layers", nil, "busybox musl", "", "github-pat"},
				{"sbom", []string{"--sbom-sources", "oci"}, "lodash", "GHSA-TEST", ""},
				{"sbom and vex", []string{"--sbom-sources", "oci", "--vex", "oci"}, "lodash", "", ""},
			} {
				t.Run(tt.name, func(t *testing.T) {
					out, errOut, code := run(t, append(base, tt.args...)...)
					if code != 0 {
						t.Fatalf("exit %d: %s", code, errOut)
					}
					pkgs, vulns, secrets := summary(decode(t, out))
					if strings.Join(pkgs, " ") != tt.pkgs || strings.Join(vulns, " ") != tt.vulns || strings.Join(secrets, " ") != tt.secret {
						t.Errorf("packages %v, vulnerabilities %v, secrets %v; want %q, %q, %q", pkgs, vulns, secrets, tt.pkgs, tt.vulns, tt.secret)
					}
				})
			}
		})
	}
}

// TestPushSBOMRoundTrip: --push-sbom attaches the scan's SBOM, which a
// later --sbom-sources oci scan reads instead of the layers (the same
// packages, but not the layers' secret).
func TestPushSBOMRoundTrip(t *testing.T) {
	ref := pushAlpine(t, false)
	args := []string{"image", "--insecure", ref, "--cache-dir", t.TempDir(), "--quiet", "-f", "json", "--scanners", "secret"}
	out, errOut, code := run(t, append(args, "--push-sbom")...)
	if code != 0 {
		t.Fatalf("push: exit %d: %s", code, errOut)
	}
	pkgs, _, secrets := summary(decode(t, out))
	if strings.Join(pkgs, " ") != "busybox musl" || len(secrets) != 1 {
		t.Fatalf("first scan: packages %v, secrets %v", pkgs, secrets)
	}
	out, errOut, code = run(t, append(args, "--sbom-sources", "oci")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	pkgs, _, secrets = summary(decode(t, out))
	if strings.Join(pkgs, " ") != "busybox musl" || len(secrets) != 0 {
		t.Errorf("from the pushed SBOM: packages %v, secrets %v; want busybox musl and no secret", pkgs, secrets)
	}
}

// TestReferrerFlagsOnArchives: the referrer flags apply to registry
// images only; an archive is scanned as usual, with a warning.
func TestReferrerFlagsOnArchives(t *testing.T) {
	archive := writeArchive(t, testImage(t, alpineFiles))
	out, errOut, code := run(t, "image", "--input", archive, "--cache-dir", t.TempDir(), "-f", "json", "--scanners", "secret", "--sbom-sources", "oci")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if pkgs, _, _ := summary(decode(t, out)); strings.Join(pkgs, " ") != "busybox musl" || !strings.Contains(errOut, "registry images only") {
		t.Errorf("packages %v, stderr %q", pkgs, errOut)
	}
	_, errOut, code = run(t, "fs", t.TempDir(), "--cache-dir", t.TempDir(), "--vex", "oci")
	if code != 1 || !strings.Contains(errOut, "--vex oci: VEX referrers exist only for registry images") {
		t.Errorf("fs --vex oci: exit %d, stderr %q", code, errOut)
	}
}
