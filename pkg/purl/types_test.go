package purl

import (
	"strings"
	"testing"

	packageurl "github.com/package-url/packageurl-go"

	"github.com/trawlsec/trawl/pkg/model"
)

// TestTableRoundTrip builds a purl for every row of pkg/model's package type
// table (and, for OS types, every OS family using it), parses it back with
// packageurl-go and checks the purl type (known to the spec, or a candidate) and the
// OS namespace are the table's: a row with a misspelt or unregistered purl
// type, or a family whose namespace the purl code ignores, fails here.
func TestTableRoundTrip(t *testing.T) {
	// Names as the type writes them, where "demo" is not one.
	names := map[string]string{model.TypeSwift: "github.com/acme/demo", model.TypeJar: "org.acme:demo"}
	// IDs as the type writes them, where the purl needs one (Julia's
	// "uuid" qualifier comes from the UUID ID).
	ids := map[string]string{model.TypeJulia: "682c06a0-de6a-54ab-a142-c8b1cf79cde6"}
	// Purls packageurl-go refuses (none today).
	refused := map[string]string{}
	for _, r := range model.PackageTypes() {
		oses := []*model.OS{nil}
		if r.OS {
			oses = nil
			for _, f := range model.OSFamilies() {
				if f.PkgType == r.Type {
					oses = append(oses, &model.OS{Family: f.Family, Name: "1.2"})
				}
			}
			if len(oses) == 0 {
				t.Errorf("%s: no OS family uses this OS type", r.Type)
			}
		}
		for _, os := range oses {
			name := names[r.Type]
			if name == "" {
				name = "demo"
			}
			p := &model.Package{ID: ids[r.Type], Name: name, Version: "1.0.0"}
			s := ForPackage(r.Type, os, p)
			if r.PURLType == "" {
				if s != "" {
					t.Errorf("%s: the table gives no purl type, ForPackage = %q", r.Type, s)
				}
				continue
			}
			_, known := packageurl.KnownTypes[r.PURLType]
			_, candidate := packageurl.CandidateTypes[r.PURLType]
			if !known && !candidate {
				t.Errorf("%s: purl type %q is neither a known nor a candidate type of the purl spec", r.Type, r.PURLType)
			}
			if Type(r.Type) != r.PURLType {
				t.Errorf("Type(%q) = %q, table says %q", r.Type, Type(r.Type), r.PURLType)
			}
			pu, err := packageurl.FromString(s)
			if why := refused[r.Type]; why != "" {
				if err == nil || !strings.Contains(err.Error(), why) {
					t.Errorf("%s: %q: want packageurl-go to refuse it (%s), got %v; drop the exception", r.Type, s, why, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: ForPackage = %q does not parse: %v", r.Type, s, err)
				continue
			}
			if pu.Type != r.PURLType || pu.Name != "demo" || pu.Version != "1.0.0" || pu.ToString() != s {
				t.Errorf("%s: %q parses as type %q name %q version %q (%q)", r.Type, s, pu.Type, pu.Name, pu.Version, pu.ToString())
			}
			if os == nil {
				continue
			}
			f, _ := model.LookupOSFamily(os.Family)
			if pu.Namespace != strings.ToLower(f.PURLNamespace) {
				t.Errorf("%s on %s: namespace %q, table says %q", r.Type, os.Family, pu.Namespace, f.PURLNamespace)
			}
		}
	}
}
