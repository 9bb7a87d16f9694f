package rpm

import (
	"bytes"
	"database/sql"
	"encoding/binary"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/pkg/model"
)

var update = flag.Bool("update", false, "rewrite testdata/rpmdb.sqlite from fixturePackages")

// RPM header tags and types (rpm's lib/rpmtag.h).
const (
	tagSigMD5     = 261
	tagName       = 1000
	tagVersion    = 1001
	tagRelease    = 1002
	tagEpoch      = 1003
	tagVendor     = 1011
	tagLicense    = 1014
	tagArch       = 1022
	tagSourceRPM  = 1044
	tagProvides   = 1047
	tagRequires   = 1049
	tagDirIndexes = 1116
	tagBaseNames  = 1117
	tagDirNames   = 1118

	typeInt32       = 4
	typeString      = 6
	typeBin         = 7
	typeStringArray = 8
)

type entry struct {
	tag, typ, count int32
	data            []byte
}

func str(tag int32, s string) entry { return entry{tag, typeString, 1, []byte(s + "\x00")} }

func strs(tag int32, ss ...string) entry {
	return entry{tag, typeStringArray, int32(len(ss)), []byte(strings.Join(ss, "\x00") + "\x00")}
}

func i32s(tag int32, vs ...int32) entry {
	b := make([]byte, 4*len(vs))
	for i, v := range vs {
		binary.BigEndian.PutUint32(b[4*i:], uint32(v))
	}
	return entry{tag, typeInt32, int32(len(vs)), b}
}

func bin(tag int32, b []byte) entry { return entry{tag, typeBin, int32(len(b)), b} }

// header encodes a legacy (region-less) RPM header blob as stored in the
// SQLite Packages table: big-endian index count and data length, the index
// entries, then the data store, each INT32 entry 4-byte aligned.
func header(entries ...entry) []byte {
	var data []byte
	var index bytes.Buffer
	for _, e := range entries {
		if e.typ == typeInt32 {
			for len(data)%4 != 0 {
				data = append(data, 0)
			}
		}
		for _, v := range []int32{e.tag, e.typ, int32(len(data)), e.count} {
			binary.Write(&index, binary.BigEndian, v)
		}
		data = append(data, e.data...)
	}
	var out bytes.Buffer
	binary.Write(&out, binary.BigEndian, int32(len(entries)))
	binary.Write(&out, binary.BigEndian, int32(len(data)))
	out.Write(index.Bytes())
	out.Write(data)
	return out.Bytes()
}

// fixturePackages are the headers of testdata/rpmdb.sqlite.
func fixturePackages() [][]byte {
	return [][]byte{
		header(
			str(tagName, "bash"), str(tagVersion, "5.1.8"), str(tagRelease, "6.el9"),
			str(tagArch, "x86_64"), str(tagSourceRPM, "bash-5.1.8-6.el9.src.rpm"),
			str(tagVendor, "Red Hat, Inc."), str(tagLicense, "GPLv3+"),
			bin(tagSigMD5, []byte{0xde, 0xad, 0xbe, 0xef}),
			strs(tagProvides, "bash", "/bin/sh"), strs(tagRequires, "libc.so.6()(64bit)", "/bin/sh"),
			i32s(tagDirIndexes, 0, 1), strs(tagBaseNames, "bash", "bash"), strs(tagDirNames, "/usr/bin/", "/usr/share/doc/bash/"),
		),
		header(
			str(tagName, "glibc"), i32s(tagEpoch, 1), str(tagVersion, "2.34"), str(tagRelease, "60.el9"),
			str(tagArch, "x86_64"), str(tagSourceRPM, "glibc-2.34-60.el9.src.rpm"),
			str(tagVendor, "Red Hat, Inc."), str(tagLicense, "LGPLv2+ and GPLv2+"),
			strs(tagProvides, "libc.so.6()(64bit)"),
		),
		header(
			// Third-party: its files are not OS-owned; no arch, no source.
			str(tagName, "acme-agent"), i32s(tagEpoch, 2), str(tagVersion, "1.0"), str(tagRelease, "1"),
			str(tagSourceRPM, "(none)"), str(tagVendor, "Acme Corp"),
			i32s(tagDirIndexes, 0), strs(tagBaseNames, "agent"), strs(tagDirNames, "/opt/acme/"),
		),
		header(
			str(tagName, "odd"), str(tagVersion, "1"), str(tagRelease, "1"), str(tagArch, "noarch"),
			str(tagSourceRPM, "odd"),
		),
	}
}

func writeSQLite(t testing.TB, path string, blobs [][]byte) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for _, b := range blobs {
		if _, err := db.Exec(`INSERT INTO Packages (blob) VALUES (?)`, b); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(`PRAGMA journal_mode=DELETE`); err != nil {
		t.Fatal(err)
	}
}

func TestUpdateFixture(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rewrite testdata/rpmdb.sqlite")
	}
	p := filepath.Join("testdata", "rpmdb.sqlite")
	os.Remove(p)
	writeSQLite(t, p, fixturePackages())
}

func TestParse(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "rpmdb.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, warns, err := Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	want := []model.Package{
		{
			ID: "bash@5.1.8-6.el9.x86_64", Name: "bash", Version: "5.1.8", Release: "6.el9", Arch: "x86_64",
			SrcName: "bash", SrcVersion: "5.1.8", SrcRelease: "6.el9",
			Licenses: []string{"GPLv3+"}, Maintainer: "Red Hat, Inc.", Digest: "md5:deadbeef",
			// Requires libc.so.6()(64bit), provided by glibc; /bin/sh is its own.
			DependsOn:      []string{"glibc@2.34-60.el9.x86_64"},
			InstalledFiles: []string{"usr/bin/bash", "usr/share/doc/bash/bash"},
		},
		{
			ID: "glibc@2.34-60.el9.x86_64", Name: "glibc", Version: "2.34", Release: "60.el9", Epoch: 1, Arch: "x86_64",
			SrcName: "glibc", SrcVersion: "2.34", SrcRelease: "60.el9", SrcEpoch: 1,
			Licenses: []string{"LGPLv2+ and GPLv2+"}, Maintainer: "Red Hat, Inc.",
		},
		{
			ID: "acme-agent@1.0-1.", Name: "acme-agent", Version: "1.0", Release: "1", Epoch: 2, SrcEpoch: 2,
			Arch: "None", Maintainer: "Acme Corp",
		},
		{ID: "odd@1-1.noarch", Name: "odd", Version: "1", Release: "1", Arch: "noarch"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
	if len(warns) != 1 || !strings.Contains(warns[0].String(), `package odd: unparsable SOURCERPM "odd"`) {
		t.Errorf("warnings = %v", warns)
	}
}

func TestParseNotADatabase(t *testing.T) {
	for name, in := range map[string][]byte{
		"empty":             nil,
		"text":              []byte("Package: not an rpm database\n"),
		"sqlite magic only": []byte("SQLite format 3\x00garbage"),
		"zeros":             make([]byte, 8192),
	} {
		t.Run(name, func(t *testing.T) {
			if _, _, err := Parse(bytes.NewReader(in)); err == nil {
				t.Error("Parse succeeded, want error")
			}
		})
	}
}

func TestParseSQLiteWithoutPackagesTable(t *testing.T) {
	p := filepath.Join(t.TempDir(), "other.sqlite")
	db, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE Other (x INTEGER)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	before := runtime.NumGoroutine()
	for range 5 {
		if _, _, err := Parse(bytes.NewReader(b)); err == nil || !strings.Contains(err.Error(), "not a readable SQLite rpmdb") {
			t.Fatalf("Parse = %v, want a not-readable error", err)
		}
	}
	time.Sleep(50 * time.Millisecond)
	if after := runtime.NumGoroutine(); after > before+1 {
		t.Errorf("goroutines grew from %d to %d over 5 failed parses", before, after)
	}
}

func TestParseLeavesNoTempFiles(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	b, err := os.ReadFile(filepath.Join("testdata", "rpmdb.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := Parse(bytes.NewReader(b)); err != nil {
		t.Fatal(err)
	}
	left, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 0 {
		t.Errorf("Parse left %d entries in TMPDIR", len(left))
	}
}

func TestSplitFileName(t *testing.T) {
	tests := []struct {
		in             string
		name, ver, rel string
		ok             bool
	}{
		{"glibc-2.17-317.el7.src.rpm", "glibc", "2.17", "317.el7", true},
		{"python3-pip-21.2.3-6.el9.src.rpm", "python3-pip", "21.2.3", "6.el9", true},
		{"nodots-1-1", "", "", "", false},
		{"a.src.rpm", "", "", "", false},
	}
	for _, tt := range tests {
		name, ver, rel, ok := splitFileName(tt.in)
		if name != tt.name || ver != tt.ver || rel != tt.rel || ok != tt.ok {
			t.Errorf("splitFileName(%q) = %q %q %q %v", tt.in, name, ver, rel, ok)
		}
	}
}

func FuzzParse(f *testing.F) {
	b, err := os.ReadFile(filepath.Join("testdata", "rpmdb.sqlite"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte("SQLite format 3\x00"))
	f.Add(make([]byte, 4096))
	f.Fuzz(func(t *testing.T, data []byte) {
		pkgs, _, err := Parse(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, p := range pkgs {
			if !strings.HasPrefix(p.ID, p.Name+"@") {
				t.Fatalf("ID %q does not start with name %q", p.ID, p.Name)
			}
		}
	})
}
