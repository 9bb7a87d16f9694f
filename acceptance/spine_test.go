package acceptance

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	packageurl "github.com/package-url/packageurl-go"

	"github.com/trawlsec/trawl/internal/cli"
	"github.com/trawlsec/trawl/pkg/model"
)

// trawl runs the CLI in-process and returns stdout, stderr and the exit code.
func trawl(t testing.TB, args ...string) (string, string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := cli.Main(context.Background(), args, strings.NewReader(""), &stdout, &stderr)
	return stdout.String(), stderr.String(), code
}

// scanJSON runs a scan with -f json and decodes the report.
func scanJSON(t testing.TB, args ...string) model.Report {
	t.Helper()
	args = append(args, "-f", "json", "--list-all-pkgs", "--cache-dir", t.TempDir(), "--quiet",
		"--db-path", corpusDB(t), "--skip-db-update")
	out, errOut, code := trawl(t, args...)
	if code != 0 {
		t.Fatalf("trawl %v: exit %d\nstderr: %s", args, code, errOut)
	}
	var r model.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("decoding report: %v\n%s", err, out)
	}
	return r
}

func osResult(t testing.TB, r model.Report) model.Result {
	t.Helper()
	for _, res := range r.Results {
		if res.Class == model.ClassOSPkg {
			return res
		}
	}
	t.Fatalf("no os-pkgs result in %d results", len(r.Results))
	return model.Result{}
}

// apkNames reads the package names of an apk "installed" database
// independently of trawl: one "P:" line per package.
func apkNames(db []byte) []string {
	var names []string
	sc := bufio.NewScanner(bytes.NewReader(db))
	for sc.Scan() {
		if name, ok := strings.CutPrefix(sc.Text(), "P:"); ok {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// dpkgInstalled reads the names of installed packages from a dpkg status
// file independently of trawl.
func dpkgInstalled(db []byte) []string {
	var names []string
	for _, stanza := range strings.Split(string(db), "\n\n") {
		var name string
		installed := false
		for _, line := range strings.Split(stanza, "\n") {
			if v, ok := strings.CutPrefix(line, "Package: "); ok {
				name = v
			}
			if line == "Status: install ok installed" {
				installed = true
			}
		}
		if name != "" && installed {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// fileFromDockerSave returns a file of the first layer that holds it, read
// straight from a gzip-compressed legacy docker-save archive.
func fileFromDockerSave(t testing.TB, archive, want string) []byte {
	t.Helper()
	f, err := os.Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err != nil {
			t.Fatalf("%s not found in %s: %v", want, archive, err)
		}
		if !strings.HasSuffix(h.Name, "/layer.tar") {
			continue
		}
		lt := tar.NewReader(tr)
		for {
			lh, err := lt.Next()
			if err != nil {
				break
			}
			if strings.TrimPrefix(path.Clean(lh.Name), "/") == want {
				b, _ := io.ReadAll(lt)
				return b
			}
		}
	}
}

func TestAlpineImages(t *testing.T) {
	for _, tc := range []struct{ file, version string }{
		{"alpine-310.tar.gz", "3.10."},
		{"alpine-311.tar.gz", "3.11."},
	} {
		t.Run(tc.file, func(t *testing.T) {
			archive := corpus(t, "images", tc.file)
			want := apkNames(fileFromDockerSave(t, archive, "lib/apk/db/installed"))
			r := scanJSON(t, "image", "--input", archive)
			if r.ArtifactType != model.ArtifactContainerImage || r.SchemaVersion != 2 {
				t.Errorf("ArtifactType=%q SchemaVersion=%d", r.ArtifactType, r.SchemaVersion)
			}
			if r.Metadata.OS == nil || r.Metadata.OS.Family != "alpine" || !strings.HasPrefix(r.Metadata.OS.Name, tc.version) {
				t.Errorf("Metadata.OS = %+v, want alpine %sx", r.Metadata.OS, tc.version)
			}
			if len(r.Metadata.DiffIDs) != 1 {
				t.Fatalf("DiffIDs = %v, want one layer", r.Metadata.DiffIDs)
			}
			res := osResult(t, r)
			var got []string
			for _, p := range res.Packages {
				got = append(got, p.Name)
				if p.Layer.DiffID != r.Metadata.DiffIDs[0] {
					t.Errorf("%s: layer %q, want %q", p.Name, p.Layer.DiffID, r.Metadata.DiffIDs[0])
				}
				checkPURL(t, p, "apk", "alpine", r.Metadata.OS.Name)
			}
			sort.Strings(got)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("packages (-apk db +trawl):\n%s", diff)
			}
			if !strings.Contains(res.Target, "(alpine "+r.Metadata.OS.Name+")") {
				t.Errorf("Target = %q", res.Target)
			}
		})
	}
}

// checkPURL parses a package's purl and checks its parts against the
// package: the purl spec's encoding is packageurl-go's business.
func checkPURL(t testing.TB, p model.Package, typ, namespace, distro string) {
	t.Helper()
	u, err := packageurl.FromString(p.Identifier.PURL)
	if err != nil {
		t.Errorf("%s: purl %q: %v", p.Name, p.Identifier.PURL, err)
		return
	}
	if u.Type != typ || u.Namespace != namespace || u.Name != p.Name || u.Qualifiers.Map()["distro"] != distro {
		t.Errorf("%s: purl %q: want type %s, namespace %s, name %s, distro %s", p.Name, p.Identifier.PURL, typ, namespace, p.Name, distro)
	}
	if v := p.FullVersion(); u.Version != v && u.Version != strings.TrimPrefix(v, fmt.Sprintf("%d:", p.Epoch)) {
		t.Errorf("%s: purl version %q, want %q", p.Name, u.Version, v)
	}
}

// reportPackages is the comparable part of a report's OS packages.
func reportPackages(r model.Report) []string {
	var out []string
	for _, res := range r.Results {
		for _, p := range res.Packages {
			out = append(out, strings.Join([]string{res.Class, res.Type, p.Name, p.FullVersion(), p.Arch, p.SrcName, p.FullSrcVersion(), p.Identifier.PURL, p.Layer.DiffID, p.FilePath}, " "))
		}
	}
	sort.Strings(out)
	return out
}

func TestDebianImageTarAndOCI(t *testing.T) {
	tarball := corpus(t, "images", "debian12-app.tar")
	layout := corpus(t, "images", "debian12-app.oci")
	status, err := os.ReadFile(corpus(t, "images", "debian12-app.dpkg-status.txt"))
	if err != nil {
		t.Fatal(err)
	}
	want := dpkgInstalled(status)
	if len(want) != 125 {
		t.Fatalf("the corpus README says 125 installed packages; the status copy has %d", len(want))
	}

	fromTar := scanJSON(t, "image", "--input", tarball)
	fromOCI := scanJSON(t, "image", "--input", layout)

	for name, r := range map[string]model.Report{"tar": fromTar, "oci": fromOCI} {
		if r.Metadata.OS == nil || r.Metadata.OS.Family != "debian" || r.Metadata.OS.Name != "12.15" {
			t.Errorf("%s: Metadata.OS = %+v, want debian 12.15", name, r.Metadata.OS)
		}
		res := osResult(t, r)
		var got []string
		for _, p := range res.Packages {
			got = append(got, p.Name)
			checkPURL(t, p, "deb", "debian", "debian-12.15")
			if p.Layer.DiffID == "" {
				t.Errorf("%s: %s has no layer", name, p.Name)
			}
		}
		sort.Strings(got)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: packages (-status +trawl):\n%s", name, diff)
		}
		if len(r.Metadata.DiffIDs) != 3 {
			t.Errorf("%s: %d diffIDs, want 3", name, len(r.Metadata.DiffIDs))
		}
	}
	if fromTar.Metadata.ImageID != fromOCI.Metadata.ImageID || fromTar.Metadata.ImageID == "" {
		t.Errorf("ImageID tar=%q oci=%q", fromTar.Metadata.ImageID, fromOCI.Metadata.ImageID)
	}
	if diff := cmp.Diff(reportPackages(fromTar), reportPackages(fromOCI)); diff != "" {
		t.Errorf("tar and OCI layout disagree (-tar +oci):\n%s", diff)
	}

	// Layer attribution: python3-requests came with layer 2, bash with
	// the debootstrap base (layer 1), per the corpus README's history.
	layerOf := map[string]string{}
	for _, p := range osResult(t, fromTar).Packages {
		layerOf[p.Name] = p.Layer.DiffID
	}
	if layerOf["bash"] != fromTar.Metadata.DiffIDs[0] {
		t.Errorf("bash layer %s, want the base layer %s", layerOf["bash"], fromTar.Metadata.DiffIDs[0])
	}
	if layerOf["python3-requests"] != fromTar.Metadata.DiffIDs[1] {
		t.Errorf("python3-requests layer %s, want layer 2 %s", layerOf["python3-requests"], fromTar.Metadata.DiffIDs[1])
	}

	t.Run("rootfs", func(t *testing.T) {
		root := unpackImage(t, tarball)
		r := scanJSON(t, "rootfs", root)
		if r.Metadata.OS == nil || r.Metadata.OS.Name != "12.15" {
			t.Errorf("rootfs OS = %+v", r.Metadata.OS)
		}
		osOnly := func(r model.Report) []string {
			var out []string
			for _, res := range r.Results {
				if res.Class != model.ClassOSPkg {
					continue
				}
				for _, p := range res.Packages {
					out = append(out, strings.Join([]string{p.Name, p.FullVersion(), p.Arch, p.SrcName, p.FullSrcVersion(), p.Identifier.PURL}, " "))
				}
			}
			sort.Strings(out)
			return out
		}
		if diff := cmp.Diff(osOnly(fromTar), osOnly(r)); diff != "" {
			t.Errorf("rootfs and image disagree (-image +rootfs):\n%s", diff)
		}
		for _, res := range r.Results {
			if res.Target == "Python" || res.Target == "Java" {
				t.Errorf("rootfs: dpkg-owned files reported as %s packages", res.Target)
			}
		}

		// Without dpkg's file lists nothing owns the Python modules any
		// more, so they are reported as PyPI packages: proof that the
		// absence above comes from ownership, not from a blind analyzer.
		if err := os.RemoveAll(filepath.Join(root, "var", "lib", "dpkg", "info")); err != nil {
			t.Fatal(err)
		}
		r = scanJSON(t, "rootfs", "--pkg-types", "library", root)
		found := map[string]string{}
		for _, res := range r.Results {
			if res.Target == "Python" || res.Target == "Java" {
				for _, p := range res.Packages {
					found[p.Name] = p.Version
				}
			}
		}
		// The dpkg-owned jackson jars (versions from their versioned
		// symlink names in the corpus README) are found the same way.
		for name, version := range map[string]string{
			"com.fasterxml.jackson.core:jackson-databind":    "2.14.0",
			"com.fasterxml.jackson.core:jackson-core":        "2.14.1",
			"com.fasterxml.jackson.core:jackson-annotations": "2.14.0",
		} {
			if found[name] != version {
				t.Errorf("unowned jar %s: got %q, want %s", name, found[name], version)
			}
		}
		// Versions from the egg-info directory names in the corpus README.
		for name, version := range map[string]string{"requests": "2.28.1", "urllib3": "1.26.12", "certifi": "2022.9.24", "idna": "3.3"} {
			if found[name] != version {
				t.Errorf("unowned Python package %s: got %q, want %s (found %v)", name, found[name], version, found)
			}
		}
	})
}

// unpackImage unpacks a docker-save archive's layers into a directory with
// whiteouts applied — an implementation independent of trawl's walker — so
// that rootfs scans can be compared with image scans.
func unpackImage(t testing.TB, archive string) string {
	t.Helper()
	root := t.TempDir()
	f, err := os.Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	blobs := map[string][]byte{}
	var manifest []struct{ Layers []string }
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		if h.Name == "manifest.json" {
			if err := json.Unmarshal(b, &manifest); err != nil {
				t.Fatal(err)
			}
			continue
		}
		blobs[h.Name] = b
	}
	if len(manifest) != 1 {
		t.Fatalf("manifest has %d images", len(manifest))
	}
	for _, l := range manifest[0].Layers {
		var r io.Reader = bytes.NewReader(blobs[l])
		if gz, err := gzip.NewReader(bytes.NewReader(blobs[l])); err == nil {
			r = gz
		}
		lt := tar.NewReader(r)
		for {
			h, err := lt.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			name := strings.TrimPrefix(path.Clean("/"+h.Name), "/")
			if name == "" {
				continue
			}
			dst := filepath.Join(root, filepath.FromSlash(name))
			base := path.Base(name)
			switch {
			case base == ".wh..wh..opq":
				dir := filepath.Dir(dst)
				ents, _ := os.ReadDir(dir)
				for _, e := range ents {
					os.RemoveAll(filepath.Join(dir, e.Name()))
				}
				continue
			case strings.HasPrefix(base, ".wh."):
				os.RemoveAll(filepath.Join(filepath.Dir(dst), strings.TrimPrefix(base, ".wh.")))
				continue
			}
			switch h.Typeflag {
			case tar.TypeDir:
				os.MkdirAll(dst, 0o755)
			case tar.TypeReg:
				os.MkdirAll(filepath.Dir(dst), 0o755)
				os.RemoveAll(dst)
				if err := os.WriteFile(dst, mustRead(t, lt), 0o644); err != nil {
					t.Fatal(err)
				}
			case tar.TypeSymlink:
				os.MkdirAll(filepath.Dir(dst), 0o755)
				os.RemoveAll(dst)
				os.Symlink(h.Linkname, dst)
			}
		}
	}
	return root
}

func mustRead(t testing.TB, r io.Reader) []byte {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDebianImageFindings checks what the corpus README says a layer-aware
// scanner must find in the Debian image, through the CLI.
func TestDebianImageFindings(t *testing.T) {
	tarball := corpus(t, "images", "debian12-app.tar")
	secrets, err := os.ReadFile(corpus(t, "images", "debian12-app.fake-secrets.txt"))
	if err != nil {
		t.Fatal(err)
	}
	r := scanJSON(t, "image", "--input", tarball)

	byTarget := map[string]model.Result{}
	for _, res := range r.Results {
		byTarget[res.Target] = res
	}
	// The secrets live only in layer 2's /app/.env, which layer 3 deletes.
	env, ok := byTarget["/app/.env"] // absolute in images, as in Trivy
	if !ok {
		t.Fatalf("no result for app/.env; targets: %v", keys(byTarget))
	}
	rules := map[string]bool{}
	for _, s := range env.Secrets {
		rules[s.RuleID] = true
		if s.Layer.DiffID != r.Metadata.DiffIDs[1] || !s.Deleted {
			t.Errorf("%s: layer %s deleted=%v; want layer 2 (%s) and deleted", s.RuleID, s.Layer.DiffID, s.Deleted, r.Metadata.DiffIDs[1])
		}
		if !strings.Contains(s.Layer.CreatedBy, "cp -a /ctx/app /app") {
			t.Errorf("%s: CreatedBy %q is not layer 2's history entry", s.RuleID, s.Layer.CreatedBy)
		}
		// The match is censored: no secret value from the fixture file appears.
		for _, line := range strings.Split(string(secrets), "\n") {
			if _, v, ok := strings.Cut(line, "="); ok && len(v) >= 16 && strings.Contains(s.Match, v) {
				t.Errorf("%s: match %q shows the secret", s.RuleID, s.Match)
			}
		}
	}
	for _, want := range []string{"aws-access-key-id", "aws-secret-access-key", "github-pat"} {
		if !rules[want] {
			t.Errorf("secret rule %s not reported; got %v", want, rules)
		}
	}

	// Licences of Debian packages come from their copyright files, which
	// the image keeps (corpus README); bash's names GPL-3+ in a License:
	// field.
	for _, res := range r.Results {
		if res.Class != model.ClassOSPkg {
			continue
		}
		for _, p := range res.Packages {
			if p.Name == "bash" && !slices.Contains(p.Licenses, "GPL-3+") {
				t.Errorf("bash licences %v: want GPL-3+ from usr/share/doc/bash/copyright", p.Licenses)
			}
		}
	}

	// The Go binary: 31 module-level matches (corpus README); the IDs
	// themselves are checked in TestMatchGoBinary.
	if got := len(byTarget["app/bin/goapp"].Vulnerabilities); got != 31 {
		t.Errorf("app/bin/goapp: %d vulnerabilities, want 31", got)
	}
	// Node.js from node_modules: 66 packages (README).
	if got := len(byTarget["Node.js"].Packages); got != 66 {
		t.Errorf("Node.js: %d packages, want 66", got)
	}
	// The Python modules under dist-packages belong to dpkg packages, so
	// they are Debian packages only (no Python result, no PyPI findings).
	if py, ok := byTarget["Python"]; ok {
		t.Errorf("dpkg-owned Python modules reported as PyPI packages: %d", len(py.Packages))
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestGoModProjectVulns scans the gomod fixture through the CLI against the
// corpus Go advisories. Expectations checked by hand in advisories/go:
//   - golang.org/x/text v0.3.6: GO-2021-0113 (CVE-2021-38561, fixed 0.3.7),
//     GO-2022-1059 (CVE-2022-32149, fixed 0.3.8) and GO-2026-5970
//     (CVE-2026-56852, fixed 0.39.0) apply; GO-2020-0015 (CVE-2020-14040,
//     fixed 0.3.3) does not: 0.3.6 is past the fix.
//   - gopkg.in/yaml.v2 v2.4.0 is past every fix of GO-2020-0036 (2.2.8),
//     GO-2021-0061 (2.2.3) and GO-2022-0956 (2.2.4): no finding.
func TestGoModProjectVulns(t *testing.T) {
	dir := corpus(t, "projects", "trivy-fixtures", "gomod")
	r := scanJSON(t, "fs", dir)
	var goMod *model.Result
	for i := range r.Results {
		if r.Results[i].Target == "go.mod" {
			goMod = &r.Results[i]
		}
	}
	if goMod == nil {
		t.Fatalf("no go.mod result; targets %v", r.Results)
	}
	found := map[string]model.Vulnerability{}
	for _, v := range goMod.Vulnerabilities {
		found[v.PkgName+" "+v.VulnerabilityID] = v
	}
	for key, fixed := range map[string]string{
		"golang.org/x/text CVE-2021-38561": "0.3.7",
		"golang.org/x/text CVE-2022-32149": "0.3.8",
		"golang.org/x/text CVE-2026-56852": "0.39.0",
	} {
		v, ok := found[key]
		if !ok {
			t.Errorf("missing %s", key)
			continue
		}
		if v.FixedVersion != fixed || v.Status != "fixed" || v.InstalledVersion != "v0.3.6" {
			t.Errorf("%s: fixed %q status %q installed %q", key, v.FixedVersion, v.Status, v.InstalledVersion)
		}
	}
	for key := range found {
		if key == "golang.org/x/text CVE-2020-14040" || strings.HasPrefix(key, "gopkg.in/yaml.v2 ") {
			t.Errorf("false positive: %s", key)
		}
	}
}

// TestSBOMRoundTrip: the Debian image scanned directly, and its CycloneDX and
// SPDX SBOMs written by trawl and scanned back, give the same
// vulnerabilities (issue: round trip).
func TestSBOMRoundTrip(t *testing.T) {
	tarball := corpus(t, "images", "debian12-app.tar")
	vulns := func(r model.Report) []string {
		var out []string
		for _, res := range r.Results {
			for _, v := range res.Vulnerabilities {
				out = append(out, strings.Join([]string{v.VulnerabilityID, v.PkgName, v.InstalledVersion, v.FixedVersion}, " "))
			}
		}
		sort.Strings(out)
		return out
	}
	direct := scanJSON(t, "image", "--input", tarball)
	want := vulns(direct)
	if len(want) == 0 {
		t.Fatal("the image scan found no vulnerabilities; the round trip would prove nothing")
	}
	for _, format := range []string{"cyclonedx", "spdx-json", "spdx"} {
		t.Run(format, func(t *testing.T) {
			sbomPath := filepath.Join(t.TempDir(), "image."+format)
			_, errOut, code := trawl(t, "image", "--input", tarball, "-f", format, "-o", sbomPath, "--quiet",
				"--cache-dir", t.TempDir(), "--db-path", corpusDB(t), "--skip-db-update")
			if code != 0 {
				t.Fatalf("writing %s: exit %d: %s", format, code, errOut)
			}
			back := scanJSON(t, "sbom", sbomPath)
			if diff := cmp.Diff(want, vulns(back)); diff != "" {
				t.Errorf("vulnerabilities differ (-image +sbom):\n%s", diff)
			}
			if back.Metadata.OS == nil || back.Metadata.OS.Name != "12.15" {
				t.Errorf("OS from the SBOM: %+v", back.Metadata.OS)
			}
			if diff := cmp.Diff(reportPackageNames(direct), reportPackageNames(back)); diff != "" {
				t.Errorf("packages differ (-image +sbom):\n%s", diff)
			}
		})
	}
}

func reportPackageNames(r model.Report) []string {
	var out []string
	for _, res := range r.Results {
		for _, p := range res.Packages {
			out = append(out, res.Class+" "+p.Name+"@"+p.Version)
		}
	}
	sort.Strings(out)
	return out
}
