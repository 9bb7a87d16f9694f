package build

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/bench/osvgen/mirror"
	"github.com/trawlsec/trawl/internal/vulndb/osv"
	"github.com/trawlsec/trawl/internal/vulndb/store"
)

// reference is the database the former in-memory build made: every entry
// kept in a map per normalised package key, sorted by id then source
// (stable), and the details of records sharing an id merged in the order
// they were read.
type reference struct {
	pkgs    map[string][]store.Entry // ecosystem \x00 normalised name
	vulns   map[string]*osv.Vulnerability
	aliases map[string][]string
}

func buildReference(t *testing.T, sources []Source) *reference {
	t.Helper()
	ref := &reference{pkgs: map[string][]store.Entry{}, vulns: map[string]*osv.Vulnerability{}, aliases: map[string][]string{}}
	for _, src := range sources {
		name := sourceName(src.Path)
		err := osv.Walk(context.Background(), src.Path, osv.Limits{}, func(f osv.File) error {
			if f.Err != nil {
				return nil
			}
			v, err := osv.Decode(f.Name, f.Data)
			if err != nil || v.IsWithdrawn() {
				return nil
			}
			for _, a := range v.Affected {
				if a.Package.Name == "" || a.Package.Ecosystem == "" {
					continue
				}
				k := a.Package.Ecosystem + "\x00" + store.Normalize(a.Package.Ecosystem, a.Package.Name)
				ref.pkgs[k] = append(ref.pkgs[k], store.Entry{ID: v.ID, Source: name, Affected: a})
			}
			d := *v
			d.Affected = nil
			old, ok := ref.vulns[v.ID]
			if !ok {
				ref.vulns[v.ID] = &d
				return nil
			}
			keep, other := old, &d
			if d.Modified.After(old.Modified) || (old.Summary == "" && old.Details == "" && (d.Summary != "" || d.Details != "")) {
				keep, other = &d, old
			}
			for _, a := range other.Aliases {
				found := false
				for _, h := range keep.Aliases {
					found = found || h == a
				}
				if !found {
					keep.Aliases = append(keep.Aliases, a)
				}
			}
			ref.vulns[v.ID] = keep
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, es := range ref.pkgs {
		sort.SliceStable(es, func(i, j int) bool {
			if es[i].ID != es[j].ID {
				return es[i].ID < es[j].ID
			}
			return es[i].Source < es[j].Source
		})
	}
	for id, v := range ref.vulns {
		for _, a := range v.Aliases {
			if a != id {
				ref.aliases[a] = append(ref.aliases[a], id)
			}
		}
	}
	for _, ids := range ref.aliases {
		sort.Strings(ids)
	}
	return ref
}

// normal is v as the database gives it back: what a JSON round trip
// gives (maps of JSON values, empty lists absent).
func normal[T any](t *testing.T, v T) T {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out T
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// checkAgainst compares every package, record and alias of the database
// at p with the reference.
func checkAgainst(t *testing.T, p string, ref *reference) {
	t.Helper()
	s, err := store.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	meta := s.Metadata()
	entries := 0
	for k, want := range ref.pkgs {
		entries += len(want)
		i := 0
		for k[i] != 0 {
			i++
		}
		got, err := s.Affected(k[:i], k[i+1:])
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(normal(t, want), normal(t, got)); d != "" {
			t.Fatalf("Affected(%q) (-reference +built):\n%s", k, d)
		}
		cs, err := s.Candidates(k[:i], k[i+1:])
		if err != nil || len(cs) != len(want) {
			t.Fatalf("Candidates(%q) = %d entries, %v; want %d", k, len(cs), err, len(want))
		}
	}
	if meta.Packages != len(ref.pkgs) || meta.Entries != entries || meta.Vulnerabilities != len(ref.vulns) {
		t.Errorf("metadata counts %d packages, %d entries, %d vulnerabilities; reference %d, %d, %d",
			meta.Packages, meta.Entries, meta.Vulnerabilities, len(ref.pkgs), entries, len(ref.vulns))
	}
	for id, want := range ref.vulns {
		got, err := s.Details(id)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(normal(t, want), normal(t, got)); d != "" {
			t.Fatalf("Details(%s) (-reference +built):\n%s", id, d)
		}
	}
	for a, want := range ref.aliases {
		got, err := s.Aliased(a)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("Aliased(%s) (-reference +built):\n%s", a, d)
		}
	}
}

// generatedSources writes a synthetic mirror of n records, plus a copy of
// its Debian and Go archives as second sources (the same ids again:
// details merged, entries under two source names).
func generatedSources(t *testing.T, n int) []Source {
	t.Helper()
	dir := t.TempDir()
	if err := mirror.Write(dir, n, 7); err != nil {
		t.Fatal(err)
	}
	zips, err := filepath.Glob(filepath.Join(dir, "*", "all.zip"))
	if err != nil || len(zips) < 10 {
		t.Fatalf("mirror: %v, %v", zips, err)
	}
	var srcs []Source
	for _, z := range zips {
		srcs = append(srcs, Source{Path: z})
	}
	for _, eco := range []string{"Debian", "Go"} {
		data, err := os.ReadFile(filepath.Join(dir, eco, "all.zip"))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, eco+"-again", "all.zip")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, Source{Path: p})
	}
	// Records sharing ids with the same modification time (the first
	// kept, the others' aliases appended in order) and listing a package
	// twice (entries of the same id and source, kept in order), large
	// enough to be spread over many sort runs.
	extra := filepath.Join(dir, "extra")
	if err := os.MkdirAll(extra, 0o755); err != nil {
		t.Fatal(err)
	}
	pad := strings.Repeat("p", 3000)
	for i := range 200 {
		rec := fmt.Sprintf(`{"id": "X-%d", "modified": "2024-01-01T00:00:00Z", "aliases": ["A-%d", "A-%d"],
			"details": %q, "affected": [
			{"package": {"ecosystem": "Go", "name": "example.com/m%d"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.%d.0"}]}], "ecosystem_specific": {"pad": %q}},
			{"package": {"ecosystem": "Go", "name": "example.com/m%d"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "2.0.0"}, {"fixed": "2.%d.0"}]}], "ecosystem_specific": {"pad": %q}}]}`,
			i%20, i, i%3, pad, i%7, i, pad, i%7, i, pad)
		if err := os.WriteFile(filepath.Join(extra, fmt.Sprintf("r%03d.json", i)), []byte(rec), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return append(srcs, Source{Path: extra})
}

// TestBuildMatchesInMemoryReference checks that the streaming build of a
// generated mirror gives, for every package, record and alias, what the
// in-memory build gave; with buffers so small that every kind of record
// is spilled in many runs, compacted, and written in many transactions,
// and with buffers larger than the whole input.
func TestBuildMatchesInMemoryReference(t *testing.T) {
	srcs := generatedSources(t, 2000)
	ref := buildReference(t, srcs)
	if len(ref.pkgs) < 1000 || len(ref.aliases) < 300 {
		t.Fatalf("reference too small: %d packages, %d aliases", len(ref.pkgs), len(ref.aliases))
	}
	for _, tc := range []struct {
		name string
		opts store.BuilderOptions
	}{
		{"tiny batches", store.BuilderOptions{SortBuffer: 32 << 10, TxBytes: 1, MaxRuns: 3}},
		{"one batch", store.BuilderOptions{SortBuffer: 1 << 30, TxBytes: 1 << 30}},
		{"defaults", store.BuilderOptions{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "trawl.db")
			if _, err := BuildSources(context.Background(), srcs, out, Options{Builder: tc.opts}); err != nil {
				t.Fatal(err)
			}
			checkAgainst(t, out, ref)
			left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".*"))
			if len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}
