package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"

	"github.com/trawlsec/trawl/internal/vulndb/osv"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ eco, in, want string }{
		{"PyPI", "Django", "django"},
		{"PyPI", "Foo.Bar__baz-_-qux", "foo-bar-baz-qux"},
		{"PyPI", "_private.", "-private-"},
		{"PyPI", " requests ", "requests"},
		{"NuGet", "Newtonsoft.Json", "newtonsoft.json"},
		{"Packagist", "Symfony/HTTP-Kernel", "symfony/http-kernel"},
		{"Maven", "com.fasterxml.jackson.core:jackson-databind", "com.fasterxml.jackson.core:jackson-databind"},
		{"npm", "JSONStream", "JSONStream"},
		{"Go", "github.com/BurntSushi/toml", "github.com/BurntSushi/toml"},
		{"crates.io", "Serde_JSON", "Serde_JSON"},
		{"Alpine:v3.10", "OpenSSL", "OpenSSL"},
		{"Debian:12", "linux", "linux"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.eco, tt.in); got != tt.want {
			t.Errorf("Normalize(%q, %q) = %q, want %q", tt.eco, tt.in, got, tt.want)
		}
	}
}

func TestOSEcosystems(t *testing.T) {
	tests := []struct {
		family, version string
		want            []string
	}{
		{"alpine", "3.10.4", []string{"Alpine:v3.10"}},
		{"alpine", "3.20.0_alpha20240329", []string{"Alpine:v3.20"}},
		{"alpine", "edge", []string{"Alpine:edge"}},
		{"debian", "12.15", []string{"Debian:12"}},
		{"debian", "11", []string{"Debian:11"}},
		{"ubuntu", "22.04", []string{"Ubuntu:22.04:LTS", "Ubuntu:22.04"}},
		{"ubuntu", "23.10", []string{"Ubuntu:23.10", "Ubuntu:23.10:LTS"}},
		{"rocky", "9.3", []string{"Rocky Linux:9"}},
		{"alma", "8.9", []string{"AlmaLinux:8"}},
		{"wolfi", "20230201", []string{"Wolfi"}},
		{"debian", "", nil},
		{"plan9", "4", nil},
	}
	for _, tt := range tests {
		if got := OSEcosystems(tt.family, tt.version); !cmp.Equal(got, tt.want) {
			t.Errorf("OSEcosystems(%q, %q) = %q, want %q", tt.family, tt.version, got, tt.want)
		}
	}
}

func sampleContents() *Contents {
	c := NewContents()
	mk := func(id, eco, name, fixed string) (*osv.Vulnerability, Entry) {
		a := osv.Affected{
			Package: osv.Package{Ecosystem: eco, Name: name},
			Ranges:  []osv.Range{{Type: osv.RangeEcosystem, Events: []osv.Event{{Introduced: "0"}, {Fixed: fixed}}}},
		}
		v := &osv.Vulnerability{ID: id, Summary: "summary of " + id, Aliases: []string{"CVE-2099-0001"},
			Modified: time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC), Affected: []osv.Affected{a}}
		return v, Entry{ID: id, Source: "test", Affected: a}
	}
	v1, e1 := mk("PYSEC-2", "PyPI", "Foo_Bar", "2.0")
	v2, e2 := mk("PYSEC-1", "PyPI", "foo.bar", "1.0")
	v3, e3 := mk("ALPINE-1", "Alpine:v3.10", "openssl", "1.1.1d-r1")
	c.Packages[PackageKey{"PyPI", "Foo_Bar"}] = []Entry{e1}
	c.Packages[PackageKey{"PyPI", "foo.bar"}] = []Entry{e2}
	c.Packages[PackageKey{"Alpine:v3.10", "openssl"}] = []Entry{e3}
	c.Vulns[v1.ID], c.Vulns[v2.ID], c.Vulns[v3.ID] = v1, v2, v3
	c.Meta.BuiltAt = time.Date(2099, 1, 2, 0, 0, 0, 0, time.UTC)
	c.Meta.Sources = []SourceStats{{Name: "test", Origin: "/x", Format: "osv", Read: 3, Kept: 3}}
	return c
}

func writeSample(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "trawl.db")
	if err := Write(context.Background(), p, sampleContents()); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestWriteOpen(t *testing.T) {
	s, err := Open(writeSample(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	// Names that normalise alike share one key; entries come sorted by id.
	es, err := s.Affected("PyPI", "FOO-bar")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range es {
		ids = append(ids, e.ID)
	}
	if d := cmp.Diff([]string{"PYSEC-1", "PYSEC-2"}, ids); d != "" {
		t.Errorf("ids (-want +got):\n%s", d)
	}
	if es[0].Affected.Ranges[0].Events[1].Fixed != "1.0" || es[0].Source != "test" {
		t.Errorf("entry: %+v", es[0])
	}
	if es, err := s.Affected("PyPI", "unknown"); err != nil || es != nil {
		t.Errorf("unknown package: %v, %v", es, err)
	}
	if es, err := s.Affected("Alpine:v3.11", "openssl"); err != nil || es != nil {
		t.Errorf("other release: %v, %v", es, err)
	}

	d, err := s.Details("PYSEC-1")
	if err != nil || d == nil || d.Summary != "summary of PYSEC-1" || d.Affected != nil {
		t.Errorf("Details = %+v, %v", d, err)
	}
	if d, err := s.Details("nope"); err != nil || d != nil {
		t.Errorf("Details(nope) = %v, %v", d, err)
	}
	ids, err = s.Aliased("CVE-2099-0001")
	if err != nil || !cmp.Equal(ids, []string{"ALPINE-1", "PYSEC-1", "PYSEC-2"}) {
		t.Errorf("Aliased = %v, %v", ids, err)
	}

	m := s.Metadata()
	want := Metadata{SchemaVersion: SchemaVersion, BuiltAt: time.Date(2099, 1, 2, 0, 0, 0, 0, time.UTC),
		Sources:    []SourceStats{{Name: "test", Origin: "/x", Format: "osv", Read: 3, Kept: 3}},
		Ecosystems: map[string]int{"PyPI": 1, "Alpine:v3.10": 1}, Vulnerabilities: 3, Packages: 2, Entries: 3}
	if d := cmp.Diff(want, m); d != "" {
		t.Errorf("metadata (-want +got):\n%s", d)
	}
	if eco, ok := s.EcosystemForOS("alpine", "3.10.4"); eco != "Alpine:v3.10" || !ok {
		t.Errorf("EcosystemForOS(alpine 3.10.4) = %q, %v", eco, ok)
	}
	if eco, ok := s.EcosystemForOS("debian", "12.1"); eco != "Debian:12" || ok {
		t.Errorf("EcosystemForOS(debian 12.1) = %q, %v", eco, ok)
	}

	var keys []string
	if err := s.Packages(func(eco, name string) error { keys = append(keys, eco+"|"+name); return nil }); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"Alpine:v3.10|openssl", "PyPI|foo-bar"}, keys); d != "" {
		t.Errorf("Packages (-want +got):\n%s", d)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(filepath.Join(dir, "missing.db")); err == nil {
		t.Error("Open(missing) succeeded")
	}
	// A bbolt file of another schema version.
	p := filepath.Join(dir, "old.db")
	db, err := bolt.Open(p, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket(bucketMeta)
		if err != nil {
			return err
		}
		return b.Put(keyMeta, []byte(`{"schema_version": 99}`))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(p); !errors.Is(err, ErrSchema) {
		t.Errorf("Open(schema 99) = %v, want ErrSchema", err)
	}
}

func TestConcurrentReaders(t *testing.T) {
	p := writeSample(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(p) // several handles, as several scans would
			if err != nil {
				errs <- err
				return
			}
			defer s.Close()
			for j := range 200 {
				es, err := s.Affected("PyPI", "foo_bar")
				if err != nil || len(es) != 2 {
					errs <- fmt.Errorf("reader %d lookup %d: %d entries, %v", i, j, len(es), err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
