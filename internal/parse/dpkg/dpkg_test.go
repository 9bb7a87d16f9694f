package dpkg

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/pkg/model"
)

func TestParse(t *testing.T) {
	tests := []struct {
		file string
		want []model.Package
		// wantWarn holds one substring per expected warning, in order.
		wantWarn []string
	}{
		{
			// Six stanzas: login is "deinstall ok config-files" and oldpkg
			// "install ok not-installed", so four packages remain.
			file: "status",
			want: []model.Package{
				{
					ID: "libc6@2.36-9+deb12u10", Name: "libc6", Version: "2.36", Release: "9+deb12u10",
					Arch: "amd64", SrcName: "glibc", SrcVersion: "2.36", SrcRelease: "9+deb12u10",
					Maintainer: "GNU Libc Maintainers <debian-glibc@lists.debian.org>",
					DependsOn:  []string{"libgcc-s1@12.2.0-14"},
				},
				{
					ID: "libgcc-s1@12.2.0-14", Name: "libgcc-s1", Version: "12.2.0", Release: "14",
					Arch: "amd64", SrcName: "gcc-12", SrcVersion: "12.2.0", SrcRelease: "14",
					Maintainer: "Debian GCC Maintainers <debian-gcc@lists.debian.org>",
					DependsOn:  []string{"libc6@2.36-9+deb12u10"},
				},
				{
					// "hold ok installed" is installed; Source carries its own
					// version with an epoch; "libgcc-s1:amd64" resolves.
					ID: "passwd@1:4.13+dfsg1-1+b1", Name: "passwd", Version: "4.13+dfsg1", Release: "1+b1", Epoch: 1,
					Arch: "amd64", SrcName: "shadow", SrcVersion: "4.13+dfsg1", SrcRelease: "1", SrcEpoch: 1,
					Maintainer: "Shadow package maintainers <pkg-shadow-devel@lists.alioth.debian.org>",
					DependsOn:  []string{"libc6@2.36-9+deb12u10", "libgcc-s1@12.2.0-14"},
				},
				{
					ID: "tzdata@2025b-0+deb12u1", Name: "tzdata", Version: "2025b", Release: "0+deb12u1",
					Arch: "all", SrcName: "tzdata", SrcVersion: "2025b", SrcRelease: "0+deb12u1",
				},
			},
		},
		{
			file: "corrupt",
			want: []model.Package{
				{
					ID: "zlib1g@1:1.2.13.dfsg-1", Name: "zlib1g", Version: "1.2.13.dfsg", Release: "1", Epoch: 1,
					Arch: "amd64", SrcName: "zlib", SrcVersion: "1.2.13.dfsg", SrcRelease: "1", SrcEpoch: 1,
				},
				{
					ID: "sed@4.9-1", Name: "sed", Version: "4.9", Release: "1",
					Arch: "amd64", SrcName: "sed", SrcVersion: "4.9", SrcRelease: "1",
				},
			},
			wantWarn: []string{
				"line 1: continuation line 1 outside a field",
				`line 11: package "noversion" has no Version`,
				"line 14: stanza without a Package field",
				`line 17: package "badversion" has an invalid version "1:5.#"`,
				`line 21: package "badsource" has an invalid source version "a:b:c"`,
				"line 26: malformed field line 28",
			},
		},
		{
			// distroless status.d file: a control file without Status.
			file: "status.d-base-files",
			want: []model.Package{{
				ID: "base-files@12.4+deb12u6", Name: "base-files", Version: "12.4+deb12u6", Arch: "amd64",
				SrcName: "base-files", SrcVersion: "12.4+deb12u6",
				Maintainer: "Santiago Vila <sanvila@debian.org>",
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, warns, err := Parse(f)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("packages (-want +got):\n%s", diff)
			}
			if len(warns) != len(tt.wantWarn) {
				t.Fatalf("got %d warnings %v, want %d", len(warns), warns, len(tt.wantWarn))
			}
			for i, w := range warns {
				if !strings.Contains(w.String(), tt.wantWarn[i]) {
					t.Errorf("warning %d = %q, want it to contain %q", i, w, tt.wantWarn[i])
				}
			}
		})
	}
}

func TestParseEdgeCases(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		wantNames []string
		wantWarns int
	}{
		{name: "empty", in: "", wantNames: nil},
		{name: "only blank lines", in: "\n\n  \n", wantNames: nil},
		{name: "CRLF line ends", in: "Package: a\r\nVersion: 1.0\r\n\r\nPackage: b\r\nVersion: 2.0\r\n", wantNames: []string{"a", "b"}},
		{name: "no trailing newline", in: "Package: a\nVersion: 1.0", wantNames: []string{"a"}},
		{name: "field names are case-insensitive", in: "package: a\nVERSION: 1.0\n", wantNames: []string{"a"}},
		{name: "duplicate stanza", in: "Package: a\nVersion: 1.0\n\nPackage: a\nVersion: 1.0\n", wantNames: []string{"a"}, wantWarns: 1},
		{name: "purge wanted", in: "Package: a\nStatus: purge ok installed\nVersion: 1.0\n", wantNames: nil},
		{name: "unpacked counts", in: "Package: a\nStatus: install ok unpacked\nVersion: 1.0\n", wantNames: []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, warns, err := Parse(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, p := range got {
				names = append(names, p.Name)
			}
			if diff := cmp.Diff(tt.wantNames, names); diff != "" {
				t.Errorf("names (-want +got):\n%s", diff)
			}
			if len(warns) != tt.wantWarns {
				t.Errorf("got warnings %v, want %d", warns, tt.wantWarns)
			}
		})
	}
}

func TestParseLineTooLong(t *testing.T) {
	in := "Package: a\nDescription: " + strings.Repeat("x", maxLine+1) + "\n"
	if _, _, err := Parse(strings.NewReader(in)); err == nil {
		t.Fatal("Parse of an over-long line succeeded, want error")
	}
}

func TestParseList(t *testing.T) {
	f, err := os.Open("testdata/tar.list")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := ParseList(f)
	if err != nil {
		t.Fatal(err)
	}
	// Directories (/bin, /usr, /usr/sbin, /usr/share, …) are prefixes of the
	// next line and are dropped; "/." is skipped.
	want := []string{
		"bin/tar",
		"usr/sbin/rmt-tar",
		"usr/sbin/tarcat",
		"usr/share/doc/tar/copyright",
		"etc/rmt",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseList (-want +got):\n%s", diff)
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"status", "corrupt", "status.d-base-files"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		pkgs, _, err := Parse(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, p := range pkgs {
			if p.Name == "" || p.Version == "" || p.ID == "" {
				t.Fatalf("package without name/version/ID: %+v", p)
			}
			if !strings.HasPrefix(p.ID, p.Name+"@") {
				t.Fatalf("ID %q does not start with name %q", p.ID, p.Name)
			}
		}
	})
}

func FuzzParseList(f *testing.F) {
	b, err := os.ReadFile("testdata/tar.list")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		files, err := ParseList(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, p := range files {
			if p == "" || strings.HasPrefix(p, "/") {
				t.Fatalf("bad path %q", p)
			}
		}
	})
}

func TestParseCopyright(t *testing.T) {
	tests := []struct {
		file string
		want []string
	}{
		// Four License: fields; "Zlib," splits to Zlib and an empty name,
		// and repeats are dropped.
		{"copyright-dep5", []string{"Zlib", "GPL-1+", "Artistic", "BSD-4-clause"}},
		// Free text pointing at the common licence; the closing quote and
		// full stop are not part of the name.
		{"copyright-common", []string{"GPL-3"}},
		{"copyright-none", nil},
		// A free-form file (python3.11's): License: lines that are
		// sentences give nothing ("Redistribution", "its", "with", …
		// before), short names, common-licenses references and the PSF
		// licence's title line count.
		{"copyright-freeform", []string{"PSF-2", "Apache-2.0", "LGPLv3+", "GPLv2+", "CC0", "GPL-2"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := ParseCopyright(f)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseCopyright (-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzParseCopyright(f *testing.F) {
	for _, name := range []string{"copyright-dep5", "copyright-common", "copyright-none", "copyright-freeform"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := ParseCopyright(bytes.NewReader(data))
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, l := range got {
			if l == "" || seen[l] {
				t.Fatalf("empty or duplicate licence in %q", got)
			}
			seen[l] = true
		}
	})
}
