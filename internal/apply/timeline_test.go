package apply

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/pkg/inventory"
	"github.com/trawlsec/trawl/pkg/model"
)

// TestLayerSummaries: per layer, files new to the image are Added, files a
// lower layer held are Changed, the lower files whiteouts and opaque
// directories remove are Deleted; packages count in the layer that
// installed their version, removals in the layer whose database rewrite
// dropped them. A world-writable directory fact is Deleted only by a
// later whiteout of a parent.
func TestLayerSummaries(t *testing.T) {
	l1 := layer("l1", status, "bin/sh", "etc/a", "etc/b", "opt/x/1", "opt/x/2", "srv/y")
	l1.OSPackages = []analyze.PackageSet{{Type: model.TypeDpkg, FilePath: status, Packages: pkgs("bash", "coreutils", "curl")}}
	l1.Forensics = []inventory.ForensicFact{{Kind: inventory.FactWorldWritableDir, FilePath: "opt/x"}, {Kind: inventory.FactWorldWritableDir, FilePath: "srv"}}
	l2 := layer("l2", status, "etc/a", "app/bin")
	l2.OSPackages = []analyze.PackageSet{{Type: model.TypeDpkg, FilePath: status, Packages: append(pkgs("bash", "python3"), model.Package{Name: "coreutils", Version: "2.0"})}}
	l2.Applications = []analyze.PackageSet{{Type: "npm", FilePath: "app/package-lock.json", Packages: pkgs("left-pad")}}
	l2.Files = append(l2.Files, "app/package-lock.json")
	l3 := layer("l3", "etc/c")
	l3.Whiteouts = []string{"etc/b", "opt", "nothing/here"}
	l3.OpaqueDirs = []string{"app"}

	inv := Apply([]*analyze.LayerResult{l1, l2, l3})
	want := []inventory.LayerSummary{
		{DiffID: "l1", Added: 7, PackagesInstalled: 1},                                 // bash (coreutils upgraded, curl removed later)
		{DiffID: "l2", Added: 2, Changed: 2, PackagesInstalled: 2, PackagesRemoved: 1}, // python3, coreutils 2.0 (left-pad's lockfile is gone from the final filesystem); curl
		{DiffID: "l3", Added: 1, Deleted: 5},                                           // etc/b, opt/x/1, opt/x/2, app/bin, app/package-lock.json
	}
	if diff := cmp.Diff(want, inv.Layers); diff != "" {
		t.Errorf("summaries (-want +got):\n%s", diff)
	}
	deleted := map[string]bool{}
	for _, f := range inv.Forensics {
		deleted[f.FilePath] = f.Deleted
	}
	if diff := cmp.Diff(map[string]bool{"opt/x": true, "srv": false}, deleted); diff != "" {
		t.Errorf("deleted directories (-want +got):\n%s", diff)
	}
}

// TestNoSummariesForDirectories: a directory walked as one pseudo-layer
// has no timeline.
func TestNoSummariesForDirectories(t *testing.T) {
	inv := Apply([]*analyze.LayerResult{{Files: []string{"a"}}})
	if inv.Layers != nil {
		t.Errorf("layers = %+v", inv.Layers)
	}
}
