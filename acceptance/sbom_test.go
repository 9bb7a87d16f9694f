package acceptance

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/trawlsec/trawl/internal/sbom"
	"github.com/trawlsec/trawl/pkg/model"
)

// sbomSkipOrFail skips the test, or fails it when TRAWL_REQUIRE_SHARED=1.
func sbomSkipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("TRAWL_REQUIRE_SHARED") == "1" {
		t.Fatalf(format+" (TRAWL_REQUIRE_SHARED=1)", args...)
	}
	t.Skipf(format+"; skipping (set TRAWL_REQUIRE_SHARED=1 to fail instead)", args...)
}

// sbomNPMCache is where npm exec installs @cyclonedx/cyclonedx-npm: a fixed
// folder under the temporary directory, so that runs after the first one
// find it there and nothing is ever installed into the repository.
func sbomNPMCache() string { return filepath.Join(os.TempDir(), "trawl-acceptance-npm-cache") }

// sbomNPMCommand runs npm in dir with the acceptance npm cache.
func sbomNPMCommand(ctx context.Context, dir string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "npm", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"npm_config_cache="+sbomNPMCache(),
		"npm_config_update_notifier=false",
		"npm_config_fund=false",
		"npm_config_audit=false",
		"npm_config_yes=true",
	)
	return cmd
}

// Pinned so that a new release cannot change the test under us.
const cyclonedxNPM = "@cyclonedx/cyclonedx-npm@6.0.1"

// TestSBOMCycloneDXNPM decodes the CycloneDX SBOM that the independent
// @cyclonedx/cyclonedx-npm tool writes for the npm-real project and
// compares its npm packages with the project's package-lock.json.
func TestSBOMCycloneDXNPM(t *testing.T) {
	project := corpus(t, "projects", "npm-real")
	if _, err := exec.LookPath("npx"); err != nil {
		sbomSkipOrFail(t, "npx is not installed: %v", err)
	}
	if _, err := exec.LookPath("npm"); err != nil {
		sbomSkipOrFail(t, "npm is not installed: %v", err)
	}
	work := t.TempDir()
	if err := os.MkdirAll(sbomNPMCache(), 0o755); err != nil {
		t.Fatal(err)
	}

	// The first run downloads the tool from the npm registry; later ones
	// find it in the cache.
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Second)
	defer cancel()
	probe := sbomNPMCommand(ctx, work, "exec", "--yes", cyclonedxNPM, "--", "--help")
	if out, err := probe.CombinedOutput(); err != nil {
		sbomSkipOrFail(t, "npm exec %s -- --help failed (is the npm registry reachable?): %v\n%s", cyclonedxNPM, err, sbomTail(out))
	}

	app := filepath.Join(work, "npm-real")
	if err := sbomCopyTree(project, app); err != nil {
		t.Fatalf("copying %s: %v", project, err)
	}
	bomPath := filepath.Join(work, "bom.cdx.json")
	gen := sbomNPMCommand(ctx, app, "exec", "--yes", cyclonedxNPM, "--",
		"--output-format", "JSON", "--output-file", bomPath, "--spec-version", "1.6")
	if out, err := gen.CombinedOutput(); err != nil {
		t.Fatalf("cyclonedx-npm failed: %v\n%s", err, sbomTail(out))
	}

	f, err := os.Open(bomPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	inv, format, err := sbom.Decode(f, bomPath)
	if err != nil {
		t.Fatalf("sbom.Decode: %v", err)
	}
	if format != sbom.FormatCycloneDXJSON {
		t.Errorf("format = %q, want %q", format, sbom.FormatCycloneDXJSON)
	}
	if inv.OS != nil || len(inv.OSPackages) > 0 {
		t.Errorf("an npm project has no OS: %+v, %d OS packages", inv.OS, len(inv.OSPackages))
	}
	if len(inv.Warnings) > 0 {
		t.Errorf("warnings: %+v", inv.Warnings)
	}

	var got []string
	for _, s := range inv.Applications {
		if s.Type != model.TypeNodePkg {
			t.Errorf("package set of type %q at %q, want only %q", s.Type, s.FilePath, model.TypeNodePkg)
		}
		for _, p := range s.Packages {
			if p.Ecosystem != "npm" || !strings.HasPrefix(p.Identifier.PURL, "pkg:npm/") {
				t.Errorf("%s: ecosystem %q purl %q", p.ID, p.Ecosystem, p.Identifier.PURL)
			}
			got = append(got, p.Name+"@"+p.Version)
		}
	}
	sort.Strings(got)
	t.Logf("cyclonedx-npm SBOM: %d npm packages", len(got))

	want, err := sbomLockPackages(filepath.Join(project, "package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != 66 {
		t.Errorf("package-lock.json lists %d packages, want 66", len(want))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("SBOM packages differ from package-lock.json:\nonly in SBOM: %v\nonly in lockfile: %v",
			sbomMinus(got, want), sbomMinus(want, got))
	}

	// Dependencies survive: express depends on what its lockfile entry names.
	for _, s := range inv.Applications {
		for _, p := range s.Packages {
			if p.Name == "express" && len(p.DependsOn) == 0 {
				t.Errorf("express has no dependencies in the decoded SBOM")
			}
		}
	}
}

// sbomLockPackages reads the name@version of every package of a lockfile v2/v3,
// independently of trawl's npm parser.
func sbomLockPackages(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var lock struct {
		Packages map[string]struct {
			Name    string `json:"name"`
			Version string `json:"version"`
			Link    bool   `json:"link"`
		} `json:"packages"`
	}
	if err := json.Unmarshal(b, &lock); err != nil {
		return nil, err
	}
	if len(lock.Packages) == 0 {
		return nil, errors.New(path + ": no packages (lockfile v1?)")
	}
	var out []string
	for key, p := range lock.Packages {
		if key == "" || p.Link {
			continue
		}
		name := p.Name
		if i := strings.LastIndex(key, "node_modules/"); i >= 0 {
			name = key[i+len("node_modules/"):]
		}
		out = append(out, name+"@"+p.Version)
	}
	sort.Strings(out)
	return out, nil
}

// sbomMinus returns the elements of a (sorted) not in b.
func sbomMinus(a, b []string) []string {
	in := map[string]int{}
	for _, s := range b {
		in[s]++
	}
	var out []string
	for _, s := range a {
		if in[s] > 0 {
			in[s]--
			continue
		}
		out = append(out, s)
	}
	return out
}

func sbomTail(b []byte) string {
	const max = 2000
	b = bytes.TrimSpace(b)
	if len(b) > max {
		b = b[len(b)-max:]
	}
	return string(b)
}

// sbomCopyTree copies a directory of regular files, directories and symlinks.
func sbomCopyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		case d.Type().IsRegular():
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(target, b, 0o644)
		}
		return nil
	})
}
