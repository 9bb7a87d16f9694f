package match

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/version"
	"github.com/trawlsec/trawl/internal/vulndb/build"
	"github.com/trawlsec/trawl/internal/vulndb/osv"
	"github.com/trawlsec/trawl/internal/vulndb/store"
	"github.com/trawlsec/trawl/pkg/model"
)

// openDB builds a real database from testdata/ (OSV records and an Alpine
// secdb) and opens it.
func openDB(t testing.TB) *store.Store {
	t.Helper()
	out := filepath.Join(t.TempDir(), "trawl.db")
	if _, err := build.Build(context.Background(), []string{"testdata/osv", "testdata/secdb"}, out, nil); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// brief is the part of a finding most cases check.
type brief struct {
	Pkg, ID, Fixed, Status, Severity, SeveritySource string
}

func briefs(vs []model.Vulnerability) []brief {
	var out []brief
	for _, v := range vs {
		out = append(out, brief{v.PkgName, v.VulnerabilityID, v.FixedVersion, v.Status, v.Severity, v.SeveritySource})
	}
	return out
}

func debPkg(name, srcName, srcVersion, srcRelease, version string) model.Package {
	return model.Package{ID: name + "@" + version, Name: name, Version: version,
		SrcName: srcName, SrcVersion: srcVersion, SrcRelease: srcRelease}
}

func TestMatch(t *testing.T) {
	m := New(openDB(t), Options{})
	debian := &model.OS{Family: model.FamilyDebian, Name: "12.15"}
	alpine := &model.OS{Family: model.FamilyAlpine, Name: "3.19.1"}
	py := func(name, v string) model.Package {
		return model.Package{ID: name + "@" + v, Name: name, Version: v, Ecosystem: "PyPI"}
	}
	tests := []struct {
		name     string
		os       *model.OS
		pkgType  string
		pkgs     []model.Package
		want     []brief
		warnings int
	}{
		{
			// libssl3 and openssl are binaries of source openssl: both get
			// the source's findings at the source version. The record filed
			// under the binary name libssl3 is never looked up. The
			// postponed record without fix is fix_deferred, with Debian's
			// "unimportant" urgency as LOW.
			name: "debian source package, two binaries", os: debian, pkgType: model.TypeDpkg,
			pkgs: []model.Package{
				debPkg("openssl", "openssl", "3.0.11", "1~deb12u2", "3.0.11-1~deb12u2"),
				debPkg("libssl3", "openssl", "3.0.11", "1~deb12u2", "3.0.11-1~deb12u2+b1"),
				debPkg("zlib1g", "zlib", "1.2.13", "1", "1:1.2.13.dfsg-1"),
			},
			want: []brief{
				{"libssl3", "CVE-2099-1000", "3.0.11-1~deb12u3", "fixed", "UNKNOWN", ""},
				{"libssl3", "CVE-2099-1001", "", "fix_deferred", "LOW", "debian"},
				{"openssl", "CVE-2099-1000", "3.0.11-1~deb12u3", "fixed", "UNKNOWN", ""},
				{"openssl", "CVE-2099-1001", "", "fix_deferred", "LOW", "debian"},
			},
		},
		{
			name: "debian source already fixed", os: debian, pkgType: model.TypeDpkg,
			pkgs: []model.Package{debPkg("libssl3", "openssl", "3.0.11", "1~deb12u3", "3.0.11-1~deb12u3")},
			want: []brief{{"libssl3", "CVE-2099-1001", "", "fix_deferred", "LOW", "debian"}},
		},
		{
			// Alpine matches by origin at the package's own version.
			name: "alpine origin", os: alpine, pkgType: model.TypeApk,
			pkgs: []model.Package{
				{ID: "libcrypto3@3.1.4-r0", Name: "libcrypto3", Version: "3.1.4-r0", SrcName: "openssl", SrcVersion: "3.1.4-r0"},
				{ID: "libssl3@3.1.4-r0", Name: "libssl3", Version: "3.1.4-r0", SrcName: "openssl", SrcVersion: "3.1.4-r0"},
				{ID: "openssl@3.1.4-r1", Name: "openssl", Version: "3.1.4-r1", SrcName: "openssl", SrcVersion: "3.1.4-r1"},
				{ID: "musl@1.2.4-r2", Name: "musl", Version: "1.2.4-r2", SrcName: "musl"},
			},
			want: []brief{
				{"libcrypto3", "CVE-2099-2000", "3.1.4-r1", "fixed", "UNKNOWN", ""},
				{"libssl3", "CVE-2099-2000", "3.1.4-r1", "fixed", "UNKNOWN", ""},
			},
		},
		{
			// GHSA and OSV-2099-1 both alias CVE-2099-3000: one finding,
			// with both fixes of the stream; the GHSA's MODERATE wins over
			// its CRITICAL CVSS vector. The withdrawn record and the
			// GIT-only record never match.
			name: "npm aliases merged", pkgType: model.TypeNpm,
			pkgs: []model.Package{
				{ID: "lodash@4.17.15", Name: "lodash", Version: "4.17.15", Ecosystem: "npm"},
				{ID: "gitpkg@1.0.0", Name: "gitpkg", Version: "1.0.0", Ecosystem: "npm"},
			},
			want: []brief{{"lodash", "CVE-2099-3000", "4.17.19, 4.17.20", "fixed", "MEDIUM", "ghsa"}},
		},
		{
			name: "npm outside every range", pkgType: model.TypeNpm,
			pkgs: []model.Package{{Name: "lodash", Version: "4.17.21", Ecosystem: "npm"}},
		},
		{
			// Severity: CVSS 3.1 alone; v4 (LOW) over v3.0 (CRITICAL); nothing;
			// v2 alone.
			// The name is normalised (PEP 503) in the lookup.
			name: "pypi severity selection", pkgType: model.TypePip,
			pkgs: []model.Package{py("Sev_Pkg", "1.0")},
			want: []brief{
				{"Sev_Pkg", "PYSEC-2099-1", "2.0", "fixed", "CRITICAL", "pypa"},
				{"Sev_Pkg", "PYSEC-2099-2", "2.0", "fixed", "LOW", "pypa"},
				{"Sev_Pkg", "PYSEC-2099-3", "", "affected", "UNKNOWN", ""},
				{"Sev_Pkg", "PYSEC-2099-4", "1.5", "fixed", "HIGH", "pypa"},
			},
		},
		{
			name: "pypi second range", pkgType: model.TypePip,
			pkgs: []model.Package{py("sev-pkg", "1.9")},
			want: []brief{
				{"sev-pkg", "PYSEC-2099-1", "2.0", "fixed", "CRITICAL", "pypa"},
				{"sev-pkg", "PYSEC-2099-2", "2.0", "fixed", "LOW", "pypa"},
				{"sev-pkg", "PYSEC-2099-4", "2.1", "fixed", "HIGH", "pypa"},
			},
		},
		{
			// An unparsable version is warned once (four advisories exist),
			// and matches only the verbatim versions entry.
			name: "invalid version warned once", pkgType: model.TypePip,
			pkgs:     []model.Package{py("sev-pkg", "legacy-1"), py("sev-pkg", "???")},
			want:     []brief{{"sev-pkg", "PYSEC-2099-3", "", "affected", "UNKNOWN", ""}},
			warnings: 2,
		},
		{
			name: "last_affected", pkgType: model.TypePoetry,
			pkgs: []model.Package{py("lastpkg", "0.9"), py("lastpkg", "1.2.0"), py("lastpkg", "1.2.1")},
			want: []brief{{"lastpkg", "PYSEC-2099-5", "", "affected", "UNKNOWN", ""}},
		},
		{
			// stdlib at the toolchain version; the (devel) main module is
			// not matched although every version of it is affected; a
			// released main module is. GO-2099-0002 has two CVE aliases, so
			// it keeps its own id.
			name: "go binary", pkgType: model.TypeGoBinary,
			pkgs: []model.Package{
				{Name: "stdlib", Version: "v1.22.0", Ecosystem: "Go"},
				{Name: "stdlib", Version: "v1.26.8", Ecosystem: "Go"},
				{Name: "stdlib", Version: "v1.21.4", Ecosystem: "Go"},
				{Name: "example.com/app", Version: "(devel)", Ecosystem: "Go"},
				{Name: "example.com/app", Version: "v1.0.0"}, // Ecosystem from the type
			},
			want: []brief{
				{"example.com/app", "GO-2099-0002", "", "affected", "UNKNOWN", ""},
				{"stdlib", "CVE-2099-4000", "1.21.5", "fixed", "UNKNOWN", ""},
				{"stdlib", "CVE-2099-4000", "1.22.1", "fixed", "UNKNOWN", ""},
			},
		},
		{
			// Ubuntu 22.04 is published as "Ubuntu:22.04:LTS"; the record
			// id embeds its CVE; the Ubuntu priority is the severity.
			name: "ubuntu", os: &model.OS{Family: model.FamilyUbuntu, Name: "22.04"}, pkgType: model.TypeDpkg,
			pkgs: []model.Package{
				debPkg("libcurl4", "curl", "7.81.0", "1ubuntu1.15", "7.81.0-1ubuntu1.15"),
				debPkg("libssl3", "openssl", "3.0.2", "0ubuntu1", "3.0.2-0ubuntu1"),
			},
			want: []brief{{"libcurl4", "CVE-2099-5000", "7.81.0-1ubuntu1.16", "fixed", "MEDIUM", "ubuntu"}},
		},
		{
			name: "os not in database", os: &model.OS{Family: model.FamilyUbuntu, Name: "20.04"}, pkgType: model.TypeDpkg,
			pkgs:     []model.Package{debPkg("libssl3", "openssl", "3.0.2", "0ubuntu1", "3.0.2-0ubuntu1")},
			warnings: 1,
		},
		{
			// RPM: looked up by name and by source name, at epoch:version-release.
			name: "rocky", os: &model.OS{Family: model.FamilyRocky, Name: "9.3"}, pkgType: model.TypeRPM,
			pkgs: []model.Package{
				{Name: "openssl", Epoch: 1, Version: "3.0.7", Release: "17.el9", SrcName: "openssl", SrcEpoch: 1, SrcVersion: "3.0.7", SrcRelease: "17.el9"},
				{Name: "openssl-libs", Epoch: 1, Version: "3.0.7", Release: "17.el9", SrcName: "openssl", SrcEpoch: 1, SrcVersion: "3.0.7", SrcRelease: "17.el9"},
				{Name: "openssl-fips", Epoch: 1, Version: "3.0.7", Release: "18.el9", SrcName: "openssl", SrcEpoch: 1, SrcVersion: "3.0.7", SrcRelease: "18.el9"},
			},
			want: []brief{
				{"openssl", "CVE-2099-6000", "1:3.0.7-18.el9", "fixed", "HIGH", "rocky"},
				{"openssl-libs", "CVE-2099-6000", "1:3.0.7-18.el9", "fixed", "HIGH", "rocky"},
			},
		},
		{
			// A range that does not parse is the advisory's fault: one
			// warning per advisory and package, never a match.
			name: "invalid advisory range", pkgType: model.TypeNpm,
			pkgs: []model.Package{
				{ID: "badrange@1.0.0", Name: "badrange", Version: "1.0.0", Ecosystem: "npm"},
				{ID: "badrange@2.0.0", Name: "badrange", Version: "2.0.0", Ecosystem: "npm"},
			},
			warnings: 1,
		},
		{
			name: "os packages without os", pkgType: model.TypeDpkg,
			pkgs:     []model.Package{debPkg("libssl3", "openssl", "3.0.11", "1~deb12u2", "3.0.11-1~deb12u2"), debPkg("zlib1g", "zlib", "1.2.13", "1", "1:1.2.13.dfsg-1")},
			warnings: 1,
		},
		{
			name: "unsupported ecosystem", pkgType: model.TypeConda,
			pkgs:     []model.Package{{Name: "a", Version: "1", Ecosystem: "conda"}, {Name: "b", Version: "1", Ecosystem: "conda"}},
			warnings: 1,
		},
		{
			// Pods are looked up in SwiftURL by repository: Alamofire from
			// the table, the subspec AppCenter/Core by its root pod, Fork
			// by the git repository Podfile.lock names (SrcName), Local by
			// neither (not matched, no warning). Alamofire 5.9.0 is fixed.
			name: "cocoapods by repository", pkgType: model.TypeCocoaPods,
			pkgs: []model.Package{
				{ID: "Alamofire@5.8.1", Name: "Alamofire", Version: "5.8.1", Ecosystem: "CocoaPods"},
				{ID: "Alamofire@5.9.0", Name: "Alamofire", Version: "5.9.0", Ecosystem: "CocoaPods", FilePath: "b"},
				{ID: "AppCenter/Core@4.2.0", Name: "AppCenter/Core", Version: "4.2.0", Ecosystem: "CocoaPods"},
				{ID: "Fork@1.0.0", Name: "Fork", Version: "1.0.0", Ecosystem: "CocoaPods", SrcName: "github.com/Alamofire/Alamofire", SrcVersion: "1.0.0"},
				{ID: "Local@1.0.0", Name: "Local", Version: "1.0.0", Ecosystem: "CocoaPods"},
			},
			want: []brief{
				{"Alamofire", "GHSA-swft-url0-0001", "5.9.0", "fixed", "HIGH", "ghsa"},
				{"AppCenter/Core", "GHSA-swft-url0-0002", "4.3.0", "fixed", "LOW", "ghsa"},
				{"Fork", "GHSA-swft-url0-0001", "5.9.0", "fixed", "HIGH", "ghsa"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, warns, err := m.Match(context.Background(), tt.os, tt.pkgType, tt.pkgs)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, briefs(got)); d != "" {
				t.Errorf("findings (-want +got):\n%s", d)
			}
			if len(warns) != tt.warnings {
				t.Errorf("got %d warnings, want %d: %v", len(warns), tt.warnings, warns)
			}
		})
	}
}

func TestMatchInvalidVersionWarning(t *testing.T) {
	m := New(openDB(t), Options{})
	_, warns, err := m.Match(context.Background(), nil, model.TypePip,
		[]model.Package{{ID: "sev-pkg@???", Name: "sev-pkg", Version: "???", Ecosystem: "PyPI"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) != 1 || !errors.Is(warns[0].Err, version.ErrInvalidVersion) || warns[0].PkgID != "sev-pkg@???" {
		t.Fatalf("warnings = %v", warns)
	}
	if s := warns[0].String(); !strings.HasPrefix(s, "sev-pkg@??? (PyPI): ") {
		t.Errorf("String() = %q", s)
	}
}

func TestMatchFields(t *testing.T) {
	m := New(openDB(t), Options{})
	pkg := model.Package{ID: "lodash@4.17.15", Name: "lodash", Version: "4.17.15", Ecosystem: "npm",
		Identifier: model.Identifier{PURL: "pkg:npm/lodash@4.17.15", UID: "u1"},
		Layer:      model.Layer{DiffID: "sha256:abc"}, FilePath: "app/node_modules/lodash/package.json"}
	got, _, err := m.Match(context.Background(), nil, model.TypeNodePkg, []model.Package{pkg})
	if err != nil {
		t.Fatal(err)
	}
	pub := time.Date(2099, 2, 1, 0, 0, 0, 0, time.UTC)
	mod := time.Date(2099, 3, 1, 0, 0, 0, 0, time.UTC)
	want := []model.Vulnerability{{
		VulnerabilityID:  "CVE-2099-3000",
		VendorIDs:        []string{"GHSA-aaaa-bbbb-cccc", "OSV-2099-1"},
		PkgID:            "lodash@4.17.15",
		PkgName:          "lodash",
		PkgPath:          "app/node_modules/lodash/package.json",
		PkgIdentifier:    pkg.Identifier,
		InstalledVersion: "4.17.15",
		FixedVersion:     "4.17.19, 4.17.20",
		Status:           "fixed",
		Layer:            pkg.Layer,
		SeveritySource:   "ghsa",
		PrimaryURL:       "https://avd.aquasec.com/nvd/cve-2099-3000",
		DataSource: &model.DataSource{ID: "ghsa", Name: "GitHub Security Advisory npm",
			URL: "https://github.com/advisories?query=type%3Areviewed+ecosystem%3Anpm"},
		Title:            "Prototype pollution in lodash",
		Description:      "GHSA details.",
		Severity:         "MEDIUM",
		CweIDs:           []string{"CWE-1321"},
		VendorSeverity:   map[string]int{"ghsa": 2},
		CVSS:             map[string]model.CVSS{"ghsa": {V3Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", V3Score: 9.8}},
		References:       []string{"https://example.com/ghsa", "https://example.com/osv"},
		PublishedDate:    &pub,
		LastModifiedDate: &mod,
	}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("finding (-want +got):\n%s", d)
	}

	// The Debian finding's data source, links and vendor ids.
	got, _, err = m.Match(context.Background(), &model.OS{Family: "debian", Name: "12.15"}, model.TypeDpkg,
		[]model.Package{debPkg("libssl3", "openssl", "3.0.11", "1~deb12u2", "3.0.11-1~deb12u2")})
	if err != nil || len(got) != 2 {
		t.Fatalf("debian: %v, %v", got, err)
	}
	v := got[0]
	if v.VulnerabilityID != "CVE-2099-1000" || !cmp.Equal(v.VendorIDs, []string{"DSA-9999-1"}) ||
		v.DataSource.ID != "debian" || v.Title != "openssl security update" || v.PkgPath != "" ||
		v.InstalledVersion != "3.0.11-1~deb12u2" || v.PublishedDate == nil {
		t.Errorf("debian finding: %+v", v)
	}
	if v := got[1]; v.PrimaryURL != "https://avd.aquasec.com/nvd/cve-2099-1001" ||
		!cmp.Equal(v.VendorIDs, []string{"DEBIAN-CVE-2099-1001"}) ||
		!cmp.Equal(v.VendorSeverity, map[string]int{"debian": 1}) {
		t.Errorf("debian finding 2: %+v", v)
	}

	// The findings of two binaries of one source share nothing.
	got, _, err = m.Match(context.Background(), &model.OS{Family: "debian", Name: "12.15"}, model.TypeDpkg,
		[]model.Package{
			debPkg("libssl3", "openssl", "3.0.11", "1~deb12u2", "3.0.11-1~deb12u2"),
			debPkg("openssl", "openssl", "3.0.11", "1~deb12u2", "3.0.11-1~deb12u2"),
		})
	if err != nil || len(got) != 4 {
		t.Fatalf("debian: %v, %v", got, err)
	}
	got[0].VendorIDs[0] = "changed"
	got[1].VendorSeverity["debian"] = 4
	got[0].DataSource.Name = "changed"
	if got[2].VendorIDs[0] == "changed" || got[3].VendorSeverity["debian"] == 4 || got[2].DataSource.Name == "changed" {
		t.Error("findings of two binaries share data")
	}

	// Go: the data source, no modified date for the year-1 placeholder.
	got, _, err = m.Match(context.Background(), nil, model.TypeGoBinary,
		[]model.Package{{Name: "stdlib", Version: "v1.22.0", Ecosystem: "Go", FilePath: "app/bin/x"}})
	if err != nil || len(got) != 1 {
		t.Fatalf("go: %v, %v", got, err)
	}
	if v := got[0]; v.DataSource.ID != "go-vulndb" || v.DataSource.URL != "https://pkg.go.dev/vuln/" ||
		v.LastModifiedDate != nil || !cmp.Equal(v.VendorIDs, []string{"GHSA-gggg-hhhh-iiii", "GO-2099-0001"}) ||
		v.PkgID != "stdlib@v1.22.0" || v.PkgPath != "" {
		t.Errorf("go finding: %+v", v)
	}
}

func TestMatchSeveritySourceOption(t *testing.T) {
	m := New(openDB(t), Options{SeveritySources: []string{"nvd", "ghsa"}})
	got, _, err := m.Match(context.Background(), nil, model.TypeNpm,
		[]model.Package{{Name: "lodash", Version: "4.17.15", Ecosystem: "npm"}})
	if err != nil || len(got) != 1 || got[0].Severity != "MEDIUM" || got[0].SeveritySource != "ghsa" {
		t.Fatalf("got %+v, %v", got, err)
	}
}

// TestMatchWithdrawnInStore checks the matcher's own withdrawn check, for a
// database written by another tool that kept a withdrawn record.
func TestMatchWithdrawnInStore(t *testing.T) {
	c := store.NewContents()
	rng := []osv.Range{{Type: osv.RangeSemver, Events: []osv.Event{{Introduced: "0"}}}}
	for _, id := range []string{"GHSA-live-0000-0000", "GHSA-gone-0000-0000"} {
		v := &osv.Vulnerability{ID: id, Modified: time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)}
		if strings.Contains(id, "gone") {
			v.Withdrawn = v.Modified
		}
		c.Vulns[id] = v
		k := store.PackageKey{Ecosystem: "npm", Name: "left-pad"}
		c.Packages[k] = append(c.Packages[k], store.Entry{ID: id, Source: "test",
			Affected: osv.Affected{Package: osv.Package{Ecosystem: "npm", Name: "left-pad"}, Ranges: rng}})
	}
	p := filepath.Join(t.TempDir(), "w.db")
	if err := store.Write(context.Background(), p, c); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, _, err := New(s, Options{}).Match(context.Background(), nil, model.TypeNpm,
		[]model.Package{{Name: "left-pad", Version: "1.0.0", Ecosystem: "npm"}})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]brief{{"left-pad", "GHSA-live-0000-0000", "", "affected", "UNKNOWN", ""}}, briefs(got)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestMatchCancelled(t *testing.T) {
	m := New(openDB(t), Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := m.Match(ctx, nil, model.TypeNpm, []model.Package{{Name: "lodash", Version: "1.0.0", Ecosystem: "npm"}}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
}

func TestScores(t *testing.T) {
	tests := []struct {
		typ, vec string
		score    float64
		rating   string
	}{
		{"CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "CRITICAL"},
		{"CVSS_V3", "CVSS:3.0/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H", 5.5, "MEDIUM"},
		{"CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0, "UNKNOWN"},
		{"CVSS_V2", "AV:N/AC:L/Au:N/C:P/I:P/A:P", 7.5, "HIGH"},
		{"CVSS_V2", "AV:N/AC:M/Au:N/C:N/I:P/A:N", 4.3, "MEDIUM"},
		{"CVSS_V4", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 9.3, "CRITICAL"},
		{"CVSS_V4", "CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N", 2.3, "LOW"},
	}
	for _, tt := range tests {
		var s sourceScores
		s.add(osv.Severity{Type: tt.typ, Score: tt.vec})
		c := s.cvss
		score := c.V2Score + c.V3Score + c.V40Score
		if score != tt.score || rating(c) != tt.rating {
			t.Errorf("%s: score %v rating %s, want %v %s", tt.vec, score, rating(c), tt.score, tt.rating)
		}
	}
	for _, bad := range []string{"", "CVSS:3.1/AV:X", "CVSS:9.9/AV:N", "garbage"} {
		if _, ok := ScoreV3(bad); ok {
			t.Errorf("ScoreV3(%q) accepted", bad)
		}
		if _, ok := ScoreV4(bad); ok {
			t.Errorf("ScoreV4(%q) accepted", bad)
		}
		if _, ok := ScoreV2(bad); ok {
			t.Errorf("ScoreV2(%q) accepted", bad)
		}
	}
}

func TestEOSL(t *testing.T) {
	now := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		family, name string
		want         bool
	}{
		{"alpine", "3.10.4", true},
		{"alpine", "3.11.5", true},
		{"alpine", "3.22.1", false},
		{"alpine", "3.21.3", true}, // ended 2026-11-01
		{"alpine", "edge", false},
		{"alpine", "3.99.0", false},
		{"debian", "12.15", false},
		{"debian", "10.13", true},
		{"debian", "11.11", true},
		{"debian", "3.1", true},
		{"debian", "bookworm/sid", false},
		{"ubuntu", "22.04", false},
		{"ubuntu", "23.10", true},
		{"ubuntu", "16.04", true},
		{"centos", "7.9.2009", true},
		{"redhat", "9.3", false},
		{"amazon", "2 (Karoo)", true},
		{"amazon", "2023.6.20241010", false},
		{"fedora", "40", false},
		{"", "", false},
	}
	for _, tt := range tests {
		if got := EOSL(&model.OS{Family: tt.family, Name: tt.name}, now); got != tt.want {
			t.Errorf("EOSL(%s %s) = %v, want %v", tt.family, tt.name, got, tt.want)
		}
	}
	if EOSL(nil, now) {
		t.Error("EOSL(nil) = true")
	}
	// The day after the end date, not the day itself.
	if EOSL(&model.OS{Family: "debian", Name: "11.1"}, time.Date(2026, 8, 30, 0, 0, 0, 0, time.UTC)) {
		t.Error("debian 11 EOSL before its end date")
	}
}

// TestCandidates checks that cutting long versions lists never drops an
// entry that equals the installed version under the ecosystem's comparator.
func TestCandidates(t *testing.T) {
	filler := []string{"9.9.1", "9.9.2", "9.9.3", "9.9.4", "9.9.5", "9.9.6", "9.9.7", "9.9.8", "9.9.9"}
	tests := []struct{ eco, installed, listed string }{
		{"PyPI", "1.0.0", "1.0"},
		{"PyPI", "1.0.post1", "1.0-1"},
		{"PyPI", "1.0a1", "1.0.0alpha1"},
		{"PyPI", "0!2.1", "2.1"},
		{"PyPI", "1.0+local.7", "1.0+local.7"},
		{"Go", "v1.2.3+incompatible", "1.2.3"},
		{"npm", "1.0.0+build.5", "1.0.0"},
		{"Maven", "1.0-ga", "1.0"},
		{"Debian:12", "0:1.0-1", "1.0-1"},
		{"Alpine:v3.19", "1.10-r0", "1.10-r0"},
		{"RubyGems", "1.0.0.a", "1.0.0.a"},
	}
	for _, tt := range tests {
		c, err := version.ForEcosystem(tt.eco)
		if err != nil {
			t.Fatal(err)
		}
		if r, err := c.Compare(tt.installed, tt.listed); err != nil || r != 0 {
			t.Fatalf("%s: %s vs %s: %d, %v (the case must be an equality)", tt.eco, tt.installed, tt.listed, r, err)
		}
		a := osv.Affected{Versions: append(slices.Clone(filler), tt.listed)}
		cut := candidates(a, tt.installed, equalityKey(tt.installed))
		if len(cut.Versions) >= len(a.Versions) {
			t.Errorf("%s %s: nothing cut: %v", tt.eco, tt.installed, cut.Versions)
		}
		if ok, err := version.Affected(c, tt.installed, cut); !ok || err != nil {
			t.Errorf("%s %s listed as %s: affected = %v, %v", tt.eco, tt.installed, tt.listed, ok, err)
		}
	}
}
