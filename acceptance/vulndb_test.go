package acceptance

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/trawlsec/trawl/internal/vulndb/build"
	"github.com/trawlsec/trawl/internal/vulndb/store"
	"github.com/trawlsec/trawl/internal/vulndb/update"
)

// vulndbOSVFile is the part of an OSV record the acceptance test reads itself,
// independently of trawl's reader.
type vulndbOSVFile struct {
	ID        string `json:"id" yaml:"id"`
	Summary   string `json:"summary" yaml:"summary"`
	Withdrawn string `json:"withdrawn" yaml:"withdrawn"`
	Affected  []struct {
		Package struct {
			Ecosystem string `json:"ecosystem" yaml:"ecosystem"`
			Name      string `json:"name" yaml:"name"`
		} `json:"package" yaml:"package"`
	} `json:"affected" yaml:"affected"`
}

type vulndbOSVExpect struct {
	files, withdrawn int
	records          []vulndbOSVFile
}

// vulndbCountOSV walks dir itself: every non-hidden file with the extension is
// one record.
func vulndbCountOSV(t testing.TB, dir, ext string) vulndbOSVExpect {
	t.Helper()
	var e vulndbOSVExpect
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") || d.IsDir() || filepath.Ext(p) != ext {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var r vulndbOSVFile
		if ext == ".json" {
			err = json.Unmarshal(data, &r)
		} else {
			err = yaml.Unmarshal(data, &r)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		e.files++
		if r.Withdrawn != "" {
			e.withdrawn++
		} else {
			e.records = append(e.records, r)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

type vulndbSecdbExpect struct {
	entries, notAffected int
	// cves maps "Alpine:vX/pkg" to the CVE ids fixed (version != "0").
	cves map[string][]string
}

var vulndbCVEToken = regexp.MustCompile(`^CVE-\d{4}-\d{4,}$`)

func vulndbCountSecdb(t testing.TB, dir string) vulndbSecdbExpect {
	t.Helper()
	e := vulndbSecdbExpect{cves: map[string][]string{}}
	files, err := filepath.Glob(filepath.Join(dir, "*", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no secdb files in %s: %v", dir, err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			DistroVersion string `yaml:"distroversion"`
			Packages      []struct {
				Pkg struct {
					Name     string              `yaml:"name"`
					SecFixes map[string][]string `yaml:"secfixes"`
				} `yaml:"pkg"`
			} `yaml:"packages"`
		}
		if err := yaml.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, p := range doc.Packages {
			for ver, list := range p.Pkg.SecFixes {
				e.entries += len(list)
				if ver == "0" {
					e.notAffected += len(list)
					continue
				}
				for _, entry := range list {
					fields := strings.Fields(entry)
					if len(fields) > 0 && vulndbCVEToken.MatchString(fields[0]) {
						k := "Alpine:" + doc.DistroVersion + "/" + p.Pkg.Name
						e.cves[k] = append(e.cves[k], fields[0])
					}
				}
			}
		}
	}
	return e
}

func vulndbBuildCorpus(t testing.TB, adv string) (*build.Report, string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "trawl.db")
	var srcs []string
	for _, s := range []string{"go", "pypi", "rustsec", "alpine-secdb"} {
		srcs = append(srcs, filepath.Join(adv, s))
	}
	rep, err := build.Build(context.Background(), srcs, out, nil)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return rep, out
}

func TestVulnDBBuildCorpus(t *testing.T) {
	adv := corpus(t, "advisories")
	rep, out := vulndbBuildCorpus(t, adv)
	t.Logf("built %s: %d bytes in %v; %d packages, %d vulnerabilities", out, rep.Size, rep.Duration,
		rep.Metadata.Packages, rep.Metadata.Vulnerabilities)

	s, err := store.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	meta := s.Metadata()
	if meta.SchemaVersion != store.SchemaVersion || len(meta.Sources) != 4 {
		t.Fatalf("metadata: schema %d, %d sources", meta.SchemaVersion, len(meta.Sources))
	}
	bySource := map[string]store.SourceStats{}
	for _, st := range meta.Sources {
		bySource[st.Name] = st
		if st.Read != st.Kept+st.Rejected+st.Withdrawn+st.Duplicate+st.NotAffected {
			t.Errorf("%s: counts do not add up: %+v", st.Name, st)
		}
		for _, r := range st.Rejections {
			if r.File == "" || r.Reason == "" {
				t.Errorf("%s: rejection without file or reason: %+v", st.Name, r)
			}
		}
	}

	for _, c := range []struct{ name, ext, eco string }{
		{"go", ".json", "Go"}, {"rustsec", ".json", "crates.io"}, {"pypi", ".yaml", "PyPI"},
	} {
		e := vulndbCountOSV(t, filepath.Join(adv, c.name), c.ext)
		st := bySource[c.name]
		if st.Format != "osv" || st.Read != e.files || st.Rejected != 0 || st.Withdrawn != e.withdrawn || st.Kept != e.files-e.withdrawn {
			t.Errorf("%s: got read=%d kept=%d rejected=%d withdrawn=%d format=%s (%v); want read=%d withdrawn=%d kept=%d",
				c.name, st.Read, st.Kept, st.Rejected, st.Withdrawn, st.Format, st.Rejections, e.files, e.withdrawn, e.files-e.withdrawn)
		}
		// Every kept record is found under every package it names, and its
		// details are stored.
		for _, r := range e.records {
			for _, a := range r.Affected {
				if a.Package.Ecosystem != c.eco {
					t.Errorf("%s: %s: ecosystem %q", c.name, r.ID, a.Package.Ecosystem)
					continue
				}
				es, err := s.Affected(a.Package.Ecosystem, a.Package.Name)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.ContainsFunc(es, func(x store.Entry) bool { return x.ID == r.ID }) {
					t.Errorf("%s: %s not found under %s/%s", c.name, r.ID, a.Package.Ecosystem, a.Package.Name)
				}
			}
			d, err := s.Details(r.ID)
			if err != nil || d == nil {
				t.Errorf("%s: details of %s: %v", c.name, r.ID, err)
			} else if d.Summary != r.Summary && r.Summary != "" {
				t.Errorf("%s: details of %s: summary %q, want %q", c.name, r.ID, d.Summary, r.Summary)
			}
		}
	}

	se := vulndbCountSecdb(t, filepath.Join(adv, "alpine-secdb"))
	st := bySource["alpine-secdb"]
	if st.Format != "secdb" || st.Read != se.entries || st.NotAffected != se.notAffected {
		t.Errorf("alpine-secdb: read=%d not_affected=%d format=%s; want read=%d not_affected=%d",
			st.Read, st.NotAffected, st.Format, se.entries, se.notAffected)
	}
	n := 0
	for key, cves := range se.cves {
		eco, name, _ := strings.Cut(key, "/")
		es, err := s.Affected(eco, name)
		if err != nil {
			t.Fatal(err)
		}
		for _, cve := range cves {
			n++
			if !slices.ContainsFunc(es, func(x store.Entry) bool { return x.ID == cve }) {
				t.Errorf("alpine-secdb: %s not found under %s", cve, key)
			}
		}
	}
	if n == 0 || st.Kept == 0 || st.Kept > n {
		t.Errorf("alpine-secdb: kept %d records for %d CVE entries", st.Kept, n)
	}
	if got, ok := s.EcosystemForOS("alpine", "3.10.4"); !ok || got != "Alpine:v3.10" {
		t.Errorf("EcosystemForOS(alpine, 3.10.4) = %q, %v", got, ok)
	}
}

// BenchmarkVulnDBBuild measures a full build from the corpus advisories.
func BenchmarkVulnDBBuild(b *testing.B) {
	adv := corpus(b, "advisories")
	var size int64
	for b.Loop() {
		rep, _ := vulndbBuildCorpus(b, adv)
		size = rep.Size
	}
	b.ReportMetric(float64(size)/(1<<20), "MiB")
}

// BenchmarkVulnDBLookup measures Affected for 10k package names drawn at
// random (fixed seed) from the database's own keys.
func BenchmarkVulnDBLookup(b *testing.B) {
	adv := corpus(b, "advisories")
	_, out := vulndbBuildCorpus(b, adv)
	s, err := store.Open(out)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var keys [][2]string
	if err := s.Packages(func(eco, name string) error {
		keys = append(keys, [2]string{eco, name})
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	names := make([][2]string, 10000)
	for i := range names {
		names[i] = keys[r.IntN(len(keys))]
	}
	b.ResetTimer()
	start := time.Now()
	lookups := 0
	for b.Loop() {
		for _, k := range names {
			es, err := s.Affected(k[0], k[1])
			if err != nil || len(es) == 0 {
				b.Fatalf("%v: %d entries, %v", k, len(es), err)
			}
			lookups++
		}
	}
	b.ReportMetric(float64(lookups)/time.Since(start).Seconds(), "lookups/s")
}

// vulndbZipDir zips every regular non-hidden file under dir, with paths relative
// to dir, as an OSV bucket's all.zip would hold them.
func vulndbZipDir(t testing.TB, dir string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		w, err := zw.Create(filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// vulndbDump returns every package's entries (without the source label) and
// every vulnerability's details, as JSON, keyed by package or id.
func vulndbDump(t testing.TB, path string) map[string]string {
	t.Helper()
	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	out := map[string]string{}
	err = s.Packages(func(eco, name string) error {
		es, err := s.Affected(eco, name)
		if err != nil {
			return err
		}
		for i := range es {
			es[i].Source = ""
		}
		raw, err := json.Marshal(es)
		out["pkg "+eco+"/"+name] = string(raw)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Vulnerabilities(func(id string) error {
		d, err := s.Details(id)
		if err != nil {
			return err
		}
		raw, err := json.Marshal(d)
		out["vuln "+id] = string(raw)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestVulnDBUpdateMatchesBuild serves the corpus advisories zipped per
// ecosystem from a loopback mirror: the updated database holds the same
// contents as one built from the folders, and a second update downloads
// nothing.
func TestVulnDBUpdateMatchesBuild(t *testing.T) {
	adv := corpus(t, "advisories")
	_, built := vulndbBuildCorpus(t, adv)

	archives := map[string][]byte{}
	dirs := map[string]string{"Go": "go", "PyPI": "pypi", "crates.io": "rustsec", "Alpine": "alpine-secdb"}
	for eco, dir := range dirs {
		archives["/"+eco+"/all.zip"] = vulndbZipDir(t, filepath.Join(adv, dir))
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, ok := archives[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		sum := sha256.Sum256(data)
		w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:])+`"`)
		http.ServeContent(w, r, "all.zip", time.Date(2026, 8, 21, 0, 0, 0, 0, time.UTC), bytes.NewReader(data))
	}))
	defer srv.Close()

	db := filepath.Join(t.TempDir(), "trawl.db")
	o := update.Options{BaseURL: srv.URL, Ecosystems: []string{"Go", "PyPI", "crates.io", "Alpine"}, DBPath: db, HTTPClient: srv.Client()}
	res, err := update.Update(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Rebuilt || len(res.Downloaded) != 4 {
		t.Fatalf("first update: %+v", res)
	}
	want, got := vulndbDump(t, built), vulndbDump(t, db)
	if len(want) == 0 || !maps.Equal(want, got) {
		n := 0
		for k, v := range want {
			if got[k] != v && n < 5 {
				t.Errorf("%s differs:\nbuild:  %.300s\nupdate: %.300s", k, v, got[k])
				n++
			}
		}
		t.Fatalf("update and build differ: %d vs %d keys", len(want), len(got))
	}
	// Per-source counts agree too.
	sb, _ := store.Open(built)
	su, _ := store.Open(db)
	counts := map[string]store.SourceStats{}
	for _, st := range su.Metadata().Sources {
		counts[st.Name] = st
	}
	for eco, dir := range dirs {
		var b store.SourceStats
		for _, st := range sb.Metadata().Sources {
			if st.Name == dir {
				b = st
			}
		}
		u := counts[eco]
		if b.Read == 0 || b.Read != u.Read || b.Kept != u.Kept || b.Rejected != u.Rejected || b.Withdrawn != u.Withdrawn {
			t.Errorf("%s: build %+v, update %+v", eco, b, u)
		}
	}
	sb.Close()
	su.Close()

	res, err = update.Update(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if res.Rebuilt || len(res.Downloaded) != 0 || res.Bytes != 0 || len(res.NotModified) != 4 {
		t.Errorf("second update: %+v", res)
	}
}

// BenchmarkVulnDBLookupLargest measures Affected for the package with the
// most entries (the worst case of the scan path).
func BenchmarkVulnDBLookupLargest(b *testing.B) {
	adv := corpus(b, "advisories")
	_, out := vulndbBuildCorpus(b, adv)
	s, err := store.Open(out)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var best [2]string
	most := 0
	if err := s.Packages(func(eco, name string) error {
		es, err := s.Affected(eco, name)
		if len(es) > most {
			most, best = len(es), [2]string{eco, name}
		}
		return err
	}); err != nil {
		b.Fatal(err)
	}
	b.Logf("largest package: %s/%s with %d entries", best[0], best[1], most)
	b.ResetTimer()
	for b.Loop() {
		if es, err := s.Affected(best[0], best[1]); err != nil || len(es) != most {
			b.Fatal(err)
		}
	}
}
