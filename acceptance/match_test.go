package acceptance

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/match"
	"github.com/trawlsec/trawl/internal/parse/apk"
	gobinary "github.com/trawlsec/trawl/internal/parse/golang/binary"
	"github.com/trawlsec/trawl/internal/parse/python/poetry"
	"github.com/trawlsec/trawl/internal/parse/rust/cargo"
	"github.com/trawlsec/trawl/internal/vulndb/build"
	"github.com/trawlsec/trawl/internal/vulndb/store"
	"github.com/trawlsec/trawl/pkg/model"
)

// matchCorpusStore opens the database built from the corpus advisories.
func matchCorpusStore(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(corpusDB(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// matchIDs lists "pkg@version id" per finding.
func matchIDs(vs []model.Vulnerability) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.PkgName+"@"+v.InstalledVersion+" "+v.VulnerabilityID)
	}
	return out
}

// matchLayerFiles calls fn for every regular file of every layer of a
// docker-save tarball (gzip-compressed as a whole or not; layers plain or
// gzip-compressed) whose path (without "./") want accepts.
func matchLayerFiles(t testing.TB, archive string, want func(string) bool, fn func(path string, content []byte)) {
	t.Helper()
	raw, err := os.ReadFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.HasPrefix(raw, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		if raw, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	members := map[string][]byte{}
	var manifest []struct{ Layers []string }
	tr := tar.NewReader(bytes.NewReader(raw))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		members[h.Name] = b
		if h.Name == "manifest.json" {
			if err := json.Unmarshal(b, &manifest); err != nil || len(manifest) == 0 {
				t.Fatalf("manifest.json: %v", err)
			}
		}
	}
	if len(manifest) == 0 {
		t.Fatalf("%s: no manifest.json", archive)
	}
	for _, layer := range manifest[0].Layers {
		var r io.Reader = bytes.NewReader(members[layer])
		if bytes.HasPrefix(members[layer], []byte{0x1f, 0x8b}) {
			zr, err := gzip.NewReader(r)
			if err != nil {
				t.Fatalf("%s: %v", layer, err)
			}
			r = zr
		}
		lr := tar.NewReader(r)
		for {
			h, err := lr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", layer, err)
			}
			p := strings.TrimPrefix(h.Name, "./")
			if h.Typeflag != tar.TypeReg || !want(p) {
				continue
			}
			b, err := io.ReadAll(lr)
			if err != nil {
				t.Fatal(err)
			}
			fn(p, b)
		}
	}
}

// TestMatchGoBinary matches the modules of /app/bin/goapp in the Debian
// image against advisories/go.
//
// Expected: the corpus README says 31 module-level matches and names
// GO-2020-0017, GO-2020-0019, GO-2021-0052, GO-2021-0113, GO-2021-0238,
// GO-2022-0493, GO-2022-1059 and GO-2023-1737. We checked the full list by
// hand with an independent script over advisories/go/*.json (walking each
// SEMVER range's introduced/fixed pairs in file order with a plain SemVer
// comparison of the binary's versions, `go version -m` of the extracted
// binary): jwt-go v3.2.0+incompatible is affected by GO-2020-0017 (all
// versions); gin v1.6.0 by GO-2021-0052 (fixed 1.7.7) and GO-2023-1737
// (fixed 1.9.1); websocket v1.4.0 by GO-2020-0019 (fixed 1.4.1); x/sys
// v0.0.0-20201119… by GO-2022-0493 (fixed 0.0.0-20220412…) and
// GO-2026-5024 (0.44.0); x/text v0.3.5 by GO-2021-0113 (0.3.7),
// GO-2022-1059 (0.3.8), GO-2026-5970 (0.39.0); x/net v0.0.0-20210226… by
// the 22 x/net records below, whose first fixes all postdate 2021-02-26.
// The other nine modules (gin-contrib/sse, go-playground/*, protobuf,
// go-urn, go-isatty, ugorji codec, yaml.v2 v2.2.8 — its records are fixed
// at or before 2.2.8) have none, stdlib v1.26.8 is past every stdlib fix of
// the snapshot, and the main module is (devel) and is not matched. No two
// of the 31 records alias each other, so there are 31 findings; each
// reports its single CVE alias (GO-2025-3595 and the GO-2026 records carry
// one CVE alias too) and keeps the GO id among VendorIDs.
func TestMatchGoBinary(t *testing.T) {
	s := matchCorpusStore(t)
	var content []byte
	matchLayerFiles(t, corpus(t, "images", "debian12-app.tar"),
		func(p string) bool { return p == "app/bin/goapp" },
		func(_ string, b []byte) { content = b })
	if content == nil {
		t.Fatal("app/bin/goapp not found")
	}
	pkgs, err := gobinary.Parse(context.Background(), bytes.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	got, warns, err := match.New(s, match.Options{}).Match(context.Background(), nil, model.TypeGoBinary, pkgs)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range warns {
		t.Errorf("warning: %s", w)
	}
	want := map[string][]string{
		"github.com/dgrijalva/jwt-go":  {"GO-2020-0017"},
		"github.com/gin-gonic/gin":     {"GO-2021-0052", "GO-2023-1737"},
		"github.com/gorilla/websocket": {"GO-2020-0019"},
		"golang.org/x/sys":             {"GO-2022-0493", "GO-2026-5024"},
		"golang.org/x/text":            {"GO-2021-0113", "GO-2022-1059", "GO-2026-5970"},
		"golang.org/x/net": {"GO-2021-0238", "GO-2022-0236", "GO-2022-0288", "GO-2022-0969",
			"GO-2022-1144", "GO-2023-1571", "GO-2023-1988", "GO-2023-2102", "GO-2024-2687",
			"GO-2024-3333", "GO-2025-3503", "GO-2025-3595", "GO-2026-4440", "GO-2026-4441",
			"GO-2026-4918", "GO-2026-5025", "GO-2026-5026", "GO-2026-5027", "GO-2026-5028",
			"GO-2026-5029", "GO-2026-5030", "GO-2026-5942"},
	}
	gotGO := map[string][]string{}
	n := 0
	for _, v := range got {
		var goID string
		for _, id := range append([]string{v.VulnerabilityID}, v.VendorIDs...) {
			if strings.HasPrefix(id, "GO-") {
				goID = id
			}
		}
		if goID == "" {
			t.Errorf("%s %s: no GO id among %v", v.PkgName, v.VulnerabilityID, v.VendorIDs)
			continue
		}
		n++
		gotGO[v.PkgName] = append(gotGO[v.PkgName], goID)
		if v.DataSource == nil || v.DataSource.ID != "go-vulndb" || !strings.HasPrefix(v.VulnerabilityID, "CVE-") ||
			v.Status != "fixed" && goID != "GO-2020-0017" || v.PrimaryURL == "" {
			t.Errorf("finding %s/%s: %+v", v.PkgName, goID, v)
		}
	}
	for k := range gotGO {
		slices.Sort(gotGO[k])
	}
	if d := cmp.Diff(want, gotGO); d != "" {
		t.Errorf("GO ids per module (-want +got):\n%s", d)
	}
	if n != 31 {
		t.Errorf("%d module-level matches, want 31", n)
	}
}

// matchAlpineImage reads the OS version and the apk packages of an Alpine
// docker-save image.
func matchAlpineImage(t *testing.T, name string) (*model.OS, []model.Package, map[string][]string) {
	var (
		release string
		pkgs    []model.Package
		raw     []byte
	)
	matchLayerFiles(t, corpus(t, "images", name),
		func(p string) bool { return p == "etc/alpine-release" || p == "lib/apk/db/installed" },
		func(p string, b []byte) {
			if p == "etc/alpine-release" {
				release = strings.TrimSpace(string(b))
				return
			}
			raw = b
		})
	pkgs, warns, err := apk.Parse(bytes.NewReader(raw))
	if err != nil || len(warns) > 0 || len(pkgs) == 0 {
		t.Fatalf("%s: apk database: %d packages, %v, %v", name, len(pkgs), warns, err)
	}
	// Origins straight from the database text (o: lines), for the expected
	// values.
	origins := map[string][]string{}
	for _, stanza := range strings.Split(string(raw), "\n\n") {
		var p, o string
		for _, l := range strings.Split(stanza, "\n") {
			switch {
			case strings.HasPrefix(l, "P:"):
				p = l[2:]
			case strings.HasPrefix(l, "o:"):
				o = l[2:]
			}
		}
		if p != "" {
			origins[o] = append(origins[o], p)
		}
	}
	return &model.OS{Family: model.FamilyAlpine, Name: release}, pkgs, origins
}

// TestMatchAlpineImages: the bundled 2020 secdb has no fix newer than what
// the two Alpine images install (the corpus README says so: every secfix of
// v3.10/v3.11 is at or below the installed version), so there is no
// finding and no warning. A secdb written here with CVE-2020-1967 fixed in
// openssl 1.1.1g-r0 (the real fix, which postdates both images: they ship
// libcrypto1.1/libssl1.1 1.1.1d-r2 and -r3) gives that finding on exactly
// the binary packages whose origin is openssl, and nothing else.
func TestMatchAlpineImages(t *testing.T) {
	s := matchCorpusStore(t)
	secdbDir := t.TempDir()
	for _, v := range []string{"v3.10", "v3.11"} {
		doc := "distroversion: " + v + "\nreponame: main\nurlprefix: https://dl-cdn.alpinelinux.org/alpine\n" +
			"packages:\n  - pkg:\n      name: openssl\n      secfixes:\n        1.1.1g-r0:\n          - CVE-2020-1967\n"
		if err := os.MkdirAll(filepath.Join(secdbDir, v), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(secdbDir, v, "main.yaml"), []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	later := filepath.Join(t.TempDir(), "later.db")
	if _, err := build.Build(context.Background(), []string{secdbDir}, later, nil); err != nil {
		t.Fatal(err)
	}
	ls, err := store.Open(later)
	if err != nil {
		t.Fatal(err)
	}
	defer ls.Close()

	for _, image := range []string{"alpine-310.tar.gz", "alpine-311.tar.gz"} {
		t.Run(image, func(t *testing.T) {
			osInfo, pkgs, origins := matchAlpineImage(t, image)
			if len(pkgs) != 14 {
				t.Errorf("%d packages, want 14", len(pkgs))
			}
			got, warns, err := match.New(s, match.Options{}).Match(context.Background(), osInfo, model.TypeApk, pkgs)
			if err != nil || len(got) != 0 || len(warns) != 0 {
				t.Errorf("corpus secdb: findings %v, warnings %v, err %v", matchIDs(got), warns, err)
			}

			got, warns, err = match.New(ls, match.Options{}).Match(context.Background(), osInfo, model.TypeApk, pkgs)
			if err != nil || len(warns) != 0 {
				t.Fatalf("later secdb: warnings %v, err %v", warns, err)
			}
			want := slices.Clone(origins["openssl"])
			slices.Sort(want)
			if len(want) != 2 {
				t.Errorf("origin openssl has binaries %v, want 2", want)
			}
			var names []string
			for _, v := range got {
				names = append(names, v.PkgName)
				if v.VulnerabilityID != "CVE-2020-1967" || v.FixedVersion != "1.1.1g-r0" || v.Status != "fixed" ||
					v.DataSource == nil || v.DataSource.ID != "alpine" || !strings.HasPrefix(v.InstalledVersion, "1.1.1d-r") {
					t.Errorf("finding: %+v", v)
				}
			}
			if d := cmp.Diff(want, names); d != "" {
				t.Errorf("packages with the finding (-want +got):\n%s", d)
			}
			if !match.EOSL(osInfo, time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("%s %s not EOSL", osInfo.Family, osInfo.Name)
			}
		})
	}
}

// TestMatchPoetry matches trivy-fixtures/poetry/poetry.lock (click 8.1.3,
// colorama 0.4.6, werkzeug 0.14) against advisories/pypi.
//
// By hand: there is no click or colorama folder in advisories/pypi. Of the
// seven werkzeug records, PYSEC-2017-43 (fixed 0.11.11) and PYSEC-2020-157
// (fixed 0.11.6) are fixed before 0.14; the other five affect 0.14 (their
// ECOSYSTEM ranges are introduced 0 with fixes 0.15.3, 2.1.1, 2.2.3,
// 2.2.3 and 2.3.8, and their versions lists hold "0.14"); their GIT ranges
// (commit hashes) are ignored. Each has exactly one CVE alias, which is
// the reported id: PYSEC-2019-140 → CVE-2019-14806, PYSEC-2022-203 →
// CVE-2022-29361, PYSEC-2023-57 → CVE-2023-23934, PYSEC-2023-58 →
// CVE-2023-25577, PYSEC-2023-221 → CVE-2023-46136 (fixes 2.3.8 and, for
// the 3.x stream, 3.0.1 which is not above an affected 0.14 interval, so
// only 2.3.8).
func TestMatchPoetry(t *testing.T) {
	s := matchCorpusStore(t)
	f, err := os.Open(corpus(t, "projects", "trivy-fixtures", "poetry", "poetry.lock"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pkgs, err := poetry.Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	got, warns, err := match.New(s, match.Options{}).Match(context.Background(), nil, model.TypePoetry, pkgs)
	if err != nil || len(warns) != 0 {
		t.Fatalf("warnings %v, err %v", warns, err)
	}
	want := []string{
		"werkzeug@0.14 CVE-2019-14806 0.15.3 PYSEC-2019-140",
		"werkzeug@0.14 CVE-2022-29361 2.1.1 PYSEC-2022-203",
		"werkzeug@0.14 CVE-2023-23934 2.2.3 PYSEC-2023-57",
		"werkzeug@0.14 CVE-2023-25577 2.2.3 PYSEC-2023-58",
		"werkzeug@0.14 CVE-2023-46136 2.3.8 PYSEC-2023-221",
	}
	var have []string
	for _, v := range got {
		pysec := ""
		for _, id := range v.VendorIDs {
			if strings.HasPrefix(id, "PYSEC-") {
				pysec = id
			}
		}
		have = append(have, fmt.Sprintf("%s@%s %s %s %s", v.PkgName, v.InstalledVersion, v.VulnerabilityID, v.FixedVersion, pysec))
		if v.DataSource == nil || v.DataSource.ID != "pypa" {
			t.Errorf("%s: data source %+v", v.VulnerabilityID, v.DataSource)
		}
	}
	if d := cmp.Diff(want, have); d != "" {
		t.Errorf("findings (-want +got):\n%s", d)
	}
}

// TestMatchCargo matches trivy-fixtures/trivy-ci-test/Cargo.lock (74
// packages; the small trivy-fixtures/cargo lock has none: its only crate
// with an advisory, regex 1.7.3, is past RUSTSEC-2022-0013's fix 1.5.5)
// against advisories/rustsec.
//
// By hand, over every RUSTSEC-*.json whose affected crate is in the lock
// (SEMVER ranges, introduced "0.0.0-0" meaning all versions):
//   - openssl 0.8.3: RUSTSEC-2016-0001 (fixed 0.9.0; CVE-2016-10931),
//     2023-0022, 2023-0023, 2023-0024 (0.10.48; GHSA aliases only),
//     2023-0044 (0.10.55; CVE-2023-53159), 2023-0072 (0.10.60; unsound),
//     2024-0357 (0.10.66), 2025-0004 (0.10.70; CVE-2025-24898);
//   - ammonia 1.9.0: 2019-0001 (2.1.0; CVE-2019-15542), 2021-0074 (2.1.3;
//     CVE-2021-38193), 2025-0071 (3.3.1), 2026-0193 (3.3.2;
//     CVE-2026-63430), 2026-0213 (3.3.3);
//   - smallvec 0.6.9: 2018-0018 (0.6.13; CVE-2018-25023), 2019-0009 and
//     2019-0012 (introduced 0.6.5 / 0.6.3, fixed 0.6.10; CVE-2019-15551,
//     CVE-2019-15554), 2021-0003 (0.6.14; CVE-2021-25900);
//   - rand_core 0.4.0: 2019-0035 (introduced 0.4.0-0, fixed 0.4.2;
//     CVE-2020-25576); rand_core 0.3.1 is at that record's first fix;
//   - idna 0.1.5: 2024-0421 (1.0.0; CVE-2024-12224);
//   - remove_dir_all 0.5.1: 2023-0018 (0.8.0);
//   - tempdir 0.3.7: 2018-0017 and rand_os 0.1.3: 2025-0124 (unmaintained,
//     every version, no fix → status affected).
//
// No two matched records share an alias. The id is the single CVE alias
// when there is one, else the RUSTSEC id.
func TestMatchCargo(t *testing.T) {
	s := matchCorpusStore(t)
	f, err := os.Open(corpus(t, "projects", "trivy-fixtures", "trivy-ci-test", "Cargo.lock"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pkgs, err := cargo.Parse(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	got, warns, err := match.New(s, match.Options{}).Match(context.Background(), nil, model.TypeCargo, pkgs)
	if err != nil || len(warns) != 0 {
		t.Fatalf("warnings %v, err %v", warns, err)
	}
	want := []string{
		"ammonia@1.9.0 CVE-2019-15542 2.1.0",
		"ammonia@1.9.0 CVE-2021-38193 2.1.3",
		"ammonia@1.9.0 CVE-2026-63430 3.3.2",
		"ammonia@1.9.0 RUSTSEC-2025-0071 3.3.1",
		"ammonia@1.9.0 RUSTSEC-2026-0213 3.3.3",
		"idna@0.1.5 CVE-2024-12224 1.0.0",
		"openssl@0.8.3 CVE-2016-10931 0.9.0",
		"openssl@0.8.3 CVE-2023-53159 0.10.55",
		"openssl@0.8.3 CVE-2025-24898 0.10.70",
		"openssl@0.8.3 RUSTSEC-2023-0022 0.10.48",
		"openssl@0.8.3 RUSTSEC-2023-0023 0.10.48",
		"openssl@0.8.3 RUSTSEC-2023-0024 0.10.48",
		"openssl@0.8.3 RUSTSEC-2023-0072 0.10.60",
		"openssl@0.8.3 RUSTSEC-2024-0357 0.10.66",
		"rand_core@0.4.0 CVE-2020-25576 0.4.2",
		"rand_os@0.1.3 RUSTSEC-2025-0124 ",
		"remove_dir_all@0.5.1 RUSTSEC-2023-0018 0.8.0",
		"smallvec@0.6.9 CVE-2018-25023 0.6.13",
		"smallvec@0.6.9 CVE-2019-15551 0.6.10",
		"smallvec@0.6.9 CVE-2019-15554 0.6.10",
		"smallvec@0.6.9 CVE-2021-25900 0.6.14",
		"tempdir@0.3.7 RUSTSEC-2018-0017 ",
	}
	var have []string
	for _, v := range got {
		have = append(have, fmt.Sprintf("%s@%s %s %s", v.PkgName, v.InstalledVersion, v.VulnerabilityID, v.FixedVersion))
		if v.DataSource == nil || v.DataSource.ID != "rustsec" {
			t.Errorf("%s: data source %+v", v.VulnerabilityID, v.DataSource)
		}
		if (v.FixedVersion == "") != (v.Status == "affected") {
			t.Errorf("%s: status %s with fix %q", v.VulnerabilityID, v.Status, v.FixedVersion)
		}
	}
	if d := cmp.Diff(want, have); d != "" {
		t.Errorf("findings (-want +got):\n%s", d)
	}
}

// BenchmarkMatch10k matches 10,000 packages (every package of the corpus
// database, at an old version, repeated) against the full corpus database.
func BenchmarkMatch10k(b *testing.B) {
	s := matchCorpusStore(b)
	byEco := map[string][]model.Package{}
	var keys []store.PackageKey
	if err := s.Packages(func(eco, name string) error {
		keys = append(keys, store.PackageKey{Ecosystem: eco, Name: name})
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	versions := map[string][]string{
		"Go":        {"v0.0.1", "v1.0.0", "v0.0.0-20200101000000-abcdefabcdef"},
		"PyPI":      {"0.1", "1.0", "2.0.1"},
		"crates.io": {"0.1.0", "1.0.0", "0.3.7"},
	}
	for i := 0; i < 10000; i++ {
		k := keys[i%len(keys)]
		base := store.BaseEcosystem(k.Ecosystem)
		vs := versions[base]
		if vs == nil {
			vs = []string{"1.0-r0", "1.1.1d-r2", "2.30-r1"}
		}
		v := vs[(i/len(keys))%len(vs)]
		p := model.Package{Name: k.Name, Version: v, Ecosystem: k.Ecosystem}
		if base == "Alpine" {
			p.SrcName = k.Name
		}
		byEco[k.Ecosystem] = append(byEco[k.Ecosystem], p)
	}
	m := match.New(s, match.Options{})
	b.ResetTimer()
	for b.Loop() {
		n := 0
		for eco, pkgs := range byEco {
			typ := model.TypeCargo
			if strings.HasPrefix(eco, "Alpine") {
				typ = model.TypeApk
			}
			got, _, err := m.Match(context.Background(), nil, typ, pkgs)
			if err != nil {
				b.Fatal(err)
			}
			n += len(got)
		}
		if n == 0 {
			b.Fatal("no findings")
		}
	}
}
