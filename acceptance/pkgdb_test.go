package acceptance

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/internal/analyze"
	apkanalyzer "github.com/trawlsec/trawl/internal/analyze/os/apk"
	dpkganalyzer "github.com/trawlsec/trawl/internal/analyze/os/dpkg"
	"github.com/trawlsec/trawl/internal/analyze/os/release"
	rpmanalyzer "github.com/trawlsec/trawl/internal/analyze/os/rpm"
	"github.com/trawlsec/trawl/internal/parse/apk"
	"github.com/trawlsec/trawl/internal/parse/dpkg"
	"github.com/trawlsec/trawl/internal/parse/osrelease"
	rpmparse "github.com/trawlsec/trawl/internal/parse/rpm"
	"github.com/trawlsec/trawl/pkg/model"
)

// pkgdbDebVersionRE is Debian policy §5.6.12 written independently of
// go-deb-version: optional numeric epoch, an upstream version starting
// with a digit, then alphanumerics and . + ~ - : only.
var pkgdbDebVersionRE = regexp.MustCompile(`^([0-9]+:)?[0-9][A-Za-z0-9.+~:-]*$`)

// stanzas splits a deb822/apk style file into blank-line separated
// paragraphs of lines.
func pkgdbStanzas(t *testing.T, b []byte) [][]string {
	t.Helper()
	var out [][]string
	var cur []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "" {
			if cur != nil {
				out = append(out, cur)
			}
			cur = nil
			continue
		}
		cur = append(cur, line)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if cur != nil {
		out = append(out, cur)
	}
	return out
}

func pkgdbField(stanza []string, prefix string) (string, bool) {
	for _, l := range stanza {
		if v, ok := strings.CutPrefix(l, prefix); ok {
			return strings.TrimSpace(v), true
		}
	}
	return "", false
}

// TestPkgdbDpkg parses every dpkg status file of the corpus and checks the
// packages against an independent count of the file's stanzas.
func TestPkgdbDpkg(t *testing.T) {
	root := corpus(t, "pkgdb", "dpkg")
	// Package: stanza counts from pkgdb/README.md; the test also counts them
	// itself and checks that the README and the file agree.
	readme := map[string]int{
		"valid": 91, "corrupsed": 6, "digest": 2, "md5sums": 1,
		"only-apt": 1, "third-party": 2, "debian12-app-built": 125,
	}
	for name, readmeStanzas := range readme {
		t.Run(name, func(t *testing.T) {
			rel := "var/lib/dpkg/status"
			b, err := os.ReadFile(filepath.Join(root, name, filepath.FromSlash(rel)))
			if err != nil {
				t.Fatal(err)
			}

			var total int
			want := map[string]string{} // name → version as written
			var notInstalled []string
			var corrupt int
			for _, s := range pkgdbStanzas(t, b) {
				pkg, ok := pkgdbField(s, "Package:")
				if !ok {
					continue
				}
				total++
				if st, _ := pkgdbField(s, "Status:"); strings.HasPrefix(st, "deinstall ") || strings.HasPrefix(st, "purge ") {
					notInstalled = append(notInstalled, pkg)
					continue
				}
				v, ok := pkgdbField(s, "Version:")
				if !ok || !pkgdbDebVersionRE.MatchString(v) {
					corrupt++
					continue
				}
				want[pkg] = v
			}
			if total != readmeStanzas {
				t.Fatalf("file has %d Package: stanzas, README says %d", total, readmeStanzas)
			}

			a := dpkganalyzer.New()
			if !a.Required(rel, nil) {
				t.Fatalf("dpkg analyzer does not want %s", rel)
			}
			res, err := a.Analyze(context.Background(), analyze.Input{Path: rel, Content: b})
			if err != nil {
				t.Fatal(err)
			}
			var got []model.Package
			for _, set := range res.OSPackages {
				if set.Type != model.TypeDpkg {
					t.Errorf("package set type %q, want %q", set.Type, model.TypeDpkg)
				}
				got = append(got, set.Packages...)
			}
			if len(got) != len(want) {
				t.Errorf("parsed %d packages, want %d (%d stanzas, %d not installed, %d corrupt)",
					len(got), len(want), total, len(notInstalled), corrupt)
			}
			for _, p := range got {
				if v, ok := want[p.Name]; !ok {
					t.Errorf("unexpected package %s", p.ID)
				} else if p.ID != p.Name+"@"+v || p.FullVersion() != v {
					t.Errorf("%s: ID %q FullVersion %q, want version %q", p.Name, p.ID, p.FullVersion(), v)
				}
				if slices.Contains(notInstalled, p.Name) {
					t.Errorf("not-installed package %s reported", p.Name)
				}
			}
			// Every corrupt stanza warns; nothing else does.
			if len(res.Warnings) != corrupt {
				t.Errorf("got %d warnings %+v, want %d", len(res.Warnings), res.Warnings, corrupt)
			}
		})
	}

	// Hand-checked against pkgdb/README.md: valid has one "deinstall ok
	// config-files" stanza (so 90 packages) and corrupsed has a stanza
	// without Version and one with version "1:5.#" (so 4 packages, 2
	// warnings). This pins the independent counting above to the README.
	for _, c := range []struct {
		name        string
		pkgs, warns int
	}{{"valid", 90, 0}, {"corrupsed", 4, 2}, {"debian12-app-built", 125, 0}, {"third-party", 2, 0}} {
		b, err := os.ReadFile(filepath.Join(root, c.name, "var", "lib", "dpkg", "status"))
		if err != nil {
			t.Fatal(err)
		}
		pkgs, warns, err := dpkg.Parse(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if len(pkgs) != c.pkgs || len(warns) != c.warns {
			t.Errorf("%s: %d packages, %d warnings; want %d, %d", c.name, len(pkgs), len(warns), c.pkgs, c.warns)
		}
	}
}

// TestPkgdbDpkgThirdPartyEpoch checks the epoch split on the docker-ce
// stanza ("Version: 5:20.10.7~3-0~debian-buster" in the file): epoch 5, and
// the Debian revision is what follows the LAST hyphen (policy §5.6.12), so
// upstream "20.10.7~3-0~debian", revision "buster".
func TestPkgdbDpkgThirdPartyEpoch(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(corpus(t, "pkgdb", "dpkg", "third-party"), "var", "lib", "dpkg", "status"))
	if err != nil {
		t.Fatal(err)
	}
	pkgs, _, err := dpkg.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(pkgs, func(p model.Package) bool { return p.Name == "docker-ce" })
	if i < 0 {
		t.Fatal("docker-ce not found")
	}
	p := pkgs[i]
	if p.Epoch != 5 || p.Version != "20.10.7~3-0~debian" || p.Release != "buster" || p.Arch != "amd64" {
		t.Errorf("docker-ce = epoch %d version %q release %q arch %q", p.Epoch, p.Version, p.Release, p.Arch)
	}
}

// TestPkgdbApk parses every apk database of the corpus and compares it with
// the P:/V: lines of the file.
func TestPkgdbApk(t *testing.T) {
	root := corpus(t, "pkgdb", "apk")
	// P: line counts from pkgdb/README.md.
	readme := map[string]int{
		"alpine-3.10.4-image": 14, "alpine-3.11.5-image": 14,
		"trivy-apk-testdata": 16, "trivy-minimal": 1,
	}
	for name, readmeP := range readme {
		t.Run(name, func(t *testing.T) {
			rel := "lib/apk/db/installed"
			b, err := os.ReadFile(filepath.Join(root, name, "installed"))
			if err != nil {
				t.Fatal(err)
			}
			var total int
			want := map[string]string{}
			wantFiles := 0
			var noVersion int
			for _, s := range pkgdbStanzas(t, b) {
				pkg, ok := pkgdbField(s, "P:")
				if !ok {
					continue
				}
				total++
				v, ok := pkgdbField(s, "V:")
				if !ok {
					noVersion++
					continue
				}
				want[pkg] = v
				for _, l := range s {
					if strings.HasPrefix(l, "R:") {
						wantFiles++
					}
				}
			}
			if total != readmeP {
				t.Fatalf("file has %d P: stanzas, README says %d", total, readmeP)
			}

			a := apkanalyzer.New()
			if !a.Required(rel, nil) {
				t.Fatalf("apk analyzer does not want %s", rel)
			}
			res, err := a.Analyze(context.Background(), analyze.Input{Path: rel, Content: b})
			if err != nil {
				t.Fatal(err)
			}
			var got []model.Package
			for _, set := range res.OSPackages {
				got = append(got, set.Packages...)
			}
			if len(got) != len(want) {
				t.Errorf("parsed %d packages, want %d", len(got), len(want))
			}
			gotFiles := 0
			for _, p := range got {
				if v, ok := want[p.Name]; !ok || p.Version != v {
					t.Errorf("package %s: version %q, file says %q", p.Name, p.Version, v)
				}
				if p.ID != p.Name+"@"+p.Version {
					t.Errorf("ID %q", p.ID)
				}
				gotFiles += len(p.InstalledFiles)
			}
			if gotFiles != wantFiles {
				t.Errorf("%d installed files, the file has %d R: lines", gotFiles, wantFiles)
			}
			if len(res.Warnings) != noVersion {
				t.Errorf("got warnings %+v, want %d", res.Warnings, noVersion)
			}
		})
	}

	// Hand-checked from the README: alpine 3.10.4's libcrypto1.1 comes from
	// origin openssl at 1.1.1d-r2, and musl is 1.1.22-r3.
	b, err := os.ReadFile(filepath.Join(root, "alpine-3.10.4-image", "installed"))
	if err != nil {
		t.Fatal(err)
	}
	pkgs, _, err := apk.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, version, src string }{
		{"libcrypto1.1", "1.1.1d-r2", "openssl"},
		{"musl", "1.1.22-r3", "musl"},
	} {
		i := slices.IndexFunc(pkgs, func(p model.Package) bool { return p.Name == c.name })
		if i < 0 {
			t.Errorf("%s missing", c.name)
			continue
		}
		if p := pkgs[i]; p.Version != c.version || p.SrcName != c.src || p.SrcVersion != c.version {
			t.Errorf("%s = %q src %q@%q", c.name, p.Version, p.SrcName, p.SrcVersion)
		}
	}
}

// TestPkgdbOSRelease maps every os-release file of the corpus. The family
// for each ID is hand-assigned from Trivy's names; the expected Name is the
// file's own VERSION_ID.
func TestPkgdbOSRelease(t *testing.T) {
	dir := corpus(t, "pkgdb", "os-release")
	families := map[string]string{
		"alpine":              model.FamilyAlpine,
		"almalinux":           model.FamilyAlma,
		"azurelinux":          model.FamilyAzure,
		"bottlerocket":        "bottlerocket",
		"centos":              model.FamilyCentOS,
		"fedora":              model.FamilyFedora,
		"mariner":             model.FamilyMariner,
		"minimos":             "minimos",
		"opensuse-leap":       model.FamilyOpenSUSE,
		"opensuse":            model.FamilyOpenSUSE, // Leap 42.x
		"opensuse-tumbleweed": model.FamilyOpenSUSETW,
		"ol":                  model.FamilyOracle,
		"photon":              model.FamilyPhoton,
		"rhel":                model.FamilyRedHat,
		"rocky":               model.FamilyRocky,
		"sle-micro":           "slem",
		"sle-micro-rancher":   "slem",
		"sl-micro":            "slem",
		"sles":                model.FamilySUSE,
	}
	// README: no-id, no-version, unknown, echo and coreos are negative
	// cases; activestate is a distribution trawl (like Trivy) does not know.
	negatives := []string{"no-id", "no-version", "unknown", "echo", "coreos", "activestate"}

	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 27 {
		t.Errorf("%d os-release files, README says 27", len(entries))
	}
	a := release.New()
	for _, e := range entries {
		t.Run(e.Name(), func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			var id, versionID string
			for l := range strings.Lines(string(b)) {
				l = strings.TrimSpace(l)
				if v, ok := strings.CutPrefix(l, "ID="); ok {
					id = strings.Trim(v, `"'`)
				}
				if v, ok := strings.CutPrefix(l, "VERSION_ID="); ok {
					versionID = strings.Trim(v, `"'`)
				}
			}
			res, err := a.Analyze(context.Background(), analyze.Input{Path: "etc/os-release", Content: b})
			if err != nil {
				t.Fatal(err)
			}
			if slices.Contains(negatives, e.Name()) {
				if res != nil && res.OS != nil {
					t.Errorf("negative case detected as %+v", res.OS.OS)
				}
				return
			}
			fam, ok := families[id]
			if !ok {
				t.Fatalf("no expectation for ID %q", id)
			}
			want := model.OS{Family: fam, Name: versionID}
			if res == nil || res.OS == nil || res.OS.OS != want {
				t.Errorf("got %+v, want %+v", res, want)
			}
			// The parser agrees with the analyzer.
			os, err := osrelease.ParseOSRelease(bytes.NewReader(b))
			if err != nil || os != want {
				t.Errorf("ParseOSRelease = %+v, %v", os, err)
			}
		})
	}
}

// TestPkgdbRPM lists the seven RPM databases of the corpus (Berkeley DB v8
// and v9 in both byte orders, NDB, SQLite). Expected counts come from
// pkgdb/README.md; for the SQLite databases the test also counts the rows
// of the Packages table itself, on a private copy (opening a SQLite file
// writes -wal/-shm files next to it, and the corpus is read-only).
func TestPkgdbRPM(t *testing.T) {
	root := corpus(t, "pkgdb", "rpm")
	readme := map[string]int{
		"centos5-plain/Packages":       110,
		"centos7-plain/Packages":       144,
		"ubi8-s390x/Packages":          183,
		"libuuid/Packages":             1,
		"sle15-bci/Packages.db":        35,
		"fedora35/rpmdb.sqlite":        138,
		"cbl-mariner-2.0/rpmdb.sqlite": 129,
	}
	for rel, want := range readme {
		t.Run(rel, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(rel, ".sqlite") {
				if n := pkgdbSQLiteRows(t, b); n != want {
					t.Fatalf("Packages table has %d rows, README says %d", n, want)
				}
			}
			a := rpmanalyzer.New()
			dbPath := "var/lib/rpm/" + filepath.Base(rel)
			if !a.Required(dbPath, nil) {
				t.Fatalf("rpm analyzer does not want %s", dbPath)
			}
			res, err := a.Analyze(context.Background(), analyze.Input{Path: dbPath, Content: b})
			if err != nil {
				t.Fatal(err)
			}
			var got []model.Package
			for _, set := range res.OSPackages {
				got = append(got, set.Packages...)
			}
			if len(got) != want {
				t.Errorf("parsed %d packages, want %d", len(got), want)
			}
			for _, p := range got {
				if p.Name == "" || !strings.HasPrefix(p.ID, p.Name+"@"+p.Version+"-"+p.Release+".") {
					t.Errorf("bad package %+v", p)
					break
				}
			}
		})
	}

	// Hand-checked from the README: the libuuid database holds
	// libuuid-2.32.1-42.el8_8.
	b, err := os.ReadFile(filepath.Join(root, "libuuid", "Packages"))
	if err != nil {
		t.Fatal(err)
	}
	pkgs, _, err := rpmparse.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) != 1 || pkgs[0].Name != "libuuid" || pkgs[0].Version != "2.32.1" || pkgs[0].Release != "42.el8_8" {
		t.Errorf("libuuid database = %+v", pkgs)
	}
}

// sqliteRows counts the rows of the Packages table of a SQLite rpmdb given
// as bytes, on a copy in a temporary directory.
func pkgdbSQLiteRows(t *testing.T, b []byte) int {
	t.Helper()
	p := filepath.Join(t.TempDir(), "rpmdb.sqlite")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM Packages`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// layerFiles streams the layers of a docker-save archive (gzip-compressed
// or not, with plain or gzip layers) and calls fn, in manifest layer order,
// for every regular file of every layer that one of the wanted predicates
// accepts. Paths are cleaned and relative.
func pkgdbLayerFiles(t *testing.T, archive string, want func(string) bool, fn func(layer int, path string, content []byte)) {
	t.Helper()
	type file struct {
		path    string
		content []byte
	}
	byLayer := map[string][]file{}
	var manifest []struct{ Layers []string }

	f, err := os.Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	outer, err := pkgdbMaybeGunzip(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(outer)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", archive, err)
		}
		switch {
		case h.Name == "manifest.json":
			if err := json.NewDecoder(tr).Decode(&manifest); err != nil {
				t.Fatal(err)
			}
		case strings.HasSuffix(h.Name, ".tar") || strings.HasSuffix(h.Name, ".tar.gz"):
			inner, err := pkgdbMaybeGunzip(tr)
			if err != nil {
				t.Fatal(err)
			}
			lr := tar.NewReader(inner)
			for {
				lh, err := lr.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("%s %s: %v", archive, h.Name, err)
				}
				p := strings.TrimPrefix(path.Clean("/"+lh.Name), "/")
				if lh.Typeflag != tar.TypeReg || !want(p) {
					continue
				}
				b, err := io.ReadAll(io.LimitReader(lr, 64<<20))
				if err != nil {
					t.Fatal(err)
				}
				byLayer[h.Name] = append(byLayer[h.Name], file{p, b})
			}
		}
	}
	if len(manifest) != 1 {
		t.Fatalf("%s: %d manifest entries, want 1", archive, len(manifest))
	}
	for i, l := range manifest[0].Layers {
		for _, fl := range byLayer[l] {
			fn(i, fl.path, fl.content)
		}
	}
}

func pkgdbMaybeGunzip(r io.Reader) (io.Reader, error) {
	br := bufio.NewReader(r)
	magic, err := br.Peek(2)
	if err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		return gzip.NewReader(br)
	}
	return br, nil
}

// TestPkgdbImages runs the OS analyzers over the files of the corpus
// images, layer by layer, as the walker will: OS detection and the package
// database of the last layer that wrote it.
func TestPkgdbImages(t *testing.T) {
	analyzers := []analyze.Analyzer{release.New(), dpkganalyzer.New(), apkanalyzer.New()}
	want := func(p string) bool {
		for _, a := range analyzers {
			if a.Required(p, nil) {
				return true
			}
		}
		return false
	}
	scan := func(t *testing.T, archive string) (osInfo *analyze.OSInfo, lastDB []model.Package, lastDBContent []byte) {
		var merged analyze.Result
		pkgdbLayerFiles(t, archive, want, func(layer int, p string, content []byte) {
			for _, a := range analyzers {
				if !a.Required(p, nil) {
					continue
				}
				res, err := a.Analyze(context.Background(), analyze.Input{Path: p, Content: content})
				if err != nil {
					t.Fatalf("layer %d %s: %v", layer, p, err)
				}
				if res == nil {
					continue
				}
				merged.Merge(&analyze.Result{OS: res.OS})
				for _, set := range res.OSPackages {
					if set.FilePath == "var/lib/dpkg/status" || set.FilePath == "lib/apk/db/installed" {
						lastDB, lastDBContent = set.Packages, content
					}
				}
				if len(res.Warnings) > 0 {
					t.Errorf("layer %d %s: warnings %+v", layer, p, res.Warnings)
				}
			}
		})
		return merged.OS, lastDB, lastDBContent
	}

	t.Run("alpine-310", func(t *testing.T) {
		osInfo, pkgs, content := scan(t, corpus(t, "images", "alpine-310.tar.gz"))
		// README: Alpine 3.10.4, 14 apk packages (P: lines of the image's database).
		if osInfo == nil || osInfo.OS != (model.OS{Family: model.FamilyAlpine, Name: "3.10.4"}) {
			t.Errorf("OS = %+v, want alpine 3.10.4", osInfo)
		}
		if n := bytes.Count(content, []byte("\nP:")) + pkgdbBoolInt(bytes.HasPrefix(content, []byte("P:"))); len(pkgs) != n || n != 14 {
			t.Errorf("%d packages; database has %d P: lines, README says 14", len(pkgs), n)
		}
	})
	t.Run("debian12-app", func(t *testing.T) {
		osInfo, pkgs, content := scan(t, corpus(t, "images", "debian12-app.tar"))
		// README: Debian 12.15 (etc/debian_version beats os-release's "12").
		if osInfo == nil || osInfo.OS != (model.OS{Family: model.FamilyDebian, Name: "12.15"}) {
			t.Errorf("OS = %+v, want debian 12.15", osInfo)
		}
		// The final status file is the copy kept next to the image.
		side, err := os.ReadFile(corpus(t, "images", "debian12-app.dpkg-status.txt"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(side, content) {
			t.Error("last layer's var/lib/dpkg/status differs from images/debian12-app.dpkg-status.txt")
		}
		installed := bytes.Count(content, []byte("\nStatus: install ok installed")) +
			pkgdbBoolInt(bytes.HasPrefix(content, []byte("Status: install ok installed")))
		if len(pkgs) != installed || installed != 125 {
			t.Errorf("%d packages; status has %d installed stanzas, README says 125", len(pkgs), installed)
		}
	})
}

func pkgdbBoolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestPkgdbDpkgCopyright reads the corpus copyright files. Expectations
// were read off the files (grep '^License:\|common-licenses'):
// all-patterns has "License: GPLv2+" and a reference to
// /usr/share/common-licenses/GPL-2; common-license only the GPL-2
// reference; license-pattern-and-classifier has License: fields "GPL-1+ or
// Artistic, and BSD-4-clause-POWERDOG" and four times Zlib; no-license none.
func TestPkgdbDpkgCopyright(t *testing.T) {
	dir := corpus(t, "pkgdb", "dpkg", "copyright")
	for name, want := range map[string][]string{
		"all-patterns-copyright":                   {"GPLv2+", "GPL-2"},
		"common-license-copyright":                 {"GPL-2"},
		"license-pattern-and-classifier-copyright": {"GPL-1+", "Artistic", "BSD-4-clause-POWERDOG", "Zlib"},
		"no-license-copyright":                     nil,
	} {
		t.Run(name, func(t *testing.T) {
			f, err := os.Open(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := dpkg.ParseCopyright(f)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}
