package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/pkg/model"
)

func TestDependencyTree(t *testing.T) {
	res := model.Result{
		Target: "package-lock.json", Class: model.ClassLangPkg, Type: "npm",
		Packages: []model.Package{
			{ID: "app@1.0.0", Name: "app", Relationship: model.RelationshipRoot, DependsOn: []string{"express@4.17.1", "jsonwebtoken@8.5.1"}},
			{ID: "express@4.17.1", Name: "express", Relationship: model.RelationshipDirect, DependsOn: []string{"body-parser@1.19.0", "qs@6.7.0"}},
			{ID: "body-parser@1.19.0", Name: "body-parser", Relationship: model.RelationshipIndirect, DependsOn: []string{"qs@6.7.0"}},
			{ID: "qs@6.7.0", Name: "qs", Relationship: model.RelationshipIndirect},
			{ID: "jsonwebtoken@8.5.1", Name: "jsonwebtoken", Relationship: model.RelationshipDirect},
		},
		Vulnerabilities: []model.Vulnerability{
			{VulnerabilityID: "CVE-2022-24999", PkgID: "qs@6.7.0", PkgName: "qs", Severity: "HIGH"},
			{VulnerabilityID: "CVE-2022-23529", PkgID: "jsonwebtoken@8.5.1", PkgName: "jsonwebtoken", Severity: "HIGH"},
		},
	}
	var buf bytes.Buffer
	if err := WriteTable(&buf, &model.Report{Results: []model.Result{res}}, Options{DependencyTree: true}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	i := strings.Index(out, "Dependency Origin Tree (Reversed)")
	if i < 0 {
		t.Fatalf("no tree:\n%s", out)
	}
	want := `package-lock.json
├── jsonwebtoken@8.5.1, (UNKNOWN: 0, LOW: 0, MEDIUM: 0, HIGH: 1, CRITICAL: 0)
└── qs@6.7.0, (UNKNOWN: 0, LOW: 0, MEDIUM: 0, HIGH: 1, CRITICAL: 0)
    ├── body-parser@1.19.0
    │   └── express@4.17.1
    └── express@4.17.1
`
	if !strings.Contains(out[i:], want) {
		t.Errorf("tree:\n%s\nwant:\n%s", out[i:], want)
	}
	buf.Reset()
	WriteTable(&buf, &model.Report{Results: []model.Result{res}}, Options{})
	if strings.Contains(buf.String(), "Dependency Origin Tree") {
		t.Error("tree printed without the option")
	}
}
