package scan

import (
	"slices"
	"testing"

	"github.com/trawlsec/trawl/pkg/model"
)

func TestReportPackages(t *testing.T) {
	tests := []struct {
		name     string
		pkgType  string
		fromSBOM bool
		in       model.Package
		want     model.Package
	}{
		{"dpkg files absolute and sorted, analyzer dpkg", model.TypeDpkg, false,
			model.Package{Name: "adduser", InstalledFiles: []string{"usr/sbin/adduser", "etc/adduser.conf"}},
			model.Package{Name: "adduser", AnalyzedBy: "dpkg", InstalledFiles: []string{"/etc/adduser.conf", "/usr/sbin/adduser"}}},
		{"apk files stay relative", model.TypeApk, false,
			model.Package{Name: "busybox", InstalledFiles: []string{"bin/busybox"}},
			model.Package{Name: "busybox", AnalyzedBy: "apk", InstalledFiles: []string{"bin/busybox"}}},
		{"rpm files absolute", model.TypeRPM, false,
			model.Package{Name: "bash", InstalledFiles: []string{"usr/bin/bash"}},
			model.Package{Name: "bash", AnalyzedBy: "rpm", InstalledFiles: []string{"/usr/bin/bash"}}},
		{"unknown relationship left out", model.TypeNpm, false,
			model.Package{Name: "a", Relationship: model.RelationshipUnknown},
			model.Package{Name: "a", AnalyzedBy: "npm"}},
		{"indirect repeated", model.TypeNpm, false,
			model.Package{Name: "a", Relationship: model.RelationshipIndirect},
			model.Package{Name: "a", AnalyzedBy: "npm", Relationship: model.RelationshipIndirect, Indirect: true}},
		{"direct is not indirect", model.TypeGoModule, false,
			model.Package{Name: "a", Relationship: model.RelationshipDirect},
			model.Package{Name: "a", AnalyzedBy: "gomod", Relationship: model.RelationshipDirect}},
		{"Trivy's analyzer name differs from the type", model.TypeConanLock, false,
			model.Package{Name: "zlib"}, model.Package{Name: "zlib", AnalyzedBy: "conan-lock"}},
		{"decoded from an SBOM: no analyzer", model.TypeDpkg, true,
			model.Package{Name: "a"}, model.Package{Name: "a"}},
		{"analyzer already set is kept", model.TypeJar, false,
			model.Package{Name: "a", AnalyzedBy: "sbom"}, model.Package{Name: "a", AnalyzedBy: "sbom"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := slices.Clone(tt.in.InstalledFiles)
			in := []model.Package{tt.in}
			got := ReportPackages(in, tt.pkgType, tt.fromSBOM)
			if len(got) != 1 {
				t.Fatalf("got %d packages", len(got))
			}
			g := got[0]
			if g.AnalyzedBy != tt.want.AnalyzedBy || g.Relationship != tt.want.Relationship || g.Indirect != tt.want.Indirect ||
				!slices.Equal(g.InstalledFiles, tt.want.InstalledFiles) {
				t.Errorf("got %+v\nwant %+v", g, tt.want)
			}
			if !slices.Equal(in[0].InstalledFiles, files) || in[0].AnalyzedBy != tt.in.AnalyzedBy {
				t.Errorf("input changed: %+v", in[0])
			}
		})
	}
}

func TestReportSecretsHighlighted(t *testing.T) {
	in := []model.Secret{{RuleID: "r", Code: model.Code{Lines: []model.Line{
		{Number: 1, Content: "a=****"}, {Number: 2, Content: "b", Highlighted: "kept"}}}}, {RuleID: "none"}}
	got := ReportSecrets(in)
	if h := got[0].Code.Lines[0].Highlighted; h != "a=****" {
		t.Errorf("Highlighted = %q, want the line's content", h)
	}
	if h := got[0].Code.Lines[1].Highlighted; h != "kept" {
		t.Errorf("Highlighted = %q, want kept", h)
	}
	if got[1].Code.Lines != nil {
		t.Errorf("no lines became %v", got[1].Code.Lines)
	}
	if in[0].Code.Lines[0].Highlighted != "" {
		t.Errorf("input changed")
	}
}
