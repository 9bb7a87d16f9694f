package osv

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		file    string
		wantID  string
		wantErr string // substring; "" means success
		check   func(t *testing.T, v *Vulnerability)
	}{
		{file: "go-record.json", wantID: "GO-2099-0001", check: func(t *testing.T, v *Vulnerability) {
			if !v.Modified.IsZero() || v.Published != time.Date(2099, 1, 2, 3, 4, 5, 0, time.UTC) {
				t.Errorf("dates: modified %v published %v", v.Modified, v.Published)
			}
			if len(v.Affected) != 2 || v.Affected[0].Package.Name != "example.com/mod" {
				t.Fatalf("affected: %+v", v.Affected)
			}
			want := []Event{{Introduced: "0"}, {Fixed: "1.2.3"}, {Introduced: "1.3.0"}, {LastAffected: "1.3.4"}}
			if d := cmp.Diff(want, v.Affected[0].Ranges[0].Events); d != "" {
				t.Errorf("events (-want +got):\n%s", d)
			}
			if v.Affected[0].EcosystemSpecific["imports"] == nil || v.Severity[0].Type != "CVSS_V3" {
				t.Errorf("ecosystem_specific/severity lost: %+v", v.Affected[0])
			}
		}},
		{file: "pypi-record.yaml", wantID: "PYSEC-2099-7", check: func(t *testing.T, v *Vulnerability) {
			a := v.Affected[0]
			// Unquoted YAML numbers keep their literal text.
			if d := cmp.Diff([]string{"1.0", "1.10", "1.9.post1"}, a.Versions); d != "" {
				t.Errorf("versions (-want +got):\n%s", d)
			}
			if a.Ranges[0].Events[1].Fixed != "1.10" {
				t.Errorf("fixed = %q", a.Ranges[0].Events[1].Fixed)
			}
			if v.Published != time.Date(2099, 3, 31, 20, 15, 0, 0, time.UTC) || v.Modified.IsZero() {
				t.Errorf("dates: %v %v", v.Published, v.Modified)
			}
		}},
		{file: "unknown-fields.json", wantID: "RUSTSEC-2099-0001"},
		{file: "withdrawn.json", wantID: "GO-2099-0002", check: func(t *testing.T, v *Vulnerability) {
			if !v.IsWithdrawn() {
				t.Error("not withdrawn")
			}
		}},
		{file: "malformed/truncated.json", wantErr: "unexpected end of JSON"},
		{file: "malformed/no-id.json", wantErr: "missing id"},
		{file: "malformed/unknown-range.json", wantErr: `unknown range type "CALVER"`},
		{file: "malformed/two-field-event.json", wantErr: "sets 2 fields"},
		{file: "malformed/no-ecosystem.yaml", wantErr: "has no ecosystem"},
		{file: "malformed/bad-date.json", wantErr: "cannot parse"},
		{file: "malformed/list.yaml", wantErr: "cannot unmarshal"},
		{file: "malformed/no-introduced.json", wantErr: "no introduced event"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			p := filepath.Join("testdata", tt.file)
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			v, err := Decode(p, data)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.Is(err, ErrMalformed) ||
					!strings.Contains(err.Error(), p) {
					t.Fatalf("Decode error = %v, want ErrMalformed naming %s and containing %q", err, p, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if v.ID != tt.wantID {
				t.Errorf("ID = %q, want %q", v.ID, tt.wantID)
			}
			if tt.check != nil {
				tt.check(t, v)
			}
		})
	}
}

func TestDecodeSniffsFormat(t *testing.T) {
	data, err := os.ReadFile("testdata/pypi-record.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if v, err := Decode("no-extension", data); err != nil || v.ID != "PYSEC-2099-7" {
		t.Fatalf("YAML without extension: %v, %v", v, err)
	}
	data, err = os.ReadFile("testdata/go-record.json")
	if err != nil {
		t.Fatal(err)
	}
	if v, err := Decode("no-extension", data); err != nil || v.ID != "GO-2099-0001" {
		t.Fatalf("JSON without extension: %v, %v", v, err)
	}
}

func collect(t *testing.T, root string, lim Limits) ([]File, error) {
	t.Helper()
	var got []File
	err := Walk(context.Background(), root, lim, func(f File) error {
		got = append(got, f)
		return nil
	})
	return got, err
}

func names(fs []File) []string {
	var out []string
	for _, f := range fs {
		out = append(out, filepath.ToSlash(f.Name))
	}
	return out
}

func TestWalkDir(t *testing.T) {
	got, err := collect(t, "testdata/tree", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"testdata/tree/a.json", "testdata/tree/sub/b.yaml", "testdata/tree/sub/c.yml"}
	if d := cmp.Diff(want, names(got)); d != "" {
		t.Errorf("files (-want +got):\n%s", d)
	}
	for _, f := range got {
		if f.Err != nil || len(f.Data) == 0 {
			t.Errorf("%s: %v, %d bytes", f.Name, f.Err, len(f.Data))
		}
	}
	// A single file is a source too; a missing one is an error.
	if got, err := collect(t, "testdata/go-record.json", Limits{}); err != nil || len(got) != 1 {
		t.Errorf("single file: %v, %v", got, err)
	}
	if _, err := collect(t, "testdata/nope", Limits{}); err == nil || !strings.Contains(err.Error(), "testdata/nope") {
		t.Errorf("missing source: %v", err)
	}
	// An oversized file is passed on with an error, not fatal.
	got, err = collect(t, "testdata/tree/a.json", Limits{MaxFileSize: 10})
	if err != nil || len(got) != 1 || !errors.Is(got[0].Err, ErrLimit) {
		t.Errorf("oversized file: %+v, %v", got, err)
	}
}

type entry struct {
	name string
	data []byte
}

func writeZip(t *testing.T, entries []entry) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "all.zip")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestWalkZip(t *testing.T) {
	rec, err := os.ReadFile("testdata/go-record.json")
	if err != nil {
		t.Fatal(err)
	}
	p := writeZip(t, []entry{{"dir/", nil}, {"GO-1.json", rec}, {"notes.txt", []byte("x")}, {"sub/GO-2.yaml", []byte("id: X")},
		{"__MACOSX/._GO-1.json", []byte{0, 5, 22, 7}}, {".git/x.json", nil}})
	got, err := collect(t, p, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.ToSlash(p) + "!GO-1.json", filepath.ToSlash(p) + "!sub/GO-2.yaml"}
	if d := cmp.Diff(want, names(got)); d != "" {
		t.Errorf("entries (-want +got):\n%s", d)
	}
	n, err := VerifyZip(context.Background(), p, Limits{})
	if err != nil || n != 2 {
		t.Errorf("VerifyZip = %d, %v", n, err)
	}
}

func TestWalkZipLimitsAndDamage(t *testing.T) {
	big := bytes.Repeat([]byte("a"), 3<<20) // compresses ~1000:1
	tests := []struct {
		name    string
		entries []entry
		damage  func([]byte) []byte
		lim     Limits
		wantErr string
	}{
		{name: "bomb ratio", entries: []entry{{"a.json", big}}, wantErr: "compression ratio"},
		{name: "entry too large", entries: []entry{{"a.json", []byte(`{"id":"X"}`)}}, lim: Limits{MaxFileSize: 4}, wantErr: "at most 4 allowed"},
		{name: "too many entries", entries: []entry{{"a.json", nil}, {"b.json", nil}, {"c.json", nil}}, lim: Limits{MaxEntries: 2}, wantErr: "3 entries"},
		{name: "total too large", entries: []entry{{"a.json", []byte("0123456789")}, {"b.json", []byte("0123456789")}}, lim: Limits{MaxTotal: 15}, wantErr: "more than 15 bytes"},
		{name: "truncated", entries: []entry{{"a.json", []byte(`{"id":"X"}`)}}, damage: func(b []byte) []byte { return b[:len(b)/2] }, wantErr: "not a valid zip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeZip(t, tt.entries)
			if tt.damage != nil {
				data, _ := os.ReadFile(p)
				if err := os.WriteFile(p, tt.damage(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, err := collect(t, p, tt.lim)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), p) {
				t.Fatalf("Walk error = %v, want one naming %s containing %q", err, p, tt.wantErr)
			}
			if _, err := VerifyZip(context.Background(), p, tt.lim); err == nil {
				t.Error("VerifyZip accepted the archive")
			}
		})
	}
}

func TestWalkZipCRCMismatch(t *testing.T) {
	payload := []byte(`{"id":"GO-2099-0009","summary":"crc"}`)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "a.json", Method: zip.Store})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(payload)
	zw.Close()
	data := bytes.Replace(buf.Bytes(), []byte("crc"), []byte("CRC"), 1) // flip stored bytes
	p := filepath.Join(t.TempDir(), "crc.zip")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := collect(t, p, Limits{})
	if err != nil || len(got) != 1 || got[0].Err == nil || !errors.Is(got[0].Err, zip.ErrChecksum) {
		t.Fatalf("got %+v, %v; want one file with a checksum error", got, err)
	}
	if _, err := VerifyZip(context.Background(), p, Limits{}); !errors.Is(err, zip.ErrChecksum) {
		t.Errorf("VerifyZip = %v, want checksum error", err)
	}
}

func TestWalkCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Walk(ctx, "testdata/tree", Limits{}, func(File) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Walk = %v, want context.Canceled", err)
	}
}

func FuzzDecode(f *testing.F) {
	for _, dir := range []string{"testdata", "testdata/malformed"} {
		ents, err := os.ReadDir(dir)
		if err != nil {
			f.Fatal(err)
		}
		for _, e := range ents {
			if e.IsDir() {
				continue
			}
			data, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				f.Fatal(err)
			}
			f.Add(e.Name(), data)
		}
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		v, err := Decode(name, data)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error does not wrap ErrMalformed: %v", err)
			}
			return
		}
		if v.ID == "" {
			t.Fatal("accepted a record without id")
		}
		if err := Validate(v); err != nil {
			t.Fatalf("Decode accepted what Validate rejects: %v", err)
		}
	})
}

func FuzzWalkZip(f *testing.F) {
	for _, es := range [][]entry{
		{{"a.json", []byte(`{"id":"X"}`)}, {"b/c.yaml", []byte("id: Y")}},
		{{"big.json", bytes.Repeat([]byte("a"), 2<<20)}},
	} {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, e := range es {
			w, _ := zw.Create(e.name)
			w.Write(e.data)
		}
		zw.Close()
		f.Add(buf.Bytes())
	}
	lim := Limits{MaxFileSize: 1 << 20, MaxEntries: 100, MaxTotal: 4 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		var total int
		_ = WalkZip(context.Background(), "fuzz.zip", zr, lim, func(f File) error {
			if f.Err == nil && int64(len(f.Data)) > lim.MaxFileSize {
				t.Fatalf("%s: %d bytes passed the limit", f.Name, len(f.Data))
			}
			total += len(f.Data)
			return nil
		})
		if int64(total) > lim.MaxTotal {
			t.Fatalf("%d bytes passed the total limit", total)
		}
	})
}
