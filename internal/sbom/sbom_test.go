package sbom

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/apply"
	"github.com/trawlsec/trawl/pkg/model"
)

// fixtureInventory is what every testdata fixture (cdx15.json, cdx16.xml,
// spdx23.json, spdx23.spdx) describes.
func fixtureInventory() *apply.Inventory {
	libc := "libc6@2.36-9+deb12u10"
	return &apply.Inventory{
		OS:            &model.OS{Family: "debian", Name: "12.15"},
		OSPackageType: model.TypeDpkg,
		OSPackages: []model.Package{
			{
				ID: libc, Name: "libc6", Version: "2.36", Release: "9+deb12u10", Arch: "amd64",
				SrcName: "glibc", SrcVersion: "2.36", SrcRelease: "9+deb12u10",
				Licenses:   []string{"LGPL-2.1-only"},
				Identifier: model.Identifier{PURL: "pkg:deb/debian/libc6@2.36-9%2Bdeb12u10?arch=amd64&distro=debian-12.15"},
			},
			{
				ID: "perl-base@1:5.36.0-7+deb12u2", Name: "perl-base", Epoch: 1, Version: "5.36.0", Release: "7+deb12u2", Arch: "amd64",
				SrcName: "perl-base", SrcEpoch: 1, SrcVersion: "5.36.0", SrcRelease: "7+deb12u2",
				Identifier: model.Identifier{PURL: "pkg:deb/debian/perl-base@5.36.0-7%2Bdeb12u2?arch=amd64&distro=debian-12.15&epoch=1"},
				DependsOn:  []string{libc},
			},
		},
		Applications: []analyze.PackageSet{
			{Type: model.TypeGoBinary, FilePath: "usr/local/bin/server", Packages: []model.Package{{
				ID: "golang.org/x/net@v0.17.0", Name: "golang.org/x/net", Version: "v0.17.0", Ecosystem: "Go",
				Identifier: model.Identifier{PURL: "pkg:golang/golang.org/x/net@v0.17.0"},
			}}},
			{Type: model.TypeNodePkg, Packages: []model.Package{
				{
					ID: "@types/node@20.11.5", Name: "@types/node", Version: "20.11.5", Ecosystem: "npm",
					Licenses:   []string{"MIT"},
					Identifier: model.Identifier{PURL: "pkg:npm/%40types/node@20.11.5"},
					DependsOn:  []string{"undici-types@5.26.5"},
				},
				{
					ID: "undici-types@5.26.5", Name: "undici-types", Version: "5.26.5", Ecosystem: "npm",
					Identifier: model.Identifier{PURL: "pkg:npm/undici-types@5.26.5"},
				},
			}},
			{Type: model.TypePythonPkg, Packages: []model.Package{{
				ID: "PyYAML@6.0.1", Name: "PyYAML", Version: "6.0.1", Ecosystem: "PyPI",
				Identifier: model.Identifier{PURL: "pkg:pypi/pyyaml@6.0.1"},
			}}},
		},
	}
}

// ignoreBOMRef drops the CycloneDX bom-refs, which SPDX does not have.
var ignoreBOMRef = cmpopts.IgnoreFields(model.Identifier{}, "BOMRef")

func TestDecodeFixtures(t *testing.T) {
	tests := []struct {
		file   string
		format Format
	}{
		{"cdx15.json", FormatCycloneDXJSON},
		{"cdx16.xml", FormatCycloneDXXML},
		{"spdx23.json", FormatSPDXJSON},
		{"spdx23.spdx", FormatSPDXTagValue},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open("testdata/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			inv, format, err := Decode(f, tt.file)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if format != tt.format {
				t.Errorf("format = %q, want %q", format, tt.format)
			}
			warnings := inv.Warnings
			inv.Warnings = nil
			if diff := cmp.Diff(fixtureInventory(), inv, ignoreBOMRef, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("inventory (-want +got):\n%s", diff)
			}
			// The component without a purl and the pkg:generic one.
			if len(warnings) != 2 {
				t.Errorf("warnings = %+v, want 2", warnings)
			}
			for _, w := range warnings {
				if w.Path != tt.file || w.Analyzer != analyzerName {
					t.Errorf("warning %+v does not name the input", w)
				}
			}
		})
	}
}

func TestDecodeCycloneDXKeepsBOMRef(t *testing.T) {
	b, err := os.ReadFile("testdata/cdx15.json")
	if err != nil {
		t.Fatal(err)
	}
	inv, _, err := Decode(bytes.NewReader(b), "cdx15.json")
	if err != nil {
		t.Fatal(err)
	}
	if got := inv.OSPackages[0].Identifier.BOMRef; got != "deb-libc6" {
		t.Errorf("BOMRef = %q, want deb-libc6", got)
	}
}

func TestDecodeAttestations(t *testing.T) {
	bom, err := os.ReadFile("testdata/cdx15.json")
	if err != nil {
		t.Fatal(err)
	}
	spdx, err := os.ReadFile("testdata/spdx23.json")
	if err != nil {
		t.Fatal(err)
	}
	statement := func(predType string, pred []byte) []byte {
		b, err := json.Marshal(map[string]any{
			"_type":         "https://in-toto.io/Statement/v0.1",
			"predicateType": predType,
			"subject":       []any{},
			"predicate":     json.RawMessage(pred),
		})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	envelope := func(payload []byte) []byte {
		b, err := json.Marshal(map[string]any{
			"payloadType": "application/vnd.in-toto+json",
			"payload":     base64.StdEncoding.EncodeToString(payload),
			"signatures":  []any{},
		})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	legacy, err := json.Marshal(map[string]any{"Data": string(bom), "Timestamp": "2026-01-01T00:00:00Z"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		input  []byte
		format Format
	}{
		{"statement-cyclonedx", statement("https://cyclonedx.org/bom", bom), FormatCycloneDXJSON},
		{"envelope-cyclonedx", envelope(statement("https://cyclonedx.org/bom/v1.5", bom)), FormatCycloneDXJSON},
		{"envelope-spdx", envelope(statement("https://spdx.dev/Document", spdx)), FormatSPDXJSON},
		{"cosign-legacy", envelope(statement("cosign.sigstore.dev/attestation/cyclonedx/v1", legacy)), FormatCycloneDXJSON},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv, format, err := Decode(bytes.NewReader(tt.input), tt.name)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if format != tt.format {
				t.Errorf("format = %q, want %q", format, tt.format)
			}
			inv.Warnings = nil
			if diff := cmp.Diff(fixtureInventory(), inv, ignoreBOMRef, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("inventory (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name    string
		input   string
		wantErr error
	}{
		{"empty", "", ErrUnknownFormat},
		{"whitespace", " \n\t", ErrUnknownFormat},
		{"plain-json", `{"name":"x"}`, ErrUnknownFormat},
		{"text", "hello world\n", ErrUnknownFormat},
		{"spdx-xml", `<?xml version="1.0"?><Document><spdxVersion>SPDX-2.3</spdxVersion></Document>`, ErrUnknownFormat},
		{"spdx3", `{"spdxVersion":"SPDX-3.0"}`, errNotSPDX2},
		{"tag-value-spdx1", "SPDXVersion: SPDX-1.2\n", errNotSPDX2},
		{"other-predicate", `{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://slsa.dev/provenance/v1","predicate":{}}`, errNoSBOMPredicate},
		{"other-payload", `{"payloadType":"text/plain","payload":"aGk="}`, errNoSBOMPredicate},
		{"nested-too-deep", nestedEnvelope(maxWrapDepth + 1), ErrUnknownFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Decode(strings.NewReader(tt.input), "in.sbom")
			if err == nil {
				t.Fatal("Decode succeeded, want an error")
			}
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("error %v is not %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), "in.sbom") {
				t.Errorf("error %q does not name the input", err)
			}
		})
	}
	for _, in := range []string{`{"bomFormat":"CycloneDX","components":7}`, `{"spdxVersion":"SPDX-2.3","packages":"x"}`, `<bom><components>`, `{"bomFormat":`} {
		if _, _, err := Decode(strings.NewReader(in), "bad.json"); err == nil {
			t.Errorf("Decode(%q) succeeded, want an error", in)
		}
	}
}

func nestedEnvelope(depth int) string {
	s := `{"bomFormat":"CycloneDX","specVersion":"1.5"}`
	for range depth {
		b, _ := json.Marshal(map[string]string{
			"payloadType": "application/vnd.in-toto+json",
			"payload":     base64.StdEncoding.EncodeToString([]byte(s)),
		})
		s = string(b)
	}
	return s
}

func TestDecodeDistroFallback(t *testing.T) {
	tests := []struct {
		name    string
		purl    string
		wantOS  model.OS
		typ     string
		wantPkg model.Package
	}{
		{
			name:   "deb",
			purl:   "pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12.15",
			wantOS: model.OS{Family: "debian", Name: "12.15"}, typ: model.TypeDpkg,
			wantPkg: model.Package{ID: "bash@5.2.15-2+b2", Name: "bash", Version: "5.2.15", Release: "2+b2", Arch: "amd64",
				SrcName: "bash", SrcVersion: "5.2.15", SrcRelease: "2+b2"},
		},
		{
			name:   "apk",
			purl:   "pkg:apk/alpine/musl@1.1.22-r3?arch=x86_64&distro=3.10.4",
			wantOS: model.OS{Family: "alpine", Name: "3.10.4"}, typ: model.TypeApk,
			wantPkg: model.Package{ID: "musl@1.1.22-r3", Name: "musl", Version: "1.1.22-r3", Arch: "x86_64",
				SrcName: "musl", SrcVersion: "1.1.22-r3"},
		},
		{
			name:   "rpm",
			purl:   "pkg:rpm/redhat/openssl-libs@3.0.7-27.el9?arch=x86_64&epoch=1&distro=redhat-9.4",
			wantOS: model.OS{Family: "redhat", Name: "9.4"}, typ: model.TypeRPM,
			wantPkg: model.Package{ID: "openssl-libs@1:3.0.7-27.el9", Name: "openssl-libs", Epoch: 1, Version: "3.0.7", Release: "27.el9", Arch: "x86_64",
				SrcName: "openssl-libs", SrcEpoch: 1, SrcVersion: "3.0.7", SrcRelease: "27.el9"},
		},
		{
			name:   "sles",
			purl:   "pkg:rpm/sles/zlib@1.2.13-150500.4.3.1?arch=x86_64&distro=sles-15.5",
			wantOS: model.OS{Family: model.FamilySUSE, Name: "15.5"}, typ: model.TypeRPM,
			wantPkg: model.Package{ID: "zlib@1.2.13-150500.4.3.1", Name: "zlib", Version: "1.2.13", Release: "150500.4.3.1", Arch: "x86_64",
				SrcName: "zlib", SrcVersion: "1.2.13", SrcRelease: "150500.4.3.1"},
		},
		{
			name:   "syft-deb-upstream",
			purl:   "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&upstream=glibc&distro=debian-12",
			wantOS: model.OS{Family: "debian", Name: "12"}, typ: model.TypeDpkg,
			wantPkg: model.Package{ID: "libc6@2.36-9+deb12u4", Name: "libc6", Version: "2.36", Release: "9+deb12u4", Arch: "amd64",
				SrcName: "glibc", SrcVersion: "2.36", SrcRelease: "9+deb12u4"},
		},
		{
			name:   "syft-deb-upstream-version",
			purl:   "pkg:deb/ubuntu/libssl3@3.0.2-0ubuntu1.15?arch=amd64&upstream=openssl%401%3A3.0.2-0ubuntu1.15&distro=ubuntu-22.04",
			wantOS: model.OS{Family: "ubuntu", Name: "22.04"}, typ: model.TypeDpkg,
			wantPkg: model.Package{ID: "libssl3@3.0.2-0ubuntu1.15", Name: "libssl3", Version: "3.0.2", Release: "0ubuntu1.15", Arch: "amd64",
				SrcName: "openssl", SrcEpoch: 1, SrcVersion: "3.0.2", SrcRelease: "0ubuntu1.15"},
		},
		{
			name:   "syft-rpm-upstream",
			purl:   "pkg:rpm/opensuse/libz1@1.2.13-150500.4.3.1?arch=x86_64&upstream=zlib-1.2.13-150500.4.3.1.src.rpm&distro=opensuse-leap-15.5",
			wantOS: model.OS{Family: model.FamilyOpenSUSE, Name: "15.5"}, typ: model.TypeRPM,
			wantPkg: model.Package{ID: "libz1@1.2.13-150500.4.3.1", Name: "libz1", Version: "1.2.13", Release: "150500.4.3.1", Arch: "x86_64",
				SrcName: "zlib", SrcVersion: "1.2.13", SrcRelease: "150500.4.3.1"},
		},
		{
			name:   "wolfi",
			purl:   "pkg:apk/wolfi/glibc@2.39-r5?arch=x86_64&upstream=glibc&distro=wolfi-20230201",
			wantOS: model.OS{Family: "wolfi", Name: "20230201"}, typ: model.TypeApk,
			wantPkg: model.Package{ID: "glibc@2.39-r5", Name: "glibc", Version: "2.39-r5", Arch: "x86_64",
				SrcName: "glibc", SrcVersion: "2.39-r5"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := `{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":"x","purl":"` + tt.purl + `"}]}`
			inv, _, err := Decode(strings.NewReader(doc), "bom.json")
			if err != nil {
				t.Fatal(err)
			}
			if inv.OS == nil || *inv.OS != tt.wantOS {
				t.Errorf("OS = %+v, want %+v", inv.OS, tt.wantOS)
			}
			if inv.OSPackageType != tt.typ {
				t.Errorf("OSPackageType = %q, want %q", inv.OSPackageType, tt.typ)
			}
			tt.wantPkg.Identifier.PURL = tt.purl
			if diff := cmp.Diff([]model.Package{tt.wantPkg}, []model.Package(inv.OSPackages), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("packages (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeLanguagePURLs(t *testing.T) {
	tests := []struct {
		purl, name, group string
		wantName, typ     string
		eco               string
		props             string
	}{
		{purl: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", name: "log4j-core", group: "org.apache.logging.log4j",
			wantName: "org.apache.logging.log4j:log4j-core", typ: model.TypeJar, eco: "Maven"},
		{purl: "pkg:golang/github.com/sirupsen/logrus@v1.9.0", name: "github.com/sirupsen/logrus",
			wantName: "github.com/sirupsen/logrus", typ: model.TypeGoModule, eco: "Go"},
		{purl: "pkg:golang/github.com/sirupsen/logrus@v1.9.0", name: "github.com/sirupsen/logrus",
			wantName: "github.com/sirupsen/logrus", typ: model.TypeGoBinary, eco: "Go",
			props: `[{"name":"trawl:FilePath","value":"usr/bin/app"}]`},
		{purl: "pkg:cargo/serde@1.0.188", name: "serde", wantName: "serde", typ: model.TypeCargo, eco: "crates.io"},
		{purl: "pkg:gem/rack@2.2.3", name: "rack", wantName: "rack", typ: model.TypeGemSpec, eco: "RubyGems"},
		{purl: "pkg:composer/monolog/monolog@2.9.1", name: "monolog", group: "monolog", wantName: "monolog/monolog", typ: model.TypeComposer, eco: "Packagist"},
		{purl: "pkg:nuget/Newtonsoft.Json@13.0.1", name: "Newtonsoft.Json", wantName: "Newtonsoft.Json", typ: model.TypeNuget, eco: "NuGet"},
		{purl: "pkg:pub/http@0.13.0", name: "http", wantName: "http", typ: model.TypePub, eco: "Pub"},
		{purl: "pkg:hex/plug@1.14.0", name: "plug", wantName: "plug", typ: model.TypeHex, eco: "Hex"},
		{purl: "pkg:swift/github.com/apple/swift-nio@2.40.0", name: "swift-nio", wantName: "github.com/apple/swift-nio", typ: model.TypeSwift, eco: "SwiftURL"},
		{purl: "pkg:cocoapods/GoogleUtilities@7.5.2#NSData%2Bzlib", name: "GoogleUtilities/NSData+zlib", wantName: "GoogleUtilities/NSData+zlib", typ: model.TypeCocoaPods, eco: "SwiftURL"}, // OSV has no CocoaPods ecosystem: matched in SwiftURL by repository
		{purl: "pkg:conan/openssl@3.0.5", name: "openssl", wantName: "openssl", typ: model.TypeConanLock, eco: "ConanCenter"},
		{purl: "pkg:conda/openssl@3.0.5", name: "openssl", wantName: "openssl", typ: model.TypeConda, eco: ""},
		{purl: "pkg:pypi/django@4.2.1", name: "Django", wantName: "Django", typ: model.TypePip, eco: "PyPI",
			props: `[{"name":"aquasecurity:trivy:PkgType","value":"pip"}]`},
		{purl: "pkg:npm/lodash@4.17.21", name: "other", wantName: "lodash", typ: model.TypeNodePkg, eco: "npm"},
	}
	for _, tt := range tests {
		t.Run(tt.purl, func(t *testing.T) {
			props := tt.props
			if props == "" {
				props = "[]"
			}
			doc := `{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":"` + tt.name +
				`","group":"` + tt.group + `","purl":"` + tt.purl + `","properties":` + props + `}]}`
			inv, _, err := Decode(strings.NewReader(doc), "bom.json")
			if err != nil {
				t.Fatal(err)
			}
			if len(inv.Applications) != 1 || len(inv.Applications[0].Packages) != 1 {
				t.Fatalf("applications = %+v, want one package", inv.Applications)
			}
			s := inv.Applications[0]
			p := s.Packages[0]
			if s.Type != tt.typ || p.Name != tt.wantName || p.Ecosystem != tt.eco || p.Identifier.PURL != tt.purl {
				t.Errorf("got type %q name %q ecosystem %q purl %q, want %q %q %q %q",
					s.Type, p.Name, p.Ecosystem, p.Identifier.PURL, tt.typ, tt.wantName, tt.eco, tt.purl)
			}
			if len(inv.OSPackages) != 0 || inv.OS != nil {
				t.Errorf("unexpected OS data: %+v %+v", inv.OS, inv.OSPackages)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	for _, name := range []string{"cdx15.json", "cdx16.xml", "spdx23.json", "spdx23.spdx"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(nestedEnvelope(2)))
	f.Add([]byte("SPDXVersion: SPDX-2.3\nPackageName: a\nSPDXID: SPDXRef-a\nExternalRef: PACKAGE-MANAGER purl pkg:npm/a@1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		inv, _, err := Decode(bytes.NewReader(data), "fuzz")
		if err != nil {
			return
		}
		for _, p := range inv.OSPackages {
			if p.Name == "" || p.ID == "" {
				t.Fatalf("OS package without name or ID: %+v", p)
			}
		}
		for _, s := range inv.Applications {
			if s.Type == "" {
				t.Fatalf("package set without a type: %+v", s)
			}
			for _, p := range s.Packages {
				if p.Name == "" || p.ID == "" || p.Identifier.PURL == "" {
					t.Fatalf("package without name, ID or purl: %+v", p)
				}
			}
		}
	})
}
