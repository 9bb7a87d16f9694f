package analyze

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/pkg/model"
)

func TestMarkDirect(t *testing.T) {
	pkgs := []model.Package{
		{ID: "app@1", Name: "app", Relationship: model.RelationshipRoot},
		{ID: "express@4", Name: "express", DependsOn: []string{"qs@6", "debug@2"}},
		{ID: "qs@6", Name: "qs"},
		{ID: "debug@2", Name: "debug", DependsOn: []string{"ms@2"}},
		{ID: "ms@2", Name: "ms"},
		{ID: "mocha@10", Name: "mocha", DependsOn: []string{"debug@2", "chai@4"}},
		{ID: "chai@4", Name: "chai"},
	}
	MarkDirect(pkgs, map[string]bool{"express": true, "mocha": true}, map[string]bool{"mocha": true})
	got := map[string]string{}
	for _, p := range pkgs {
		dev := ""
		if p.Dev {
			dev = " dev"
		}
		got[p.Name] = p.Relationship + dev
	}
	want := map[string]string{
		"app":     "root",
		"express": "direct",
		"qs":      "indirect",
		"debug":   "indirect", // reachable from express: not dev-only
		"ms":      "indirect",
		"mocha":   "direct dev",
		"chai":    "indirect dev", // only mocha pulls it in
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestMergeKeepsMostPreciseOS(t *testing.T) {
	r := &Result{}
	r.Merge(&Result{OS: &OSInfo{OS: model.OS{Family: "debian", Name: "12"}, Priority: 21}})
	r.Merge(&Result{OS: &OSInfo{OS: model.OS{Family: "debian", Name: "12.15"}, Priority: 30}})
	r.Merge(&Result{OS: &OSInfo{OS: model.OS{Family: "debian", Name: "12"}, Priority: 20}})
	if r.OS.Name != "12.15" {
		t.Errorf("OS = %+v", r.OS)
	}
}
