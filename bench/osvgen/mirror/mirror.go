// Package mirror writes a synthetic OSV mirror shaped like the public OSV
// feed, for benchmarking the database build (bench/osvgen is its command).
//
// Write writes DIR/<archive>/all.zip in the layout of the OSV archive bucket
// that `trawl db update` reads (see internal/vulndb/update): one archive per
// language ecosystem, and one per distribution holding every release
// ("Debian" holds Debian:11 and Debian:12 records). 17 ecosystems in all.
// Output is a function of the record count and the seed only.
//
// Records follow the shapes of the real ones (golang/vulndb, PyPA, RustSec,
// GHSA, Debian/Ubuntu/Alpine OSV exports): details of 500–3000 characters,
// references, CVSS vectors, CVE/GHSA aliases, several ranges with SEMVER or
// ECOSYSTEM events, versions lists of tens to hundreds of entries for
// ECOSYSTEM ranges, Go ecosystem_specific.imports[].symbols, and package
// names drawn from a Zipf distribution so that a few packages (the Linux
// kernel, say) collect thousands of entries, as they do in the real feed.
package mirror

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ecosystem is one record ecosystem of the mirror.
type ecosystem struct {
	name    string  // OSV ecosystem string
	archive string  // folder of the all.zip holding it
	share   float64 // fraction of the records
	rng     string  // range type
	prefix  string  // id prefix
	pkgs    int     // size of the package name pool
	purl    string  // purl type ("" for none)
	distro  bool
}

// ecosystems lists the 17 ecosystems with shares close to the real feed's
// (distributions dominate: the per-CVE Debian and Ubuntu records).
var ecosystems = []ecosystem{
	{"Debian:11", "Debian", 0.17, "ECOSYSTEM", "DEBIAN-CVE-", 4000, "deb", true},
	{"Debian:12", "Debian", 0.17, "ECOSYSTEM", "DEBIAN-CVE-", 4000, "deb", true},
	{"Ubuntu:22.04", "Ubuntu", 0.14, "ECOSYSTEM", "UBUNTU-CVE-", 5000, "deb", true},
	{"Ubuntu:24.04", "Ubuntu", 0.12, "ECOSYSTEM", "UBUNTU-CVE-", 5000, "deb", true},
	{"Alpine:v3.19", "Alpine", 0.05, "ECOSYSTEM", "ALPINE-CVE-", 1500, "apk", true},
	{"Alpine:v3.20", "Alpine", 0.05, "ECOSYSTEM", "ALPINE-CVE-", 1500, "apk", true},
	{"Wolfi", "Wolfi", 0.04, "ECOSYSTEM", "CGA-", 3000, "apk", true},
	{"npm", "npm", 0.07, "SEMVER", "GHSA-", 20000, "npm", false},
	{"PyPI", "PyPI", 0.05, "ECOSYSTEM", "PYSEC-", 8000, "pypi", false},
	{"Maven", "Maven", 0.04, "ECOSYSTEM", "GHSA-", 6000, "maven", false},
	{"Go", "Go", 0.025, "SEMVER", "GO-", 3000, "golang", false},
	{"Packagist", "Packagist", 0.015, "ECOSYSTEM", "GHSA-", 2500, "composer", false},
	{"crates.io", "crates.io", 0.01, "SEMVER", "RUSTSEC-", 1500, "cargo", false},
	{"RubyGems", "RubyGems", 0.01, "ECOSYSTEM", "GHSA-", 1500, "gem", false},
	{"NuGet", "NuGet", 0.01, "ECOSYSTEM", "GHSA-", 1500, "nuget", false},
	{"Hex", "Hex", 0.003, "ECOSYSTEM", "GHSA-", 300, "hex", false},
	{"Pub", "Pub", 0.002, "SEMVER", "GHSA-", 200, "pub", false},
}

// Write writes a mirror of about records records (the shares of the
// ecosystems are rounded, at least one each) under out, from seed.
func Write(out string, records int, seed uint64) error {
	total := 0.0
	for _, e := range ecosystems {
		total += e.share
	}
	// Records of one archive go to one zip; distribution releases of the
	// same archive share ids (one DEBIAN-CVE record per CVE with an
	// affected entry per release), as the real exports do.
	type job struct {
		archive string
		ecos    []int
		n       int
	}
	var jobs []*job
	byArchive := map[string]*job{}
	for i, e := range ecosystems {
		j := byArchive[e.archive]
		if j == nil {
			j = &job{archive: e.archive}
			byArchive[e.archive] = j
			jobs = append(jobs, j)
		}
		j.ecos = append(j.ecos, i)
		j.n += max(1, int(float64(records)*e.share/total))
	}
	var wg sync.WaitGroup
	errs := make([]error, len(jobs))
	sem := make(chan struct{}, 2)
	for ji, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			errs[ji] = writeArchive(filepath.Join(out, j.archive), j.ecos, j.n, seed)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// writeArchive writes n records of the ecosystems ecos to dir/all.zip.
// A distribution archive holds one record per CVE with an affected entry
// for each release it concerns (most concern every release), as the real
// exports do.
func writeArchive(dir string, ecos []int, n int, seed uint64) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, "all.zip"))
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	g := &gen{r: rand.New(rand.NewPCG(seed, uint64(ecos[0])+1))}
	g.zipf = map[int]*rand.Zipf{}
	for _, ei := range ecos {
		g.zipf[ei] = rand.NewZipf(g.r, 1.1, 4, uint64(ecosystems[ei].pkgs-1))
	}
	for k := range n {
		rel := ecos
		if len(ecos) > 1 && g.r.IntN(3) == 0 {
			rel = []int{ecos[g.r.IntN(len(ecos))]}
		}
		v := g.record(k, rel)
		data, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return err
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: v.ID + ".json", Method: zip.Deflate, Modified: time.Unix(1700000000, 0).UTC()})
		if err != nil {
			return err
		}
		if _, err := w.Write(data); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// The record types: a subset of the OSV schema, field order as in the
// real exports.
type (
	event struct {
		Introduced   string `json:"introduced,omitempty"`
		Fixed        string `json:"fixed,omitempty"`
		LastAffected string `json:"last_affected,omitempty"`
	}
	rangeT struct {
		Type   string  `json:"type"`
		Repo   string  `json:"repo,omitempty"`
		Events []event `json:"events"`
	}
	pkg struct {
		Ecosystem string `json:"ecosystem"`
		Name      string `json:"name"`
		PURL      string `json:"purl,omitempty"`
	}
	severity struct {
		Type  string `json:"type"`
		Score string `json:"score"`
	}
	affected struct {
		Package           pkg            `json:"package"`
		Severity          []severity     `json:"severity,omitempty"`
		Ranges            []rangeT       `json:"ranges"`
		Versions          []string       `json:"versions,omitempty"`
		EcosystemSpecific map[string]any `json:"ecosystem_specific,omitempty"`
		DatabaseSpecific  map[string]any `json:"database_specific,omitempty"`
	}
	reference struct {
		Type string `json:"type"`
		URL  string `json:"url"`
	}
	record struct {
		SchemaVersion    string           `json:"schema_version"`
		ID               string           `json:"id"`
		Modified         string           `json:"modified"`
		Published        string           `json:"published"`
		Withdrawn        string           `json:"withdrawn,omitempty"`
		Aliases          []string         `json:"aliases,omitempty"`
		Upstream         []string         `json:"upstream,omitempty"`
		Summary          string           `json:"summary,omitempty"`
		Details          string           `json:"details"`
		Severity         []severity       `json:"severity,omitempty"`
		Affected         []affected       `json:"affected"`
		References       []reference      `json:"references"`
		Credits          []map[string]any `json:"credits,omitempty"`
		DatabaseSpecific map[string]any   `json:"database_specific,omitempty"`
	}
)

type gen struct {
	r    *rand.Rand
	zipf map[int]*rand.Zipf
}

func (g *gen) pick(ss []string) string { return ss[g.r.IntN(len(ss))] }

const b32 = "23456789cfghjmpqrvwx"

func (g *gen) ghsa() string {
	var b strings.Builder
	b.WriteString("GHSA")
	for range 3 {
		b.WriteByte('-')
		for range 4 {
			b.WriteByte(b32[g.r.IntN(len(b32))])
		}
	}
	return b.String()
}

func cve(k int) string {
	return fmt.Sprintf("CVE-%d-%d", 2005+k%21, 1000+k/21)
}

func (g *gen) record(k int, rel []int) *record {
	e := ecosystems[rel[0]]
	year := 2005 + k%21
	var id string
	aliases := []string{}
	switch {
	case e.distro && e.prefix == "CGA-":
		id = fmt.Sprintf("CGA-%s", strings.ReplaceAll(g.ghsa()[5:], "-", ""))
		aliases = append(aliases, cve(k))
	case e.distro:
		id = e.prefix + cve(k)[4:]
		aliases = nil
	case e.prefix == "GHSA-":
		id = g.ghsa()
		aliases = append(aliases, cve(k))
	case e.prefix == "GO-":
		id = fmt.Sprintf("GO-%d-%04d", year, k)
		aliases = append(aliases, cve(k), g.ghsa())
	default:
		id = fmt.Sprintf("%s%d-%d", e.prefix, year, k)
		aliases = append(aliases, cve(k), g.ghsa())
	}
	pub := time.Date(year, time.Month(1+g.r.IntN(12)), 1+g.r.IntN(28), g.r.IntN(24), g.r.IntN(60), 0, 0, time.UTC)
	mod := pub.Add(time.Duration(g.r.IntN(900*24)) * time.Hour)
	v := &record{
		SchemaVersion: "1.6.0",
		ID:            id,
		Modified:      mod.Format(time.RFC3339Nano),
		Published:     pub.Format(time.RFC3339),
		Aliases:       aliases,
		Summary:       g.sentence(6, 14),
		Details:       g.details(500 + g.r.IntN(2500)),
	}
	if e.distro {
		v.Upstream = []string{cve(k)}
		v.Summary = ""
	}
	if g.r.IntN(200) == 0 {
		v.Withdrawn = mod.Add(48 * time.Hour).Format(time.RFC3339)
	}
	if !e.distro || g.r.IntN(2) == 0 {
		v.Severity = []severity{{"CVSS_V3", g.cvss3()}}
		if g.r.IntN(4) == 0 {
			v.Severity = append(v.Severity, severity{"CVSS_V4", g.cvss4()})
		}
	}
	for _, ei := range rel {
		naff := 1
		if !ecosystems[ei].distro && g.r.IntN(5) == 0 {
			naff += 1 + g.r.IntN(3)
		}
		for range naff {
			v.Affected = append(v.Affected, g.affected(ei))
		}
	}
	nref := 2 + g.r.IntN(10)
	for i := range nref {
		t := []string{"ADVISORY", "WEB", "FIX", "REPORT", "PACKAGE", "ARTICLE"}[g.r.IntN(6)]
		if i == 0 {
			t = "ADVISORY"
		}
		v.References = append(v.References, reference{t, g.url()})
	}
	if g.r.IntN(3) == 0 {
		v.Credits = []map[string]any{{"name": g.words(2), "type": "FINDER"}}
	}
	switch {
	case e.prefix == "GHSA-":
		v.DatabaseSpecific = map[string]any{
			"cwe_ids":            []string{fmt.Sprintf("CWE-%d", 20+g.r.IntN(900))},
			"severity":           g.pick([]string{"LOW", "MODERATE", "HIGH", "CRITICAL"}),
			"github_reviewed":    true,
			"github_reviewed_at": mod.Format(time.RFC3339),
			"nvd_published_at":   pub.Format(time.RFC3339),
		}
	case e.prefix == "GO-":
		v.DatabaseSpecific = map[string]any{"url": "https://pkg.go.dev/vuln/" + id, "review_status": "REVIEWED"}
	case e.distro:
		v.DatabaseSpecific = map[string]any{"source": "https://security-tracker.example/" + id + ".json"}
	}
	return v
}

func (g *gen) affected(ei int) affected {
	e := ecosystems[ei]
	name := g.pkgName(ei, int(g.zipf[ei].Uint64()))
	a := affected{Package: pkg{Ecosystem: e.name, Name: name}}
	if e.purl != "" {
		a.Package.PURL = "pkg:" + e.purl + "/" + strings.ReplaceAll(name, ":", "/")
	}
	nr := 1
	if g.r.IntN(3) == 0 {
		nr += 1 + g.r.IntN(2)
	}
	major := g.r.IntN(6)
	var all []string
	for i := range nr {
		intro := "0"
		if i > 0 || g.r.IntN(3) == 0 {
			intro = g.version(e, major+i, g.r.IntN(5))
		}
		r := rangeT{Type: e.rng, Events: []event{{Introduced: intro}}}
		if g.r.IntN(10) == 0 {
			r.Events = append(r.Events, event{LastAffected: g.version(e, major+i, 5+g.r.IntN(10))})
		} else if !(e.distro && g.r.IntN(6) == 0) { // some distro CVEs are unfixed
			r.Events = append(r.Events, event{Fixed: g.version(e, major+i, 5+g.r.IntN(10))})
		}
		if e.rng == "ECOSYSTEM" {
			nv := 5 + g.r.IntN(40)
			if g.r.IntN(10) == 0 {
				nv += 50 + g.r.IntN(200)
			}
			for j := range nv {
				all = append(all, g.versionN(e, major+i, j))
			}
		}
		a.Ranges = append(a.Ranges, r)
	}
	a.Versions = all
	switch {
	case e.name == "Go":
		var imps []any
		for range 1 + g.r.IntN(3) {
			var syms []string
			for range 1 + g.r.IntN(12) {
				syms = append(syms, g.symbol())
			}
			imps = append(imps, map[string]any{"path": name + "/" + g.word(), "symbols": syms})
		}
		a.EcosystemSpecific = map[string]any{"imports": imps}
	case e.name == "crates.io":
		a.EcosystemSpecific = map[string]any{"affects": map[string]any{"arch": []string{}, "os": []string{}, "functions": []string{name + "::" + g.word()}}}
		a.DatabaseSpecific = map[string]any{"categories": []string{"memory-corruption"}, "cvss": nil, "informational": nil}
	case strings.HasPrefix(e.name, "Ubuntu"):
		a.EcosystemSpecific = map[string]any{"binaries": []any{map[string]any{"binary_name": name, "binary_version": g.version(e, major, 3)}}, "availability": "No subscription required"}
		a.DatabaseSpecific = map[string]any{"priority": g.pick([]string{"low", "medium", "high", "negligible"})}
	case e.distro:
		a.EcosystemSpecific = map[string]any{"urgency": g.pick([]string{"not yet assigned", "low", "medium", "high", "unimportant"})}
	case e.name == "PyPI" || e.name == "npm":
		a.DatabaseSpecific = map[string]any{"source": "https://github.com/github/advisory-database/blob/main/advisories/" + g.ghsa() + ".json"}
	}
	return a
}

var syllables = strings.Fields("ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo ga ge gi go ha he hi ka ke ki ko la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo za ze zi zo str tr pl cr ex in on an er")

// pkgName is the n-th name of the ecosystem's pool, shaped per ecosystem.
func (g *gen) pkgName(ei, n int) string {
	e := ecosystems[ei]
	base := pseudoWord(uint64(n)*7919+uint64(ei)*104729, 2+n%3)
	switch e.name {
	case "Go":
		return "github.com/" + pseudoWord(uint64(n), 2) + "/" + base
	case "Maven":
		return "org." + pseudoWord(uint64(n)/3, 2) + ":" + base + "-core"
	case "npm":
		if n%5 == 0 {
			return "@" + pseudoWord(uint64(n)/5, 2) + "/" + base
		}
	case "Packagist":
		return pseudoWord(uint64(n)/2, 2) + "/" + base
	case "PyPI":
		if n%4 == 0 {
			return strings.ToUpper(base[:1]) + base[1:] + "_Utils"
		}
	case "NuGet":
		return strings.ToUpper(base[:1]) + base[1:] + ".Core"
	}
	if e.distro && n == 0 {
		return "linux"
	}
	return base
}

func pseudoWord(x uint64, syl int) string {
	var b strings.Builder
	for range syl {
		x = x*6364136223846793005 + 1442695040888963407
		b.WriteString(syllables[(x>>33)%uint64(len(syllables))])
	}
	return b.String()
}

func (g *gen) version(e ecosystem, major, minor int) string {
	switch {
	case strings.HasPrefix(e.name, "Debian") || strings.HasPrefix(e.name, "Ubuntu"):
		return fmt.Sprintf("%d.%d.%d-%d+deb%du%d", major, minor, g.r.IntN(20), 1+g.r.IntN(5), 10+g.r.IntN(3), g.r.IntN(4))
	case e.distro:
		return fmt.Sprintf("%d.%d.%d-r%d", major, minor, g.r.IntN(20), g.r.IntN(10))
	case e.name == "Go":
		return fmt.Sprintf("%d.%d.%d", major, minor, g.r.IntN(20))
	}
	return fmt.Sprintf("%d.%d.%d", major, minor, g.r.IntN(20))
}

// versionN is the j-th released version of a line, for versions lists.
func (g *gen) versionN(e ecosystem, major, j int) string {
	minor, patch := j/8, j%8
	switch {
	case e.distro:
		return fmt.Sprintf("%d.%d.%d-%d", major, minor, patch, 1+j%3)
	case e.name == "PyPI" && j%7 == 3:
		return fmt.Sprintf("%d.%d.%drc1", major, minor, patch)
	case e.name == "Maven" && j%9 == 4:
		return fmt.Sprintf("%d.%d.%d.Final", major, minor, patch)
	}
	return strconv.Itoa(major) + "." + strconv.Itoa(minor) + "." + strconv.Itoa(patch)
}

// vocabulary: a few hundred technical words and a long tail of pseudo
// words, drawn with a Zipf law so that the text compresses about as well
// as real advisory prose.
var vocabulary = strings.Fields(`the a an of to in and or is was be by for with that this which
when from as on an attacker remote local user may can could allow allows cause denial service
buffer overflow heap stack memory corruption use after free null pointer dereference integer
underflow out bounds read write crafted request response header cookie session token
authentication authorization bypass privilege escalation arbitrary code execution command
injection sql cross site scripting forgery server side template path traversal directory file
upload download archive zip symlink race condition timing side channel certificate validation
tls ssl handshake signature verification key encryption decryption random number generator
parser input validation regular expression exponential backtracking resource exhaustion loop
infinite recursion deserialization untrusted data object prototype pollution function method
library package version versions before after prior fixed affected vulnerable issue vulnerability
patch upgrade update users should recommended workaround configuration default option setting
via through specially crafted malicious payload leads leading results information disclosure
sensitive exposure log logging error message handling exception panic crash application process
kernel driver network socket packet protocol http https dns smtp ftp ssh client daemon service
component module plugin extension api endpoint handler function call parameter argument value
length size limit check missing improper incorrect insufficient unchecked uncontrolled
allocation free double release reference count lock mutex thread concurrent access shared`)

func (g *gen) word() string {
	if g.r.IntN(5) == 0 {
		return pseudoWord(g.r.Uint64N(20000), 2+g.r.IntN(3))
	}
	// Zipf over the vocabulary, via a squared uniform.
	f := g.r.Float64()
	return vocabulary[int(f*f*f*float64(len(vocabulary)))]
}

func (g *gen) words(n int) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = g.word()
	}
	return strings.Join(ws, " ")
}

func (g *gen) sentence(min, max int) string {
	s := g.words(min + g.r.IntN(max-min+1))
	return strings.ToUpper(s[:1]) + s[1:]
}

func (g *gen) details(n int) string {
	var b strings.Builder
	for b.Len() < n {
		if b.Len() > 0 {
			if g.r.IntN(4) == 0 {
				b.WriteString("\n\n")
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(g.sentence(8, 24))
		switch g.r.IntN(6) {
		case 0:
			fmt.Fprintf(&b, " in version %d.%d.%d", g.r.IntN(10), g.r.IntN(30), g.r.IntN(20))
		case 1:
			fmt.Fprintf(&b, " (see %s)", g.url())
		case 2:
			fmt.Fprintf(&b, " in `%s()`", g.symbol())
		}
		b.WriteByte('.')
	}
	return b.String()
}

func (g *gen) symbol() string {
	s := pseudoWord(g.r.Uint64N(50000), 2+g.r.IntN(2))
	s = strings.ToUpper(s[:1]) + s[1:]
	if g.r.IntN(2) == 0 {
		return s + "." + strings.ToUpper(g.word()[:1]) + pseudoWord(g.r.Uint64N(9999), 2)
	}
	return s
}

func (g *gen) url() string {
	switch g.r.IntN(5) {
	case 0:
		return fmt.Sprintf("https://github.com/%s/%s/commit/%016x%016x", pseudoWord(g.r.Uint64N(5000), 2), pseudoWord(g.r.Uint64N(5000), 3), g.r.Uint64(), g.r.Uint64()>>32)
	case 1:
		return fmt.Sprintf("https://nvd.nist.gov/vuln/detail/CVE-%d-%d", 2005+g.r.IntN(21), 1000+g.r.IntN(50000))
	case 2:
		return fmt.Sprintf("https://github.com/%s/%s/issues/%d", pseudoWord(g.r.Uint64N(5000), 2), pseudoWord(g.r.Uint64N(5000), 3), g.r.IntN(30000))
	case 3:
		return fmt.Sprintf("https://lists.%s.org/thread/%x", pseudoWord(g.r.Uint64N(3000), 2), g.r.Uint64())
	}
	return fmt.Sprintf("https://security.%s.org/advisories/%d/%s", pseudoWord(g.r.Uint64N(3000), 2), 2005+g.r.IntN(21), pseudoWord(g.r.Uint64N(90000), 3))
}

func (g *gen) cvss3() string {
	return fmt.Sprintf("CVSS:3.1/AV:%s/AC:%s/PR:%s/UI:%s/S:%s/C:%s/I:%s/A:%s",
		g.pick([]string{"N", "A", "L", "P"}), g.pick([]string{"L", "H"}), g.pick([]string{"N", "L", "H"}),
		g.pick([]string{"N", "R"}), g.pick([]string{"U", "C"}), g.pick([]string{"N", "L", "H"}),
		g.pick([]string{"N", "L", "H"}), g.pick([]string{"N", "L", "H"}))
}

func (g *gen) cvss4() string {
	return fmt.Sprintf("CVSS:4.0/AV:%s/AC:%s/AT:N/PR:%s/UI:N/VC:%s/VI:%s/VA:%s/SC:N/SI:N/SA:N",
		g.pick([]string{"N", "A", "L"}), g.pick([]string{"L", "H"}), g.pick([]string{"N", "L"}),
		g.pick([]string{"N", "L", "H"}), g.pick([]string{"N", "L", "H"}), g.pick([]string{"N", "L", "H"}))
}
