// Package secdb reads Alpine and Wolfi security databases ("secdb"
// documents, YAML or JSON) and turns them into OSV records.
//
// A secdb document lists, per origin (source) package, the versions that
// fixed security issues:
//
//	distroversion: v3.10
//	reponame: main
//	urlprefix: http://dl-cdn.alpinelinux.org/alpine
//	packages:
//	  - pkg:
//	      name: openssl
//	      secfixes:
//	        1.1.1d-r1: [CVE-2019-1547]
//	        "0": [CVE-2016-0705]   # never affected in this branch
//
// Conversion rules (documented in docs/vulndb.md):
//   - Every string in a secfixes list is one "entry" (Stats.Read counts them).
//     An entry holds one or more IDs separated by blanks, optionally followed
//     by a parenthesised comment: the first CVE-YYYY-N token is the record's
//     id, the other ID-shaped tokens become aliases (without a CVE the first
//     ID-shaped token, e.g. XSA-207, is the id). An entry without any
//     ID-shaped token is rejected.
//   - One OSV record per (document, package, id). Its single affected entry
//     is in ecosystem "Alpine:<distroversion>" (or "Wolfi"/"Chainguard" for
//     those feeds) and has one ECOSYSTEM range {introduced: "0", fixed: V}
//     per fixed version V that lists the id. An id listed under several
//     versions gives one record with several ranges (vulnerable below the
//     highest fix); the extra entries are counted as Duplicate.
//   - Alpine's convention: the version "0" means the package was never
//     affected in this branch. Such entries produce no record and are
//     counted as NotAffected.
package secdb

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/trawlsec/trawl/internal/vulndb/osv"
)

// ErrMalformed is wrapped by errors for documents that are not secdb documents.
var ErrMalformed = errors.New("trawl/secdb: malformed document")

// Document is a secdb document.
type Document struct {
	DistroVersion string    `json:"distroversion" yaml:"distroversion"`
	RepoName      string    `json:"reponame" yaml:"reponame"`
	URLPrefix     string    `json:"urlprefix" yaml:"urlprefix"`
	APKURL        string    `json:"apkurl" yaml:"apkurl"`
	Archs         []string  `json:"archs" yaml:"archs"`
	Packages      []Package `json:"packages" yaml:"packages"`
}

// Package is one entry of Document.Packages.
type Package struct {
	Pkg struct {
		Name string `json:"name" yaml:"name"`
		// SecFixes maps a fixed version to the entries (IDs) it fixed.
		SecFixes map[string][]string `json:"secfixes" yaml:"secfixes"`
	} `json:"pkg" yaml:"pkg"`
}

// Sniff reports whether data looks like a secdb document rather than an OSV
// record: it mentions "packages" and "secfixes" or "distroversion" (a
// document may have an empty package list). It is a cheap test meant to
// pick a decoder; Parse does the real checking.
func Sniff(data []byte) bool {
	return bytes.Contains(data, []byte("packages")) &&
		(bytes.Contains(data, []byte("secfixes")) || bytes.Contains(data, []byte("distroversion")))
}

// Parse decodes a secdb document in YAML or JSON (chosen by the file name's
// extension, or by content when it has none). Errors name the file.
func Parse(name string, data []byte) (*Document, error) {
	var d Document
	if osv.FormatOf(name) == osv.FormatYAML || (osv.FormatOf(name) == "" && !startsJSON(data)) {
		if err := osv.UnmarshalYAML(data, &d); err != nil {
			return nil, fmt.Errorf("%s: %w: yaml: %w", name, ErrMalformed, err)
		}
	} else if err := json.Unmarshal(data, &d); err != nil {
		return nil, fmt.Errorf("%s: %w: json: %w", name, ErrMalformed, err)
	}
	if _, err := d.Ecosystem(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &d, nil
}

func startsJSON(data []byte) bool {
	t := bytes.TrimLeft(data, " \t\r\n\ufeff")
	return len(t) > 0 && t[0] == '{'
}

// Ecosystem returns the OSV ecosystem of the document's records:
// "Alpine:v3.10" for distroversion v3.10 (a missing "v" is added), "Wolfi"
// or "Chainguard" for those feeds (recognised by urlprefix or reponame).
func (d *Document) Ecosystem() (string, error) {
	for _, s := range []string{d.URLPrefix, d.RepoName, d.APKURL} {
		s = strings.ToLower(s)
		switch {
		case strings.Contains(s, "wolfi"):
			return "Wolfi", nil
		case strings.Contains(s, "chainguard"):
			return "Chainguard", nil
		}
	}
	v := strings.TrimSpace(d.DistroVersion)
	if v == "" {
		return "", fmt.Errorf("%w: no distroversion", ErrMalformed)
	}
	if v != "edge" && !strings.HasPrefix(v, "v") {
		v = "v" + v
	}
	return "Alpine:" + v, nil
}

// Stats counts what Records made of a document. Read is the number of
// secfixes entries; Read = Kept + Duplicate + NotAffected + Rejected.
type Stats struct {
	Read        int
	Kept        int // records produced
	Duplicate   int // entries merged into a record already produced
	NotAffected int // entries under version "0"
	Rejected    int
	// Reasons lists why entries were rejected ("package: entry: reason").
	Reasons []string
}

var (
	cveRE = regexp.MustCompile(`^CVE-\d{4}-\d{4,}$`)
	idRE  = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)+$`)
)

// SplitEntry returns the id and aliases of a secfixes entry, or ok=false
// when it holds no ID-shaped token.
func SplitEntry(entry string) (id string, aliases []string, ok bool) {
	var ids []string
	for _, tok := range strings.Fields(entry) {
		if strings.HasPrefix(tok, "(") {
			break
		}
		if idRE.MatchString(tok) {
			ids = append(ids, tok)
		}
	}
	if len(ids) == 0 {
		return "", nil, false
	}
	first := 0
	for i, s := range ids {
		if cveRE.MatchString(s) {
			first = i
			break
		}
	}
	id = ids[first]
	for i, s := range ids {
		if i != first && s != id {
			aliases = append(aliases, s)
		}
	}
	return id, aliases, true
}

// Records converts the document to OSV records, ordered by package name and
// id. source names the document in database_specific ("secdb").
func (d *Document) Records() ([]*osv.Vulnerability, Stats, error) {
	var st Stats
	eco, err := d.Ecosystem()
	if err != nil {
		return nil, st, err
	}
	type key struct{ pkg, id string }
	recs := map[key]*osv.Vulnerability{}
	for _, p := range d.Packages {
		name := strings.TrimSpace(p.Pkg.Name)
		versions := make([]string, 0, len(p.Pkg.SecFixes))
		for v := range p.Pkg.SecFixes {
			versions = append(versions, v)
		}
		sort.Strings(versions)
		for _, ver := range versions {
			for _, entry := range p.Pkg.SecFixes[ver] {
				st.Read++
				if name == "" {
					st.reject(name, entry, "package without name")
					continue
				}
				id, aliases, ok := SplitEntry(entry)
				if !ok {
					st.reject(name, entry, "no vulnerability id")
					continue
				}
				fixed := strings.TrimSpace(ver)
				if fixed == "0" {
					st.NotAffected++
					continue
				}
				if fixed == "" {
					st.reject(name, entry, "empty fixed version")
					continue
				}
				k := key{name, id}
				rng := osv.Range{Type: osv.RangeEcosystem, Events: []osv.Event{{Introduced: "0"}, {Fixed: fixed}}}
				if r, ok := recs[k]; ok {
					st.Duplicate++
					r.Affected[0].Ranges = append(r.Affected[0].Ranges, rng)
					r.Aliases = mergeAliases(r.Aliases, aliases)
					continue
				}
				st.Kept++
				recs[k] = &osv.Vulnerability{
					ID:      id,
					Aliases: aliases,
					Affected: []osv.Affected{{
						Package: osv.Package{Ecosystem: eco, Name: name},
						Ranges:  []osv.Range{rng},
						DatabaseSpecific: map[string]any{
							"source":   "secdb",
							"reponame": d.RepoName,
						},
					}},
				}
			}
		}
	}
	out := make([]*osv.Vulnerability, 0, len(recs))
	for _, r := range recs {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Affected[0].Package.Name != b.Affected[0].Package.Name {
			return a.Affected[0].Package.Name < b.Affected[0].Package.Name
		}
		return a.ID < b.ID
	})
	return out, st, nil
}

// maxReasons caps Stats.Reasons.
const maxReasons = 20

func (st *Stats) reject(pkg, entry, reason string) {
	st.Rejected++
	if len(st.Reasons) < maxReasons {
		st.Reasons = append(st.Reasons, fmt.Sprintf("%s: %q: %s", pkg, entry, reason))
	}
}

func mergeAliases(have, add []string) []string {
	for _, a := range add {
		if !slices.Contains(have, a) {
			have = append(have, a)
		}
	}
	return have
}
