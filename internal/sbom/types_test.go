package sbom

import (
	"strings"
	"testing"

	packageurl "github.com/package-url/packageurl-go"

	"github.com/trawlsec/trawl/pkg/model"
	"github.com/trawlsec/trawl/pkg/purl"
)

// TestTablePURLRoundTrip writes a purl for every row of pkg/model's package
// type table with pkg/purl (for OS types, once per OS family using the
// type) and decodes it with this package's mapping: the purl type must come
// back as a package type of the same purl type, with the row's ecosystem
// and OS-ness, the same name, and for OS packages the same family and
// release. A row whose purl type the decoder maps elsewhere (CocoaPods was
// decoded into an ecosystem the matcher never uses) fails here.
func TestTablePURLRoundTrip(t *testing.T) {
	names := map[string]string{model.TypeSwift: "github.com/acme/demo", model.TypeJar: "org.acme:demo", model.TypeNodePkg: "@acme/demo"}
	// Purls packageurl-go refuses: trawl writes Julia purls without the
	// "uuid" qualifier the spec requires, so SBOMs trawl writes lose them.
	refused := map[string]bool{model.TypeJulia: true}
	for _, r := range model.PackageTypes() {
		if r.PURLType == "" {
			continue
		}
		oses := []*model.OS{nil}
		if r.OS {
			oses = nil
			for _, f := range model.OSFamilies() {
				if f.PkgType == r.Type {
					oses = append(oses, &model.OS{Family: f.Family, Name: "1.2"})
				}
			}
		}
		for _, os := range oses {
			name := names[r.Type]
			if name == "" {
				name = "demo"
			}
			s := purl.ForPackage(r.Type, os, &model.Package{Name: name, Version: "1.0.0"})
			pu, err := packageurl.FromString(s)
			if refused[r.Type] {
				if err == nil {
					t.Errorf("%s: %q now parses; drop the exception", r.Type, s)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: %q: %v", r.Type, s, err)
				continue
			}
			k, ok := kindOf(pu.Type)
			if !ok {
				t.Errorf("%s: %q: purl type %q is not scannable", r.Type, s, pu.Type)
				continue
			}
			back, _ := model.LookupPackageType(k.pkgType)
			if back.PURLType != r.PURLType || k.os != r.OS || k.ecosystem != r.Ecosystem {
				t.Errorf("%s: %q decodes as type %q (purl %q) ecosystem %q os %v; want purl %q ecosystem %q os %v",
					r.Type, s, k.pkgType, back.PURLType, k.ecosystem, k.os, r.PURLType, r.Ecosystem, r.OS)
			}
			if got := purlName(pu); got != name {
				t.Errorf("%s: %q decodes as name %q, want %q", r.Type, s, got, name)
			}
			if os == nil {
				continue
			}
			if got, ok := osFromDistro(pu); !ok || got != *os {
				t.Errorf("%s: %q decodes as OS %+v (%v), want %+v", r.Type, s, got, ok, *os)
			}
		}
	}
}

// TestNormalizeFamily checks the SBOM spellings of distributions and the
// table's own names.
func TestNormalizeFamily(t *testing.T) {
	tests := map[string]string{
		"SLES": model.FamilySUSE, "sles_sap": model.FamilySUSE, " suse ": model.FamilySUSE,
		"rhel": model.FamilyRedHat, "Red Hat Enterprise Linux": model.FamilyRedHat,
		"amzn": model.FamilyAmazon, "ol": model.FamilyOracle, "almalinux": model.FamilyAlma,
		"Rocky Linux": model.FamilyRocky, "mariner": model.FamilyMariner, "azure linux": model.FamilyAzure,
		"opensuse": model.FamilyOpenSUSE, "opensuse tumbleweed": model.FamilyOpenSUSETW,
		"Debian": model.FamilyDebian, "bottlerocket": "bottlerocket",
	}
	for _, f := range model.OSFamilies() {
		tests[strings.ToUpper(f.Family)] = f.Family
	}
	for in, want := range tests {
		if got := normalizeFamily(in); got != want {
			t.Errorf("normalizeFamily(%q) = %q, want %q", in, got, want)
		}
	}
}
