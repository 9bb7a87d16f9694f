package store

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/trawlsec/trawl/internal/vulndb/osv"
)

// TestVulnValueFormats checks that long details are stored compressed,
// short ones as is, and both decode to the record; and that a value
// whose declared size disagrees with its frame is refused.
func TestVulnValueFormats(t *testing.T) {
	for _, tc := range []struct {
		details string
		format  byte
	}{
		{"short", vulnPlain},
		{strings.Repeat("a heap overflow in the parser ", 40), vulnZstd},
	} {
		v := &osv.Vulnerability{ID: "X-1", Details: tc.details, Aliases: []string{"CVE-1"}}
		raw, err := encodeVuln(v)
		if err != nil {
			t.Fatal(err)
		}
		if raw[0] != tc.format {
			t.Errorf("%d bytes of details stored in format %d, want %d", len(tc.details), raw[0], tc.format)
		}
		got, err := decodeVuln(string(raw))
		if err != nil || got.Details != tc.details || got.ID != "X-1" {
			t.Errorf("decode: %+v, %v", got, err)
		}
		if tc.format == vulnZstd {
			bad := append([]byte{vulnZstd, 5}, raw[2:]...) // wrong declared size
			if _, err := decodeVuln(string(bad)); err == nil {
				t.Error("value with a wrong declared size decoded")
			}
		}
	}
	if _, err := decodeVuln("\x07abc"); err == nil {
		t.Error("unknown format decoded")
	}
}

// TestOpenSchema2 checks that a database of schema 2 (uncompressed vuln
// values without a format byte) is refused, never misread.
func TestOpenSchema2(t *testing.T) {
	p := filepath.Join(t.TempDir(), "v2.db")
	db, err := bolt.Open(p, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket(bucketMeta)
		if err != nil {
			return err
		}
		return b.Put(keyMeta, []byte(`{"schema_version": 2}`))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(p)
	if !errors.Is(err, ErrSchema) || !strings.Contains(err.Error(), "rebuild the DB") {
		t.Errorf("Open(schema 2) = %v, want ErrSchema saying to rebuild", err)
	}
}

// FuzzDecodeVulnValue checks that arbitrary vuln values, compressed or
// not, are decoded or refused, never a panic or an unbounded allocation.
func FuzzDecodeVulnValue(f *testing.F) {
	for _, d := range []string{"x", strings.Repeat("details ", 100)} {
		raw, _ := encodeVuln(&osv.Vulnerability{ID: "X-1", Details: d, References: []osv.Reference{{Type: "WEB", URL: "https://x"}}})
		f.Add(raw)
	}
	f.Add([]byte{vulnZstd, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = decodeVuln(string(data))
	})
}

// FuzzSortKey checks that nextField splits what appendField joined, and
// refuses or splits anything else without a panic.
func FuzzSortKey(f *testing.F) {
	f.Add("PyPI\x00foo", "GHSA-1", []byte("a\x00\x01"))
	f.Fuzz(func(t *testing.T, a, b string, junk []byte) {
		key := appendField(appendField(nil, a), b)
		fa, rest, err := nextField(key)
		if err != nil || string(fa) != a {
			t.Fatalf("first field of %q: %q, %v", key, fa, err)
		}
		fb, rest, err := nextField(rest)
		if err != nil || string(fb) != b || len(rest) != 0 {
			t.Fatalf("second field of %q: %q, %q, %v", key, fb, rest, err)
		}
		_, _, _ = nextField(junk)
	})
}

// BenchmarkDecodeVuln measures decoding a details value of a typical size
// (about 2 KiB of details, ten references) stored as is and compressed.
func BenchmarkDecodeVuln(b *testing.B) {
	v := &osv.Vulnerability{ID: "GHSA-xxxx-yyyy-zzzz", Aliases: []string{"CVE-2024-1234"},
		Summary: "Heap overflow in the request parser",
		Details: strings.Repeat("A crafted request header makes the parser read past the end of its buffer. ", 27)}
	for i := range 10 {
		v.References = append(v.References, osv.Reference{Type: "WEB", URL: "https://example.com/advisories/" + strings.Repeat("x", i+20)})
	}
	plain, err := encodeVulnFields(v)
	if err != nil {
		b.Fatal(err)
	}
	z, err := encodeVuln(v)
	if err != nil || z[0] != vulnZstd {
		b.Fatal("not compressed", err)
	}
	for _, bc := range []struct {
		name string
		raw  string
	}{{"plain", string(append([]byte{vulnPlain}, plain...))}, {"zstd", string(z)}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := decodeVuln(bc.raw); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(bc.raw)), "bytes")
		})
	}
}
