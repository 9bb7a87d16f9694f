package store

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"

	"github.com/trawlsec/trawl/internal/vulndb/osv"
)

// jsonRoundTrip is what schema 1 (JSON values) gave back for v.
func jsonRoundTrip[T any](t *testing.T, v T) T {
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

// codecRecords returns the OSV records of the osv package's testdata and a
// record with every field set.
func codecRecords(t *testing.T) []*osv.Vulnerability {
	t.Helper()
	var out []*osv.Vulnerability
	for _, name := range []string{"go-record.json", "pypi-record.yaml", "unknown-fields.json", "withdrawn.json"} {
		data, err := os.ReadFile(filepath.Join("..", "osv", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		v, err := osv.Decode(name, data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out = append(out, v)
	}
	m := map[string]any{"n": 1.5, "list": []any{"a", true, nil}, "obj": map[string]any{"k": "v"}}
	out = append(out, &osv.Vulnerability{
		SchemaVersion: "1.6.0", ID: "X-1",
		Modified:  time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC),
		Published: time.Date(2023, 1, 2, 3, 4, 5, 0, time.FixedZone("", 3600)),
		Withdrawn: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		Aliases:   []string{"CVE-1", "GHSA-x"}, Related: []string{"R"}, Upstream: []string{"U"},
		Summary: "sum <&> \u00e9", Details: "line\nline \x00",
		Severity: []osv.Severity{{Type: "CVSS_V3", Score: "CVSS:3.1/AV:N"}},
		Affected: []osv.Affected{{
			Package:  osv.Package{Ecosystem: "PyPI", Name: "x", PURL: "pkg:pypi/x"},
			Severity: []osv.Severity{{Type: "CVSS_V4", Score: "s"}},
			Ranges: []osv.Range{
				{Type: "ECOSYSTEM", Repo: "r", Events: []osv.Event{{Introduced: "0"}, {Fixed: "1"}, {LastAffected: "2"}, {Limit: "*"}}, DatabaseSpecific: m},
				{Type: "GIT", Events: []osv.Event{}},
			},
			Versions:          []string{"0.1", ""},
			EcosystemSpecific: m, DatabaseSpecific: map[string]any{"source": "secdb"},
		}},
		References:       []osv.Reference{{Type: "WEB", URL: "https://x"}},
		Credits:          []osv.Credit{{Name: "n", Contact: []string{"c"}, Type: "FINDER"}, {Name: "m"}},
		DatabaseSpecific: m,
	})
	return out
}

// TestCodecMatchesJSON checks that the binary values decode to what the
// JSON values of schema 1 decoded to.
func TestCodecMatchesJSON(t *testing.T) {
	// A new field of the OSV types must be added to the codec (and this
	// count).
	for typ, n := range map[reflect.Type]int{
		reflect.TypeOf(osv.Vulnerability{}): 15, reflect.TypeOf(osv.Affected{}): 6,
		reflect.TypeOf(osv.Range{}): 4, reflect.TypeOf(osv.Event{}): 4, reflect.TypeOf(osv.Package{}): 3,
		reflect.TypeOf(osv.Severity{}): 2, reflect.TypeOf(osv.Reference{}): 2, reflect.TypeOf(osv.Credit{}): 3,
		reflect.TypeOf(Entry{}): 3,
	} {
		if typ.NumField() != n {
			t.Errorf("%v has %d fields, the codec knows %d", typ, typ.NumField(), n)
		}
	}
	opt := cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) && a.Location().String() == b.Location().String() })
	for _, v := range codecRecords(t) {
		d := *v
		d.Affected = nil
		raw, err := encodeVuln(v)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeVuln(string(raw))
		if err != nil {
			t.Fatalf("%s: %v", v.ID, err)
		}
		if diff := cmp.Diff(jsonRoundTrip(t, &d), got, opt); diff != "" {
			t.Errorf("%s details (-json +binary):\n%s", v.ID, diff)
		}

		var es []Entry
		for _, a := range v.Affected {
			es = append(es, Entry{ID: v.ID, Source: "src", Affected: a})
		}
		raw, err = encodeEntries(es)
		if err != nil {
			t.Fatal(err)
		}
		cs, err := decodeCandidates(string(raw))
		if err != nil || len(cs) != len(es) {
			t.Fatalf("%s: %d candidates, %v", v.ID, len(cs), err)
		}
		want := jsonRoundTrip(t, es)
		var gotEs []Entry
		for i := range cs {
			e, err := cs[i].Entry()
			if err != nil {
				t.Fatal(err)
			}
			gotEs = append(gotEs, e)
			if cs[i].ID != e.ID || cs[i].Source != e.Source || !cmp.Equal(cs[i].Versions, e.Affected.Versions) || len(cs[i].Ranges) != len(e.Affected.Ranges) {
				t.Errorf("%s: candidate %d differs from its entry", v.ID, i)
			}
			for j, r := range cs[i].Ranges {
				full := e.Affected.Ranges[j]
				if r.Type != full.Type || r.Repo != full.Repo || len(r.Events) != len(full.Events) || r.DatabaseSpecific != nil {
					t.Errorf("%s: candidate %d range %d = %+v, entry's %+v", v.ID, i, j, r, full)
				}
			}
		}
		// Schema 1 gave back an empty (non-nil) events list as such; an
		// empty list is now nil, which evaluates the same.
		for i := range want {
			for j := range want[i].Affected.Ranges {
				if len(want[i].Affected.Ranges[j].Events) == 0 {
					want[i].Affected.Ranges[j].Events = nil
				}
			}
		}
		if diff := cmp.Diff(want, gotEs, opt); diff != "" {
			t.Errorf("%s entries (-json +binary):\n%s", v.ID, diff)
		}
	}
}

// TestCodecCorrupt checks that truncated values are errors, not panics.
func TestCodecCorrupt(t *testing.T) {
	for _, v := range codecRecords(t) {
		raw, err := encodeVuln(v)
		if err != nil {
			t.Fatal(err)
		}
		pkg, err := encodeEntries([]Entry{{ID: v.ID, Affected: v.Affected[0]}})
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < len(raw); i++ {
			if _, err := decodeVuln(string(raw[:i])); err == nil {
				t.Fatalf("%s: details truncated to %d bytes decoded", v.ID, i)
			}
		}
		for i := 0; i < len(pkg); i++ {
			if _, err := decodeCandidates(string(pkg[:i])); err == nil && i > 0 {
				t.Fatalf("%s: entries truncated to %d bytes decoded", v.ID, i)
			}
		}
	}
}

// TestOpenSchema1 checks that a database of the JSON layout is refused
// with a message that says to rebuild it.
func TestOpenSchema1(t *testing.T) {
	p := filepath.Join(t.TempDir(), "v1.db")
	db, err := bolt.Open(p, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket(bucketMeta)
		if err != nil {
			return err
		}
		return b.Put(keyMeta, []byte(`{"schema_version": 1}`))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(p)
	if !errors.Is(err, ErrSchema) || !strings.Contains(err.Error(), "rebuild the DB") {
		t.Errorf("Open(schema 1) = %v, want ErrSchema saying to rebuild", err)
	}
}

// FuzzDecodeValues checks that arbitrary pkg and vuln values are decoded
// or refused, never a panic.
func FuzzDecodeValues(f *testing.F) {
	raw, _ := encodeEntries([]Entry{{ID: "X-1", Source: "s", Affected: osv.Affected{
		Versions: []string{"1.0"}, Ranges: []osv.Range{{Type: "SEMVER", Events: []osv.Event{{Introduced: "0"}}}},
		EcosystemSpecific: map[string]any{"k": "v"}}}})
	f.Add(raw)
	raw, _ = encodeVuln(&osv.Vulnerability{ID: "X-1", Aliases: []string{"CVE-1"}, Modified: time.Unix(0, 0).UTC()})
	f.Add(raw)
	f.Fuzz(func(t *testing.T, data []byte) {
		if cs, err := decodeCandidates(string(data)); err == nil {
			for i := range cs {
				_, _ = cs[i].Entry()
			}
		}
		_, _ = decodeVuln(string(data))
	})
}
