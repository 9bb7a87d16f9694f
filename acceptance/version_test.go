package acceptance

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/trawlsec/trawl/internal/version"
	"github.com/trawlsec/trawl/internal/vulndb/osv"
)

// loadOSV decodes one OSV record, JSON or YAML by extension.
func loadOSV(t testing.TB, path string) osv.Vulnerability {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v osv.Vulnerability
	if strings.HasSuffix(path, ".yaml") {
		err = yaml.Unmarshal(b, &v)
	} else {
		err = json.Unmarshal(b, &v)
	}
	if err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	return v
}

// recordCase is a version checked by hand against one affected package of
// a corpus record.
type recordCase struct {
	pkg     string // affected[].package.name
	version string
	want    bool
	fixed   []string // FixedVersions, when want is true
}

func checkRecord(t *testing.T, path string, cases []recordCase) {
	t.Helper()
	rec := loadOSV(t, path)
	for _, c := range cases {
		found := false
		for _, a := range rec.Affected {
			if a.Package.Name != c.pkg {
				continue
			}
			found = true
			cmp, err := version.ForEcosystem(a.Package.Ecosystem)
			if err != nil {
				t.Fatalf("%s: %v", rec.ID, err)
			}
			got, err := version.Affected(cmp, c.version, a)
			if err != nil {
				t.Errorf("%s %s@%s: %v", rec.ID, c.pkg, c.version, err)
				continue
			}
			if got != c.want {
				t.Errorf("%s %s@%s: affected = %v, want %v", rec.ID, c.pkg, c.version, got, c.want)
			}
			if fv := version.FixedVersions(cmp, c.version, a); !slices.Equal(fv, c.fixed) {
				t.Errorf("%s %s@%s: FixedVersions = %q, want %q", rec.ID, c.pkg, c.version, fv, c.fixed)
			}
		}
		if !found {
			t.Errorf("%s: no affected package %q", rec.ID, c.pkg)
		}
	}
}

func TestVersionGoRecords(t *testing.T) {
	dir := corpus(t, "advisories", "go")
	// GO-2020-0017: github.com/dgrijalva/jwt-go is SEMVER
	// introduced 0.0.0-20150717181359-44718f8a89b0 with no fix, so
	// v3.2.0+incompatible (goapp's version; "+incompatible" is build metadata)
	// is above the introducing pseudo-version and affected, with no fix; a
	// pseudo-version from 2015-01 is older than the introducing one. The /v4
	// module is introduced 0, fixed 4.0.0-preview1: the pseudo-version
	// v4.0.0-0.2019... is a pre-release of 4.0.0 whose first identifier "0"
	// is numeric, so it sorts before "preview1" and is affected.
	checkRecord(t, filepath.Join(dir, "GO-2020-0017.json"), []recordCase{
		{"github.com/dgrijalva/jwt-go", "v3.2.0+incompatible", true, nil},
		{"github.com/dgrijalva/jwt-go", "v0.0.0-20150101000000-aaaaaaaaaaaa", false, nil},
		{"github.com/dgrijalva/jwt-go/v4", "v4.0.0-0.20190408214815-ec6b8c87a4c9", true, []string{"4.0.0-preview1"}},
		{"github.com/dgrijalva/jwt-go/v4", "v4.0.0-preview1", false, nil},
		{"github.com/dgrijalva/jwt-go/v4", "v4.0.0", false, nil},
	})
	// GO-2021-0238: golang.org/x/net introduced 0, fixed
	// 0.0.0-20210520170846-37e1c6afe023. goapp's x/net pseudo-version is
	// dated 2021-02-26, before the fix's 2021-05-20: affected.
	checkRecord(t, filepath.Join(dir, "GO-2021-0238.json"), []recordCase{
		{"golang.org/x/net", "v0.0.0-20210226172049-e18ecbb05110", true, []string{"0.0.0-20210520170846-37e1c6afe023"}},
		{"golang.org/x/net", "v0.0.0-20210520170846-37e1c6afe023", false, nil},
		{"golang.org/x/net", "v0.1.0", false, nil},
	})
	// GO-2023-1737: gin introduced 1.3.1-0.20190301021747-ccb9e902956d (a
	// pseudo-version, i.e. a pre-release of 1.3.1), fixed 1.9.1. v1.6.0 is
	// in between; v1.3.0 is below the introducing pre-release.
	checkRecord(t, filepath.Join(dir, "GO-2023-1737.json"), []recordCase{
		{"github.com/gin-gonic/gin", "v1.6.0", true, []string{"1.9.1"}},
		{"github.com/gin-gonic/gin", "v1.3.0", false, nil},
		{"github.com/gin-gonic/gin", "v1.9.1", false, nil},
	})
	// GO-2025-3373: stdlib, three intervals [0, 1.22.11), [1.23.0-0, 1.23.5)
	// and [1.24.0-0, 1.24.0-rc.2). Toolchain spellings go1.x are accepted:
	// go1.22.10 is in the first interval, go1.23.4 in the second (its fix is
	// 1.23.5 only), go1.24rc1 = 1.24.0-rc.1 in the third; go1.23.5, go1.24.0
	// and goapp's go1.26.8 are in none.
	checkRecord(t, filepath.Join(dir, "GO-2025-3373.json"), []recordCase{
		{"stdlib", "go1.22.10", true, []string{"1.22.11"}},
		{"stdlib", "go1.23.4", true, []string{"1.23.5"}},
		{"stdlib", "go1.24rc1", true, []string{"1.24.0-rc.2"}},
		{"stdlib", "v1.23.5", false, nil},
		{"stdlib", "go1.24.0", false, nil},
		{"stdlib", "go1.26.8", false, nil},
	})
}

func TestVersionPyPIRecords(t *testing.T) {
	dir := corpus(t, "advisories", "pypi")
	// PYSEC-2023-74: requests ECOSYSTEM introduced 2.3.0, fixed 2.31.0 (plus a
	// GIT range, ignored). Debian's python3-requests is 2.28.1: affected. A
	// PEP 440 local version 2.28.1+dfsg sorts just after 2.28.1: affected.
	// 2.2.1 is below the introduction.
	checkRecord(t, filepath.Join(dir, "requests", "PYSEC-2023-74.yaml"), []recordCase{
		{"requests", "2.28.1", true, []string{"2.31.0"}},
		{"requests", "2.28.1+dfsg", true, []string{"2.31.0"}},
		{"requests", "2.31.0rc1", true, []string{"2.31.0"}},
		{"requests", "2.31.0", false, nil},
		{"requests", "2.3.0", true, []string{"2.31.0"}},
		{"requests", "2.2.1", false, nil},
	})
	// PYSEC-2023-192: urllib3 ECOSYSTEM events are unsorted in the file:
	// introduced 2.0.0, fixed 2.0.6, introduced 0, fixed 1.26.17. Sorted,
	// they are [0, 1.26.17) and [2.0.0, 2.0.6). 1.26.12 (Debian's) is in the
	// first, whose fix is 1.26.17 only; 2.0.5 in the second; 1.26.17, 1.26.18
	// and 2.0.6 are in none.
	checkRecord(t, filepath.Join(dir, "urllib3", "PYSEC-2023-192.yaml"), []recordCase{
		{"urllib3", "1.26.12", true, []string{"1.26.17"}},
		{"urllib3", "2.0.5", true, []string{"2.0.6"}},
		{"urllib3", "1.26.17", false, nil},
		{"urllib3", "1.26.18", false, nil},
		{"urllib3", "2.0.6", false, nil},
	})
}

func TestVersionRustSecRecords(t *testing.T) {
	dir := corpus(t, "advisories", "rustsec")
	// RUSTSEC-2020-0071: time, SEMVER introduced 0.0.0-0 fixed 0.2.0, then
	// for each 0.2.N (N=1..6) introduced 0.2.N-0 fixed 0.2.N (only
	// pre-releases of 0.2.N), then introduced 0.2.7-0 fixed 0.2.23.
	// 0.1.45 is in the first interval; 0.2.0..0.2.6 are releases, each at or
	// past its own fix, so unaffected; 0.2.3-alpha is a pre-release of 0.2.3
	// (in [0.2.3-0, 0.2.3)); 0.2.22 is in the last interval; 0.2.23 and
	// 0.3.0 are fixed.
	checkRecord(t, filepath.Join(dir, "RUSTSEC-2020-0071.json"), []recordCase{
		{"time", "0.1.45", true, []string{"0.2.0"}},
		{"time", "0.2.0", false, nil},
		{"time", "0.2.3", false, nil},
		{"time", "0.2.3-alpha", true, []string{"0.2.3"}},
		{"time", "0.2.6", false, nil},
		{"time", "0.2.7", true, []string{"0.2.23"}},
		{"time", "0.2.22", true, []string{"0.2.23"}},
		{"time", "0.2.23", false, nil},
		{"time", "0.3.0", false, nil},
	})
	// RUSTSEC-2020-0069: lettre, SEMVER [0.7.0,0.7.1) [0.8.0,0.8.4)
	// [0.9.0,0.9.5) [0.10.0-alpha.1,0.10.0-alpha.4). 0.10.0-alpha.3 is in the
	// last interval, 0.10.0-beta.1 is past alpha.4 (beta > alpha), 0.9.4 in
	// the third.
	checkRecord(t, filepath.Join(dir, "RUSTSEC-2020-0069.json"), []recordCase{
		{"lettre", "0.10.0-alpha.3", true, []string{"0.10.0-alpha.4"}},
		{"lettre", "0.10.0-beta.1", false, nil},
		{"lettre", "0.9.4", true, []string{"0.9.5"}},
		{"lettre", "0.9.5", false, nil},
		{"lettre", "0.6.2", false, nil},
	})
}

// TestVersionGoappModules matches the 15 modules of /app/bin/goapp's build
// info (listed by `go version -m` on the binary extracted from layer 2 of
// images/debian12-app.tar) against every non-withdrawn record in
// advisories/go. The corpus README states that this gives 31 module-level
// matches and names eight of them; the count and those IDs are the oracle.
func TestVersionGoappModules(t *testing.T) {
	dir := corpus(t, "advisories", "go")
	modules := map[string]string{
		"github.com/dgrijalva/jwt-go":                   "v3.2.0+incompatible",
		"github.com/gin-contrib/sse":                    "v0.1.0",
		"github.com/gin-gonic/gin":                      "v1.6.0",
		"github.com/go-playground/locales":              "v0.13.0",
		"github.com/go-playground/universal-translator": "v0.17.0",
		"github.com/go-playground/validator/v10":        "v10.2.0",
		"github.com/golang/protobuf":                    "v1.3.3",
		"github.com/gorilla/websocket":                  "v1.4.0",
		"github.com/leodido/go-urn":                     "v1.2.0",
		"github.com/mattn/go-isatty":                    "v0.0.12",
		"github.com/ugorji/go/codec":                    "v1.1.7",
		"golang.org/x/net":                              "v0.0.0-20210226172049-e18ecbb05110",
		"golang.org/x/sys":                              "v0.0.0-20201119102817-f84b799fce68",
		"golang.org/x/text":                             "v0.3.5",
		"gopkg.in/yaml.v2":                              "v2.2.8",
	}
	files, err := filepath.Glob(filepath.Join(dir, "GO-*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no GO records in %s: %v", dir, err)
	}
	cmp, err := version.ForEcosystem("Go")
	if err != nil {
		t.Fatal(err)
	}
	var matches []string
	for _, f := range files {
		rec := loadOSV(t, f)
		if !rec.Withdrawn.IsZero() {
			continue
		}
		for _, a := range rec.Affected {
			v, ok := modules[a.Package.Name]
			if !ok {
				continue
			}
			hit, err := version.Affected(cmp, v, a)
			if err != nil {
				t.Errorf("%s %s@%s: %v", rec.ID, a.Package.Name, v, err)
			}
			if hit {
				matches = append(matches, rec.ID+" "+a.Package.Name)
				break
			}
		}
	}
	sort.Strings(matches)
	if len(matches) != 31 {
		t.Errorf("got %d matches, want 31 (corpus README):\n%s", len(matches), strings.Join(matches, "\n"))
	}
	ids := make([]string, 0, len(matches))
	for _, m := range matches {
		ids = append(ids, strings.Fields(m)[0])
	}
	for _, want := range []string{"GO-2020-0017", "GO-2020-0019", "GO-2021-0052", "GO-2021-0113",
		"GO-2021-0238", "GO-2022-0493", "GO-2022-1059", "GO-2023-1737"} {
		if !slices.Contains(ids, want) {
			t.Errorf("missing %s (named in the corpus README)", want)
		}
	}
}

// TestVersionCorpusEvents checks that every SEMVER and ECOSYSTEM event
// version in advisories/go, rustsec and pypi parses under the comparator of
// its ecosystem, so that no real record is silently unevaluable. The only
// exceptions are two PyPI events that are not PEP 440 versions at all (read
// from the files): binderhub's PYSEC-2021-371 "fixed: 0.2.0-n653" and
// steam's PYSEC-2019-125 "fixed: 2019-09-12"; for those Affected must return
// an error rather than "not affected". Listed versions (affected[].versions)
// include legacy, non-PEP 440 PyPI release names ("0.1-bulbasaur",
// "trunk"): Affected matches those by exact string only, so they are counted
// and logged, not failed.
func TestVersionCorpusEvents(t *testing.T) {
	var files []string
	for _, pat := range [][]string{
		{"go", "GO-*.json"},
		{"rustsec", "RUSTSEC-*.json"},
		{"pypi", "*", "PYSEC-*.yaml"},
	} {
		dir := corpus(t, "advisories", pat[0])
		m, err := filepath.Glob(filepath.Join(append([]string{dir}, pat[1:]...)...))
		if err != nil || len(m) == 0 {
			t.Fatalf("no files for %v: %v", pat, err)
		}
		files = append(files, m...)
	}
	var bad []string
	events, listed, badListed := 0, 0, 0
	for _, f := range files {
		rec := loadOSV(t, f)
		for _, a := range rec.Affected {
			cmp, err := version.ForEcosystem(a.Package.Ecosystem)
			if err != nil {
				t.Errorf("%s: %v", rec.ID, err)
				continue
			}
			for _, r := range a.Ranges {
				if r.Type == osv.RangeGit {
					continue
				}
				for _, e := range r.Events {
					for _, v := range []string{e.Introduced, e.Fixed, e.LastAffected, e.Limit} {
						if v == "" || v == "0" || v == "*" {
							continue
						}
						events++
						if cmp.Valid(v) != nil {
							bad = append(bad, rec.ID+" "+v)
						}
					}
				}
			}
			for _, v := range a.Versions {
				listed++
				if cmp.Valid(v) != nil {
					badListed++
				}
			}
		}
	}
	t.Logf("%d records, %d range event versions, %d listed versions (%d not parsable, matched by string only)",
		len(files), events, listed, badListed)
	if events < 10000 {
		t.Errorf("only %d range event versions checked; corpus not read?", events)
	}
	sort.Strings(bad)
	if want := []string{"PYSEC-2019-125 2019-09-12", "PYSEC-2021-371 0.2.0-n653"}; !slices.Equal(bad, want) {
		t.Errorf("unparsable range event versions = %q, want %q", bad, want)
	}
	rec := loadOSV(t, filepath.Join(corpus(t, "advisories", "pypi"), "steam", "PYSEC-2019-125.yaml"))
	cmp, err := version.ForEcosystem("PyPI")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := version.Affected(cmp, "1.0", rec.Affected[0]); got || err == nil {
		t.Errorf("PYSEC-2019-125 with an unparsable fix: Affected = %v, %v; want false and an error", got, err)
	}
}

// fieldValues returns the values of lines "<prefix><value>" in a file.
func fieldValues(t *testing.T, path, prefix string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, prefix); ok {
			out = append(out, strings.TrimSpace(v))
		}
	}
	return out
}

// TestVersionOSPackageDBs parses every installed version in the corpus's
// dpkg status files and apk installed files with the Deb and APK
// comparators. The only invalid one is "1:5.#" in the deliberately
// corrupted dpkg status (pkgdb/dpkg/corrupsed; "#" is not allowed in a
// Debian version), which must be rejected.
func TestVersionOSPackageDBs(t *testing.T) {
	dpkg, err := filepath.Glob(filepath.Join(corpus(t, "pkgdb", "dpkg"), "*", "var", "lib", "dpkg", "status"))
	if err != nil || len(dpkg) < 5 {
		t.Fatalf("dpkg status files: %v, %v", dpkg, err)
	}
	n := 0
	var bad []string
	for _, f := range dpkg {
		for _, v := range fieldValues(t, f, "Version:") {
			n++
			if (version.Deb{}).Valid(v) != nil {
				bad = append(bad, v)
			}
		}
	}
	apkFiles, err := filepath.Glob(filepath.Join(corpus(t, "pkgdb", "apk"), "*", "installed"))
	if err != nil || len(apkFiles) < 4 {
		t.Fatalf("apk installed files: %v, %v", apkFiles, err)
	}
	for _, f := range apkFiles {
		for _, v := range fieldValues(t, f, "V:") {
			n++
			if (version.APK{}).Valid(v) != nil {
				bad = append(bad, v)
			}
		}
	}
	t.Logf("%d installed versions", n)
	if n < 200 {
		t.Errorf("only %d versions read", n)
	}
	if !slices.Equal(bad, []string{"1:5.#"}) {
		t.Errorf("invalid installed versions = %q, want only the corrupted %q", bad, "1:5.#")
	}
}

// secdb is the part of an Alpine secdb file the tests read.
type secdb struct {
	Packages []struct {
		Pkg struct {
			Name     string              `yaml:"name"`
			Secfixes map[string][]string `yaml:"secfixes"`
		} `yaml:"pkg"`
	} `yaml:"packages"`
}

// TestVersionAlpineSecfixes compares the installed apk packages of the
// Alpine 3.10.4 and 3.11.5 images (pkgdb copies of their installed files)
// with the secfixes of their origin in the bundled 2020 secdb of their
// branch. The corpus README states every secfix there is <= the installed
// version, i.e. no finding; as a positive control, openssl's later fix
// 1.1.1g-r0 (CVE-2020-1967, not in this secdb) is above 3.11's
// libcrypto1.1 1.1.1d-r3 (d < g).
func TestVersionAlpineSecfixes(t *testing.T) {
	cmp, err := version.ForEcosystem("Alpine:v3.11")
	if err != nil {
		t.Fatal(err)
	}
	for _, img := range []struct{ db, branch string }{
		{"alpine-3.10.4-image", "v3.10"},
		{"alpine-3.11.5-image", "v3.11"},
	} {
		fixes := map[string][]string{}
		for _, repo := range []string{"main.yaml", "community.yaml"} {
			b, err := os.ReadFile(filepath.Join(corpus(t, "advisories", "alpine-secdb", img.branch), repo))
			if err != nil {
				t.Fatal(err)
			}
			var db secdb
			if err := yaml.Unmarshal(b, &db); err != nil {
				t.Fatalf("%s/%s: %v", img.branch, repo, err)
			}
			for _, p := range db.Packages {
				for v := range p.Pkg.Secfixes {
					fixes[p.Pkg.Name] = append(fixes[p.Pkg.Name], v)
				}
			}
		}
		installed := filepath.Join(corpus(t, "pkgdb", "apk", img.db), "installed")
		names := fieldValues(t, installed, "P:")
		versions := fieldValues(t, installed, "V:")
		origins := fieldValues(t, installed, "o:")
		if len(names) != 14 || len(versions) != 14 || len(origins) != 14 {
			t.Fatalf("%s: %d/%d/%d P/V/o lines, want 14 each", img.db, len(names), len(versions), len(origins))
		}
		compared := 0
		for i, origin := range origins {
			for _, fix := range fixes[origin] {
				c, err := cmp.Compare(versions[i], fix)
				if err != nil {
					t.Errorf("%s %s %s vs %s: %v", img.db, names[i], versions[i], fix, err)
					continue
				}
				compared++
				if c < 0 {
					t.Errorf("%s: %s %s is below secfix %s of %s", img.db, names[i], versions[i], fix, origin)
				}
			}
		}
		if compared < 10 {
			t.Errorf("%s: only %d secfix comparisons", img.db, compared)
		}
		if img.branch == "v3.11" {
			i := slices.Index(names, "libcrypto1.1")
			if i < 0 || versions[i] != "1.1.1d-r3" {
				t.Fatalf("libcrypto1.1 not at 1.1.1d-r3 in %s", img.db)
			}
			if c, err := cmp.Compare(versions[i], "1.1.1g-r0"); err != nil || c >= 0 {
				t.Errorf("Compare(1.1.1d-r3, 1.1.1g-r0) = %d, %v; want -1", c, err)
			}
		}
	}
}

// TestVersionAlpineSecdbKeys parses every secfix version of every branch in
// advisories/alpine-secdb with the APK comparator. Fourteen distinct keys
// are typos that apk-tools' version grammar rejects (checked by reading
// them: a "." before "-r" or before a letter, a "-" not followed by "r", a
// Debian-style "-33"); the comparator must reject exactly those and accept
// the other ~4250, including "0" (the secdb's "never affected" marker).
func TestVersionAlpineSecdbKeys(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(corpus(t, "advisories", "alpine-secdb"), "v*", "*.yaml"))
	if err != nil || len(files) != 18 {
		t.Fatalf("secdb files: %d, %v; want 18", len(files), err)
	}
	n := 0
	var bad []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var db secdb
		if err := yaml.Unmarshal(b, &db); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, p := range db.Packages {
			for v := range p.Pkg.Secfixes {
				n++
				if (version.APK{}).Valid(v) != nil {
					bad = append(bad, p.Pkg.Name+" "+v)
				}
			}
		}
	}
	if n < 4000 {
		t.Errorf("only %d secfix versions read", n)
	}
	sort.Strings(bad)
	bad = slices.Compact(bad)
	want := []string{
		"git 2.15.r-r1", "icu 57-1-r2", "irssi 0.8.21.r2", "irssi 1.0.4.-r0",
		"libxi 1.7.5.-r1", "mariadb 10.2.22.r0", "mariadb 10.2.24.r0", "mariadb 10.2.26.r0",
		"phpmyadmin 4.8.0.-r1", "py-django 1.11-20-r0", "python2 2.7.16-33",
		"quassel 0.12.5.-r0", "wget 1.18.-r2", "xen 4.10-1-r1",
	}
	if !slices.Equal(bad, want) {
		t.Errorf("unparsable secfix versions (of %d) = %q, want %q", n, bad, want)
	}
}
