package apk

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/pkg/model"
)

func TestParse(t *testing.T) {
	f, err := os.Open("testdata/installed")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, warns, err := Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	// Digests: the C: values without "Q1", base64-decoded, in hex
	// (python3 -c 'import base64; print(base64.b64decode("1Ing8/u1VIdY9czSxaDO9wJg72I=").hex())').
	want := []model.Package{
		{
			ID: "musl@1.1.22-r3", Name: "musl", Version: "1.1.22-r3", Arch: "x86_64",
			SrcName: "musl", SrcVersion: "1.1.22-r3", Licenses: []string{"MIT"},
			Maintainer:     "Timo Teräs <timo.teras@iki.fi>",
			Digest:         "sha1:d489e0f3fbb5548758f5ccd2c5a0cef70260ef62",
			InstalledFiles: []string{"lib/libc.musl-x86_64.so.1", "lib/ld-musl-x86_64.so.1"},
		},
		{
			// D: so:libc… is provided by musl (p:); !libressl is a conflict.
			ID: "libcrypto1.1@1.1.1d-r2", Name: "libcrypto1.1", Version: "1.1.1d-r2", Arch: "x86_64",
			SrcName: "openssl", SrcVersion: "1.1.1d-r2", Licenses: []string{"OpenSSL"},
			Maintainer:     "Timo Teras <timo.teras@iki.fi>",
			Digest:         "sha1:c7a585471b4214e244255c5ddd7e377204ca8994",
			DependsOn:      []string{"musl@1.1.22-r3"},
			InstalledFiles: []string{"lib/libcrypto.so.1.1", "usr/lib/engines-1.1/afalg.so"},
		},
		{
			// No o: line, so no source package; "MPL 2.0" joins into one name.
			ID: "ssl_client@1.30.1-r3", Name: "ssl_client", Version: "1.30.1-r3", Arch: "x86_64",
			Licenses:  []string{"Apache-2.0", "MIT", "MPL2.0"},
			DependsOn: []string{"libcrypto1.1@1.1.1d-r2", "musl@1.1.22-r3"},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
	wantWarn := []string{
		`line 21: package "noversion" has no version`,
		`line 37: package "badversion" has an invalid version "1.0-rX!"`,
		`line 46: malformed line 46`,
	}
	if len(warns) != len(wantWarn) {
		t.Fatalf("warnings = %v, want %d", warns, len(wantWarn))
	}
	for i, w := range warns {
		if !strings.Contains(w.String(), wantWarn[i]) {
			t.Errorf("warning %d = %q, want it to contain %q", i, w, wantWarn[i])
		}
	}
}

func TestParseEdgeCases(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		wantIDs   []string
		wantWarns int
	}{
		{name: "empty", in: ""},
		{name: "no trailing blank line", in: "P:a\nV:1.0-r0", wantIDs: []string{"a@1.0-r0"}},
		{name: "CRLF", in: "P:a\r\nV:1.0-r0\r\n\r\nP:b\r\nV:2-r1\r\n", wantIDs: []string{"a@1.0-r0", "b@2-r1"}},
		{name: "stanza without P", in: "V:1.0-r0\nA:x86_64\n", wantWarns: 1},
		{name: "duplicate", in: "P:a\nV:1.0-r0\n\nP:a\nV:1.0-r0\n", wantIDs: []string{"a@1.0-r0"}, wantWarns: 1},
		{name: "bad checksum ignored", in: "C:Q1!!!\nP:a\nV:1.0-r0\n", wantIDs: []string{"a@1.0-r0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, warns, err := Parse(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, p := range got {
				ids = append(ids, p.ID)
			}
			if diff := cmp.Diff(tt.wantIDs, ids); diff != "" {
				t.Errorf("IDs (-want +got):\n%s", diff)
			}
			if len(warns) != tt.wantWarns {
				t.Errorf("warnings = %v, want %d", warns, tt.wantWarns)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	b, err := os.ReadFile("testdata/installed")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte("P:a\nV:1.0-r0\nF:/\nR:../x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		pkgs, _, err := Parse(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, p := range pkgs {
			if p.Name == "" || p.Version == "" || p.ID != p.Name+"@"+p.Version {
				t.Fatalf("inconsistent package %+v", p)
			}
			for _, f := range p.InstalledFiles {
				if strings.HasPrefix(f, "/") {
					t.Fatalf("absolute installed file %q", f)
				}
			}
		}
	})
}
