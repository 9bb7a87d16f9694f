package purl

import (
	"testing"

	packageurl "github.com/package-url/packageurl-go"

	"github.com/trawlsec/trawl/pkg/model"
)

// The expected strings follow the purl spec (PURL-TYPES) and the form Trivy
// writes in its JSON reports: qualifiers sorted by key, "+" in versions
// percent-encoded, the npm scope's "@" encoded as %40, the epoch in an
// "epoch" qualifier rather than in the version.
func TestForPackage(t *testing.T) {
	debian := &model.OS{Family: model.FamilyDebian, Name: "12.15"}
	ubuntu := &model.OS{Family: model.FamilyUbuntu, Name: "18.04"}
	alpine := &model.OS{Family: model.FamilyAlpine, Name: "3.10.4"}
	centos := &model.OS{Family: model.FamilyCentOS, Name: "7.9.2009"}
	sles := &model.OS{Family: model.FamilySUSE, Name: "15.3"}

	tests := []struct {
		name    string
		pkgType string
		os      *model.OS
		pkg     model.Package
		want    string
	}{
		{
			name: "deb with revision", pkgType: model.TypeDpkg, os: debian,
			pkg:  model.Package{Name: "libc6", Version: "2.36", Release: "9+deb12u10", Arch: "amd64"},
			want: "pkg:deb/debian/libc6@2.36-9%2Bdeb12u10?arch=amd64&distro=debian-12.15",
		},
		{
			name: "deb with epoch", pkgType: model.TypeDpkg, os: ubuntu,
			pkg:  model.Package{Name: "libgcc1", Version: "5.1.1", Release: "12ubuntu1", Epoch: 1, Arch: "amd64"},
			want: "pkg:deb/ubuntu/libgcc1@5.1.1-12ubuntu1?arch=amd64&distro=ubuntu-18.04&epoch=1",
		},
		{
			name: "deb native version with tilde", pkgType: model.TypeDpkg, os: debian,
			pkg:  model.Package{Name: "docker-ce", Version: "20.10.7~3-0~debian", Release: "buster", Epoch: 5, Arch: "amd64"},
			want: "pkg:deb/debian/docker-ce@20.10.7~3-0~debian-buster?arch=amd64&distro=debian-12.15&epoch=5",
		},
		{
			name: "deb without OS", pkgType: model.TypeDpkg, os: nil,
			pkg:  model.Package{Name: "tar", Version: "1.29b", Release: "2", Arch: "amd64"},
			want: "pkg:deb/tar@1.29b-2?arch=amd64",
		},
		{
			name: "apk", pkgType: model.TypeApk, os: alpine,
			pkg:  model.Package{Name: "musl", Version: "1.1.22-r3", Arch: "x86_64"},
			want: "pkg:apk/alpine/musl@1.1.22-r3?arch=x86_64&distro=3.10.4",
		},
		{
			name: "apk name lower-cased", pkgType: model.TypeApk, os: alpine,
			pkg:  model.Package{Name: "Py3-Foo", Version: "1.0-r0", Arch: "x86_64"},
			want: "pkg:apk/alpine/py3-foo@1.0-r0?arch=x86_64&distro=3.10.4",
		},
		{
			name: "rpm", pkgType: model.TypeRPM, os: centos,
			pkg:  model.Package{Name: "openssl-libs", Version: "1.0.2k", Release: "19.el7", Epoch: 1, Arch: "x86_64"},
			want: "pkg:rpm/centos/openssl-libs@1.0.2k-19.el7?arch=x86_64&distro=centos-7.9.2009&epoch=1",
		},
		{
			name: "rpm on SLES uses sles", pkgType: model.TypeRPM, os: sles,
			pkg:  model.Package{Name: "bash", Version: "4.4", Release: "19.6.1", Arch: "x86_64"},
			want: "pkg:rpm/sles/bash@4.4-19.6.1?arch=x86_64&distro=sles-15.3",
		},
		{
			name: "npm scoped", pkgType: model.TypeNpm,
			pkg:  model.Package{Name: "@babel/Core", Version: "7.0.0"},
			want: "pkg:npm/%40babel/core@7.0.0",
		},
		{
			name: "node-pkg plain", pkgType: model.TypeNodePkg,
			pkg:  model.Package{Name: "express", Version: "4.17.1"},
			want: "pkg:npm/express@4.17.1",
		},
		{
			name: "pypi normalised", pkgType: model.TypePythonPkg,
			pkg:  model.Package{Name: "Django_REST_Framework", Version: "3.0"},
			want: "pkg:pypi/django-rest-framework@3.0",
		},
		{
			name: "golang lower-cased", pkgType: model.TypeGoBinary,
			pkg:  model.Package{Name: "github.com/Azure/go-autorest", Version: "v14.2.0+incompatible"},
			want: "pkg:golang/github.com/azure/go-autorest@v14.2.0%2Bincompatible",
		},
		{
			name: "golang local replace has no purl", pkgType: model.TypeGoModule,
			pkg:  model.Package{Name: "./local/mod", Version: ""},
			want: "",
		},
		{
			name: "maven", pkgType: model.TypeJar,
			pkg:  model.Package{Name: "com.fasterxml.jackson.core:jackson-databind", Version: "2.14.0"},
			want: "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.14.0",
		},
		{
			name: "gradle is maven", pkgType: model.TypeGradle,
			pkg:  model.Package{Name: "junit:junit", Version: "4.13"},
			want: "pkg:maven/junit/junit@4.13",
		},
		{
			name: "composer", pkgType: model.TypeComposer,
			pkg:  model.Package{Name: "symfony/console", Version: "v5.0.0"},
			want: "pkg:composer/symfony/console@v5.0.0",
		},
		{
			name: "cocoapods subspec", pkgType: model.TypeCocoaPods,
			pkg: model.Package{Name: "GoogleUtilities/NSData+zlib", Version: "7.5.2"},
			// packageurl-go percent-encodes "+" in subpath segments.
			want: "pkg:cocoapods/GoogleUtilities@7.5.2#NSData%2Bzlib",
		},
		{
			name: "swift", pkgType: model.TypeSwift,
			pkg:  model.Package{Name: "github.com/apple/swift-atomics", Version: "1.1.0"},
			want: "pkg:swift/github.com/apple/swift-atomics@1.1.0",
		},
		{name: "cargo", pkgType: model.TypeCargo, pkg: model.Package{Name: "serde", Version: "1.0.0"}, want: "pkg:cargo/serde@1.0.0"},
		{name: "gem", pkgType: model.TypeBundler, pkg: model.Package{Name: "rack", Version: "2.0.0"}, want: "pkg:gem/rack@2.0.0"},
		{name: "nuget", pkgType: model.TypeNuget, pkg: model.Package{Name: "Newtonsoft.Json", Version: "13.0.1"}, want: "pkg:nuget/Newtonsoft.Json@13.0.1"},
		{name: "conan", pkgType: model.TypeConanLock, pkg: model.Package{Name: "zlib", Version: "1.2.13"}, want: "pkg:conan/zlib@1.2.13"},
		{name: "pub", pkgType: model.TypePub, pkg: model.Package{Name: "http", Version: "0.13.0"}, want: "pkg:pub/http@0.13.0"},
		{name: "hex", pkgType: model.TypeHex, pkg: model.Package{Name: "phoenix", Version: "1.7.0"}, want: "pkg:hex/phoenix@1.7.0"},
		{name: "conda", pkgType: model.TypeConda, pkg: model.Package{Name: "openssl", Version: "1.1.1q"}, want: "pkg:conda/openssl@1.1.1q"},
		{name: "julia", pkgType: model.TypeJulia, pkg: model.Package{ID: "44CFE95A-1EB2-52EA-B672-E2AFDF69B78F", Name: "Pkg", Version: "1.8.0"},
			want: "pkg:julia/Pkg@1.8.0?uuid=44cfe95a-1eb2-52ea-b672-e2afdf69b78f"},
		// Without a UUID ID there is no qualifier, and the purl does not
		// parse back (packageurl-go requires the uuid).
		{name: "julia without uuid", pkgType: model.TypeJulia, pkg: model.Package{ID: "Pkg@1.8.0", Name: "Pkg", Version: "1.8.0"}, want: "pkg:julia/Pkg@1.8.0"},
		{name: "unknown type", pkgType: "nonesuch", pkg: model.Package{Name: "x", Version: "1"}, want: ""},
		{name: "no name", pkgType: model.TypeNpm, pkg: model.Package{Version: "1"}, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ForPackage(tt.pkgType, tt.os, &tt.pkg)
			if got != tt.want {
				t.Errorf("ForPackage() = %q, want %q", got, tt.want)
			}
			if got == "" || tt.name == "julia without uuid" {
				return
			}
			// Every purl we write must parse back with the same name.
			p, err := packageurl.FromString(got)
			if err != nil {
				t.Fatalf("FromString(%q): %v", got, err)
			}
			if p.Type != Type(tt.pkgType) {
				t.Errorf("round trip type = %q, want %q", p.Type, Type(tt.pkgType))
			}
		})
	}
}

func TestForPackageNil(t *testing.T) {
	if got := ForPackage(model.TypeDpkg, nil, nil); got != "" {
		t.Errorf("ForPackage(nil) = %q, want empty", got)
	}
}
