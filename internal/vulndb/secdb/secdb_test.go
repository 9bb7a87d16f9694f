package secdb

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/vulndb/osv"
)

func TestSplitEntry(t *testing.T) {
	tests := []struct {
		entry   string
		id      string
		aliases []string
		ok      bool
	}{
		{"CVE-2019-1547", "CVE-2019-1547", nil, true},
		{"CVE-2017-8904 XSA-214", "CVE-2017-8904", []string{"XSA-214"}, true},
		{"XSA-214 CVE-2017-8904", "CVE-2017-8904", []string{"XSA-214"}, true},
		{"XSA-207", "XSA-207", nil, true},
		{"CVE-2018-5244 (ICMP)", "CVE-2018-5244", nil, true},
		{"CVE-2018-1 (BGP) XSA-1", "CVE-2018-1", nil, true},
		{"CVE-????-?????  XSA-300", "XSA-300", nil, true},
		{"  CVE-2019-1  ", "CVE-2019-1", nil, true},
		{"wnpa-sec-2017-18", "wnpa-sec-2017-18", nil, true},
		{"CVE.patch", "", nil, false},
		{"", "", nil, false},
		{"(comment only)", "", nil, false},
	}
	for _, tt := range tests {
		id, aliases, ok := SplitEntry(tt.entry)
		if id != tt.id || ok != tt.ok || !cmp.Equal(aliases, tt.aliases) {
			t.Errorf("SplitEntry(%q) = %q, %v, %v; want %q, %v, %v", tt.entry, id, aliases, ok, tt.id, tt.aliases, tt.ok)
		}
	}
}

func rng(fixed string) osv.Range {
	return osv.Range{Type: osv.RangeEcosystem, Events: []osv.Event{{Introduced: "0"}, {Fixed: fixed}}}
}

func TestRecords(t *testing.T) {
	type rec struct {
		ID, Eco, Pkg string
		Aliases      []string
		Ranges       []osv.Range
	}
	tests := []struct {
		file    string
		eco     string
		stats   Stats
		records []rec
		wantErr string
	}{
		{
			file: "main.yaml", eco: "Alpine:v3.10",
			stats: Stats{Read: 10, Kept: 7, Duplicate: 1, NotAffected: 1, Rejected: 1,
				Reasons: []string{`xen: "CVE.patch": no vulnerability id`}},
			records: []rec{
				{ID: "CVE-2019-1543", Eco: "Alpine:v3.10", Pkg: "openssl", Ranges: []osv.Range{rng("1.1.1b-r1")}},
				{ID: "CVE-2019-1547", Eco: "Alpine:v3.10", Pkg: "openssl", Ranges: []osv.Range{rng("1.1.1a-r0"), rng("1.1.1d-r1")}},
				{ID: "CVE-2019-1563", Eco: "Alpine:v3.10", Pkg: "openssl", Ranges: []osv.Range{rng("1.1.1d-r1")}},
				{ID: "CVE-2018-5244", Eco: "Alpine:v3.10", Pkg: "xen", Ranges: []osv.Range{rng("4.10.0-r1")}},
				{ID: "CVE-2019-17340", Eco: "Alpine:v3.10", Pkg: "xen", Aliases: []string{"XSA-284"}, Ranges: []osv.Range{rng("4.12.1-r0")}},
				{ID: "XSA-207", Eco: "Alpine:v3.10", Pkg: "xen", Ranges: []osv.Range{rng("4.12.1-r0")}},
				{ID: "XSA-300", Eco: "Alpine:v3.10", Pkg: "xen", Ranges: []osv.Range{rng("4.12.1-r0")}},
			},
		},
		{
			file: "wolfi.json", eco: "Wolfi",
			stats: Stats{Read: 5, Kept: 4, NotAffected: 1},
			records: []rec{
				{ID: "CVE-2023-38545", Eco: "Wolfi", Pkg: "curl", Ranges: []osv.Range{rng("8.4.0-r0")}},
				{ID: "CVE-2023-38546", Eco: "Wolfi", Pkg: "curl", Ranges: []osv.Range{rng("8.4.0-r0")}},
				{ID: "CVE-2023-4911", Eco: "Wolfi", Pkg: "glibc", Ranges: []osv.Range{rng("2.38-r1")}},
				{ID: "GHSA-xxxx-yyyy-zzzz", Eco: "Wolfi", Pkg: "glibc", Ranges: []osv.Range{rng("2.38-r1")}},
			},
		},
		{file: "empty.yaml", eco: "Alpine:v3.3"},
		{file: "no-version.yaml", wantErr: "no distroversion"},
		{file: "broken.yaml", wantErr: "yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			p := filepath.Join("testdata", tt.file)
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if !Sniff(data) {
				t.Error("Sniff = false")
			}
			doc, err := Parse(p, data)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), p) || !errors.Is(err, ErrMalformed) {
					t.Fatalf("Parse error = %v, want ErrMalformed naming %s with %q", err, p, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if eco, _ := doc.Ecosystem(); eco != tt.eco {
				t.Errorf("Ecosystem = %q, want %q", eco, tt.eco)
			}
			recs, st, err := doc.Records()
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.stats, st); d != "" {
				t.Errorf("stats (-want +got):\n%s", d)
			}
			var got []rec
			for _, r := range recs {
				if err := osv.Validate(r); err != nil {
					t.Errorf("record %s is not valid OSV: %v", r.ID, err)
				}
				got = append(got, rec{ID: r.ID, Eco: r.Affected[0].Package.Ecosystem, Pkg: r.Affected[0].Package.Name,
					Aliases: r.Aliases, Ranges: r.Affected[0].Ranges})
			}
			if d := cmp.Diff(tt.records, got); d != "" {
				t.Errorf("records (-want +got):\n%s", d)
			}
		})
	}
}

func TestEcosystem(t *testing.T) {
	tests := []struct {
		doc  Document
		want string
	}{
		{Document{DistroVersion: "v3.19"}, "Alpine:v3.19"},
		{Document{DistroVersion: "3.19"}, "Alpine:v3.19"},
		{Document{DistroVersion: "edge"}, "Alpine:edge"},
		{Document{URLPrefix: "https://packages.wolfi.dev"}, "Wolfi"},
		{Document{URLPrefix: "https://packages.cgr.dev", RepoName: "chainguard"}, "Chainguard"},
	}
	for _, tt := range tests {
		if got, err := tt.doc.Ecosystem(); err != nil || got != tt.want {
			t.Errorf("Ecosystem(%+v) = %q, %v; want %q", tt.doc, got, err, tt.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	ents, err := os.ReadDir("testdata")
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range ents {
		data, err := os.ReadFile(filepath.Join("testdata", e.Name()))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(e.Name(), data)
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		doc, err := Parse(name, data)
		if err != nil {
			return
		}
		recs, st, err := doc.Records()
		if err != nil {
			t.Fatalf("Records failed on a parsed document: %v", err)
		}
		if st.Read != st.Kept+st.Duplicate+st.NotAffected+st.Rejected || st.Kept != len(recs) {
			t.Fatalf("inconsistent stats %+v for %d records", st, len(recs))
		}
		for _, r := range recs {
			if err := osv.Validate(r); err != nil {
				t.Fatalf("invalid record %s: %v", r.ID, err)
			}
		}
	})
}
