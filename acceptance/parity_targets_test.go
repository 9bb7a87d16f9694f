package acceptance

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/pkg/model"
)

// secretTargets returns the targets of a report's secret results.
func secretTargets(r model.Report) []string {
	var out []string
	for _, res := range r.Results {
		if res.Class == model.ClassSecret {
			out = append(out, res.Target)
		}
	}
	return out
}

// TestSecretTargetsAsTrivy: Trivy's secret analyzer prefixes "/" to the
// paths of files read from image layers (pkg/fanal/analyzer/secret: "add
// leading `/` for files extracted from image"), and keeps the paths of a
// scanned directory relative to it.
func TestSecretTargetsAsTrivy(t *testing.T) {
	image := scanJSON(t, "image", "--scanners", "secret", "--input", corpus(t, "images", "debian12-app.tar"))
	if got := secretTargets(image); !slices.Contains(got, "/app/.env") {
		t.Errorf("image secret targets %q, want /app/.env among them", got)
	}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "app"), 0o755); err != nil {
		t.Fatal(err)
	}
	// An AWS key id that is not the documented example.
	if err := os.WriteFile(filepath.Join(dir, "app", ".env"), []byte("AWS_ACCESS_KEY_ID=AKIA2E0A8F3B244C9986\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fs := scanJSON(t, "fs", "--scanners", "secret", dir)
	if got := secretTargets(fs); !slices.Equal(got, []string{"app/.env"}) {
		t.Errorf("fs secret targets %q, want [app/.env]", got)
	}
}

// packageSets returns "target type" -> sorted package IDs of a report.
func packageSets(r model.Report) map[string][]string {
	out := map[string][]string{}
	for _, res := range r.Results {
		if res.Class != model.ClassLangPkg {
			continue
		}
		k := res.Target + " " + res.Type
		for _, p := range res.Packages {
			out[k] = append(out[k], p.ID)
		}
		slices.Sort(out[k])
	}
	return out
}

// TestCondaMetaInstalledOnly: conda-meta/*.json lists installed packages;
// Trivy reads it for images and root filesystems (its conda-pkg analyzer is
// one of the "individual package" analyzers fs scans disable), never as a
// project lockfile.
func TestCondaMetaInstalledOnly(t *testing.T) {
	dir := corpus(t, "projects", "trivy-fixtures", "conda")
	if got := packageSets(scanJSON(t, "fs", "--scanners", "secret", dir)); len(got) != 0 {
		t.Errorf("fs: %v, want no packages", got)
	}
	got := packageSets(scanJSON(t, "rootfs", "--scanners", "secret", dir))
	if ids := got["Conda conda-pkg"]; !slices.Equal(ids, []string{"openssl@1.1.1q", "pip@22.2.2"}) {
		t.Errorf("rootfs: %v, want Conda conda-pkg [openssl@1.1.1q pip@22.2.2]", got)
	}
}

// TestComposerInstalledByName: Trivy's composer-vendor analyzer takes any
// file named installed.json (the corpus fixture has it at the root).
func TestComposerInstalledByName(t *testing.T) {
	dir := corpus(t, "projects", "trivy-fixtures", "composer-vendor")
	got := packageSets(scanJSON(t, "rootfs", "--scanners", "secret", dir))
	if ids := got["installed.json composer-vendor"]; !slices.Contains(ids, "guzzlehttp/psr7@1.8.3") {
		t.Errorf("rootfs: %v, want installed.json composer-vendor with guzzlehttp/psr7@1.8.3", got)
	}
}

// TestLockfilePURLsAndLocations: packages of sbt, pylock.toml,
// Directory.Packages.props and environment.yml lockfiles get purls (their
// ecosystem's type), and those whose format is line-addressable their
// locations, like the other lockfiles.
func TestLockfilePURLsAndLocations(t *testing.T) {
	for _, tc := range []struct {
		fixture, typ, purlPrefix string
		locations                bool
	}{
		{"sbt", "sbt", "pkg:maven/", true},
		{"pylock", "pylock", "pkg:pypi/", true},
		{"packagesprops", "packages-props", "pkg:nuget/", false},
		{"conda-environment", "conda-environment", "pkg:conda/", true},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			r := scanJSON(t, "fs", "--scanners", "secret", "--include-dev-deps", corpus(t, "projects", "trivy-fixtures", tc.fixture))
			n := 0
			for _, res := range r.Results {
				if res.Type != tc.typ {
					continue
				}
				for _, p := range res.Packages {
					n++
					if !strings.HasPrefix(p.Identifier.PURL, tc.purlPrefix) {
						t.Errorf("%s: purl %q, want %s…", p.ID, p.Identifier.PURL, tc.purlPrefix)
					}
					if tc.locations && len(p.Locations) == 0 {
						t.Errorf("%s: no locations", p.ID)
					}
				}
			}
			if n == 0 {
				t.Fatalf("no %s packages", tc.typ)
			}
		})
	}
}
