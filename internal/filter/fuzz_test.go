package filter

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/pkg/model"
)

// seed adds every fixture matching glob under testdata to the corpus.
func seed(f *testing.F, glob string) {
	f.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", glob))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seeds for %s: %v", glob, err)
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

func checkOneLine(t *testing.T, err error) {
	if err != nil && strings.ContainsAny(err.Error(), "\n\r") {
		t.Fatalf("error is not one line: %q", err)
	}
}

func checkIgnore(t *testing.T, cfg *ignoreConfig, plain bool) {
	for _, l := range []ignoreList{cfg.vulnerabilities, cfg.misconfigurations, cfg.secrets, cfg.licenses} {
		for _, e := range l {
			if e.ID == "" || (plain && strings.ContainsAny(e.ID, " \t\n")) || e.Line < 1 {
				t.Fatalf("bad entry %+v", e)
			}
			for _, p := range e.PURLs {
				if p == nil {
					t.Fatal("nil purl")
				}
			}
		}
	}
}

func FuzzParseIgnoreText(f *testing.F) {
	seed(f, "ignore/*.trivyignore")
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := parseIgnoreText("f", data)
		checkOneLine(t, err)
		if err == nil {
			checkIgnore(t, cfg, true)
		}
	})
}

func FuzzParseIgnoreYAML(f *testing.F) {
	seed(f, "ignore/*.yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := parseIgnoreYAML("f.yaml", data)
		checkOneLine(t, err)
		if err == nil {
			checkIgnore(t, cfg, false)
			// Matching must not panic either.
			cfg.vulnerabilities.match("CVE-1", []string{"a/b", ""}, "pkg:npm/a@1")
		}
	})
}

func checkVEX(t *testing.T, doc *vexDocument, err error, sorted bool) {
	checkOneLine(t, err)
	if err != nil {
		return
	}
	statuses := []string{StatusNotAffected, StatusAffected, StatusFixed, StatusUnderInvestigation}
	for i, s := range doc.stmts {
		if len(s.vulnIDs) == 0 || len(s.products) == 0 || !slices.Contains(statuses, s.status) {
			t.Fatalf("bad statement %+v", s)
		}
		if sorted && i > 0 && s.ts.Before(doc.stmts[i-1].ts) {
			t.Fatal("statements not in timestamp order")
		}
	}
}

func FuzzParseOpenVEX(f *testing.F) {
	seed(f, "vex/openvex*.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := parseOpenVEX(data)
		if err == nil {
			doc.source = "f"
		}
		checkVEX(t, doc, err, false)
	})
}

func FuzzParseCycloneDX(f *testing.F) {
	seed(f, "vex/cyclonedx*.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := parseCycloneDX(data)
		checkVEX(t, doc, err, false)
	})
}

func FuzzParseCSAF(f *testing.F) {
	seed(f, "vex/csaf*.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := parseCSAF(data)
		checkVEX(t, doc, err, false)
	})
}

// FuzzParseVEX covers format detection and the sort.
func FuzzParseVEX(f *testing.F) {
	seed(f, "vex/*.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := parseVEX("f.json", data)
		if err != nil && !strings.Contains(err.Error(), "f.json") {
			t.Fatalf("error does not name the file: %v", err)
		}
		checkVEX(t, doc, err, true)
		if err != nil {
			return
		}
		// Matching any parsed document against a report must not panic and
		// must only move findings, never invent them.
		// (Duplicates merge, so the count may drop by what merging drops.)
		r, base := npmReport(), npmReport()
		before := countFindings(r)
		(&Filter{}).Apply(base)
		(&Filter{vex: []*vexDocument{doc}, showSuppressed: true}).Apply(r)
		if after := countFindings(r); after > before || after < countFindings(base) {
			t.Fatalf("findings %d before, %d kept+suppressed after", before, after)
		}
	})
}

func countFindings(r *model.Report) int {
	n := 0
	for _, res := range r.Results {
		n += len(res.Vulnerabilities) + len(res.Secrets) + len(res.ModifiedFindings)
	}
	return n
}
