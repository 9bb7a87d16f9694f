package build

import (
	"archive/zip"
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/trawlsec/trawl/internal/vulndb/store"
)

func ids(es []store.Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}

func TestBuildMixed(t *testing.T) {
	out := filepath.Join(t.TempDir(), "db", "trawl.db")
	var logs bytes.Buffer
	now := time.Date(2099, 3, 4, 5, 6, 7, 0, time.UTC)
	rep, err := BuildSources(context.Background(), []Source{{Path: "testdata/mixed"}}, out,
		Options{Logger: slog.New(slog.NewTextHandler(&logs, nil)), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Size <= 0 || rep.Path != out || !rep.Metadata.BuiltAt.Equal(now) {
		t.Errorf("report: %+v", rep)
	}
	abs, _ := filepath.Abs("testdata/mixed")
	want := []store.SourceStats{{
		Name: "mixed", Origin: abs, Format: "osv+secdb", Files: 6,
		Read: 8, Kept: 5, Rejected: 1, Withdrawn: 1, NotAffected: 1,
	}}
	got := rep.Metadata.Sources
	if d := cmp.Diff(want, got, cmpopts.IgnoreFields(store.SourceStats{}, "Rejections")); d != "" {
		t.Errorf("source stats (-want +got):\n%s", d)
	}
	// The malformed record is rejected with its file name and the reason.
	if len(got) != 1 || len(got[0].Rejections) != 1 ||
		got[0].Rejections[0].File != filepath.Join("testdata/mixed", "broken.json") ||
		!strings.Contains(got[0].Rejections[0].Reason, "unexpected end of JSON") {
		t.Errorf("rejections: %+v", got)
	}
	if !strings.Contains(logs.String(), "broken.json") {
		t.Errorf("no warning logged for broken.json: %s", logs.String())
	}

	s, err := store.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	lookups := []struct {
		eco, name string
		want      []string
	}{
		{"PyPI", "foo-bar", []string{"GHSA-aaaa-0001"}},
		{"PyPI", "Other.Pkg", []string{"GHSA-aaaa-0001"}},
		{"crates.io", "smallvec", []string{"RUSTSEC-2099-0001"}}, // unknown fields: kept
		{"Go", "example.com/gone", nil},                          // withdrawn: dropped
		{"Alpine:v3.10", "openssl", []string{"CVE-2019-1547", "CVE-2099-0001"}},
	}
	for _, l := range lookups {
		es, err := s.Affected(l.eco, l.name)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(l.want, ids(es)); d != "" {
			t.Errorf("Affected(%s, %s) (-want +got):\n%s", l.eco, l.name, d)
		}
	}
	// Same id from two files: entries of both kept, the newer details win,
	// aliases merged.
	d, err := s.Details("GHSA-aaaa-0001")
	if err != nil || d == nil {
		t.Fatalf("Details: %v, %v", d, err)
	}
	if d.Summary != "new summary" || !cmp.Equal(d.Aliases, []string{"PYSEC-2099-1", "CVE-2099-0001"}) {
		t.Errorf("merged details: summary %q aliases %v", d.Summary, d.Aliases)
	}
	if al, _ := s.Aliased("CVE-2099-0001"); !cmp.Equal(al, []string{"GHSA-aaaa-0001"}) {
		t.Errorf("Aliased(CVE-2099-0001) = %v", al)
	}
}

func TestBuildFailureKeepsOldDB(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "trawl.db")
	if _, err := Build(context.Background(), []string{"testdata/mixed"}, out, nil); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Build(context.Background(), []string{"testdata/mixed", "testdata/does-not-exist"}, out, nil)
	if err == nil || !strings.Contains(err.Error(), "does-not-exist") {
		t.Fatalf("Build with a missing source = %v", err)
	}
	// A cancelled build fails too.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Build(ctx, []string{"testdata/mixed"}, out, nil); err == nil {
		t.Fatal("cancelled build succeeded")
	}
	after, err := os.ReadFile(out)
	if err != nil || !bytes.Equal(before, after) {
		t.Fatalf("old database changed or lost: %v", err)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("left-over files: %v", ents)
	}
	if _, err := Build(context.Background(), nil, out, nil); err == nil {
		t.Error("Build without sources succeeded")
	}
}

func TestBuildZipSource(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "PyPI")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"GHSA-1.json", "GHSA-1-newer.yaml", "broken.json"} {
		data, err := os.ReadFile(filepath.Join("testdata/mixed", name))
		if err != nil {
			t.Fatal(err)
		}
		w, _ := zw.Create(name)
		w.Write(data)
	}
	zw.Close()
	zp := filepath.Join(dir, "all.zip")
	if err := os.WriteFile(zp, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "trawl.db")
	rep, err := Build(context.Background(), []string{zp}, out, nil)
	if err != nil {
		t.Fatal(err)
	}
	st := rep.Metadata.Sources[0]
	if st.Name != "PyPI" || st.Read != 3 || st.Kept != 2 || st.Rejected != 1 ||
		st.Rejections[0].File != zp+"!broken.json" {
		t.Errorf("zip source stats: %+v", st)
	}
}

func TestWriteAtomicRefusesNonRegularFiles(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "db-link")
	if err := os.Symlink(filepath.Join(dir, "elsewhere"), link); err != nil {
		t.Fatal(err)
	}
	// A dangling symlink and a directory are refused.
	for _, out := range []string{dir, link} {
		if err := WriteAtomic(context.Background(), out, &store.Contents{}); err == nil {
			t.Errorf("WriteAtomic(%s) replaced a non-regular file", out)
		}
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Error("the symlink is gone")
	}
}
