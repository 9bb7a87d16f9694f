package apply

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/pkg/inventory"
	"github.com/trawlsec/trawl/pkg/model"
)

func layer(id string, files ...string) *analyze.LayerResult {
	return &analyze.LayerResult{Layer: model.Layer{DiffID: id}, Files: files}
}

func pkgs(names ...string) []model.Package {
	var out []model.Package
	for _, n := range names {
		out = append(out, model.Package{Name: n, Version: "1.0"})
	}
	return out
}

const status = "var/lib/dpkg/status"

func TestOSPackagesAttributedToInstallingLayer(t *testing.T) {
	l1 := layer("l1", status, "etc/debian_version")
	l1.OS = &analyze.OSInfo{OS: model.OS{Family: "debian", Name: "12.15"}, Priority: 30}
	l1.OSPackages = []analyze.PackageSet{{Type: model.TypeDpkg, FilePath: status, Packages: pkgs("bash", "coreutils")}}
	l2 := layer("l2", status)
	l2.OSPackages = []analyze.PackageSet{{Type: model.TypeDpkg, FilePath: status, Packages: pkgs("bash", "coreutils", "python3")}}
	// Layer 3 removes coreutils and rewrites the status file.
	l3 := layer("l3", status)
	l3.OSPackages = []analyze.PackageSet{{Type: model.TypeDpkg, FilePath: status, Packages: pkgs("bash", "python3")}}

	inv := Apply([]*analyze.LayerResult{l1, l2, l3})
	got := map[string]string{}
	for _, p := range inv.OSPackages {
		got[p.Name] = p.Layer.DiffID
		if p.Identifier.PURL == "" || p.Identifier.UID == "" {
			t.Errorf("%s: identifier %+v", p.Name, p.Identifier)
		}
	}
	if diff := cmp.Diff(map[string]string{"bash": "l1", "python3": "l2"}, got); diff != "" {
		t.Errorf("layers (-want +got):\n%s", diff)
	}
	if inv.OS == nil || inv.OS.Name != "12.15" {
		t.Errorf("OS = %+v", inv.OS)
	}
}

func TestUpgradedPackageGetsNewLayer(t *testing.T) {
	l1 := layer("l1", status)
	l1.OSPackages = []analyze.PackageSet{{Type: model.TypeDpkg, FilePath: status, Packages: []model.Package{{Name: "openssl", Version: "3.0.1"}}}}
	l2 := layer("l2", status)
	l2.OSPackages = []analyze.PackageSet{{Type: model.TypeDpkg, FilePath: status, Packages: []model.Package{{Name: "openssl", Version: "3.0.2"}}}}
	inv := Apply([]*analyze.LayerResult{l1, l2})
	if len(inv.OSPackages) != 1 || inv.OSPackages[0].Layer.DiffID != "l2" || inv.OSPackages[0].Version != "3.0.2" {
		t.Errorf("got %+v", inv.OSPackages)
	}
}

func TestWhiteoutsAndOpaqueDirs(t *testing.T) {
	l1 := layer("l1", "app/package-lock.json", "srv/x/go.mod", "opt/keep/Cargo.lock")
	l1.Applications = []analyze.PackageSet{
		{Type: model.TypeNpm, FilePath: "app/package-lock.json", Packages: pkgs("left-pad")},
		{Type: model.TypeGoModule, FilePath: "srv/x/go.mod", Packages: pkgs("golang.org/x/text")},
		{Type: model.TypeCargo, FilePath: "opt/keep/Cargo.lock", Packages: pkgs("serde")},
	}
	l2 := layer("l2")
	l2.Whiteouts = []string{"app"}  // removes the whole directory
	l2.OpaqueDirs = []string{"srv"} // hides everything below srv from lower layers
	inv := Apply([]*analyze.LayerResult{l1, l2})
	if len(inv.Applications) != 1 || inv.Applications[0].FilePath != "opt/keep/Cargo.lock" {
		t.Errorf("applications = %+v", inv.Applications)
	}
}

func TestFileRewrittenByLaterLayerWins(t *testing.T) {
	l1 := layer("l1", "app/package-lock.json")
	l1.Applications = []analyze.PackageSet{{Type: model.TypeNpm, FilePath: "app/package-lock.json", Packages: pkgs("a", "b")}}
	// Layer 2 writes the file again but no analyzer result (e.g. it is now
	// empty): the old packages must not survive.
	l2 := layer("l2", "app/package-lock.json")
	inv := Apply([]*analyze.LayerResult{l1, l2})
	if len(inv.Applications) != 0 {
		t.Errorf("stale result kept: %+v", inv.Applications)
	}
}

func TestOSOwnedFilesNotReportedAsLanguagePackages(t *testing.T) {
	egg := "usr/lib/python3/dist-packages/requests-2.28.1.egg-info/PKG-INFO"
	mine := "usr/local/lib/python3.11/site-packages/flask-2.0.dist-info/METADATA"
	list := "var/lib/dpkg/info/python3-requests.list"
	l1 := layer("l1", egg, mine, list)
	l1.Owned = []analyze.OwnedFiles{{FilePath: list, Package: "python3-requests", Files: []string{"/" + egg}}}
	l1.Applications = []analyze.PackageSet{
		{Type: model.TypePythonPkg, FilePath: egg, Packages: pkgs("requests")},
		{Type: model.TypePythonPkg, FilePath: mine, Packages: pkgs("flask")},
	}
	inv := Apply([]*analyze.LayerResult{l1})
	if len(inv.Applications) != 1 || inv.Applications[0].Packages[0].Name != "flask" {
		t.Fatalf("applications = %+v", inv.Applications)
	}
	if inv.Applications[0].Packages[0].FilePath != mine {
		t.Errorf("aggregated package FilePath = %q", inv.Applications[0].Packages[0].FilePath)
	}
	// Once the dpkg list is deleted the ownership is gone too.
	l2 := layer("l2")
	l2.Whiteouts = []string{list}
	inv = Apply([]*analyze.LayerResult{l1, l2})
	if len(inv.Applications) != 2 {
		t.Errorf("after deleting the list: %d applications", len(inv.Applications))
	}
}

func TestSecretsInDeletedAndOverwrittenFiles(t *testing.T) {
	sec := func(path string, line int) analyze.Secret {
		return analyze.Secret{FilePath: path, Secret: model.Secret{RuleID: "aws-access-key-id", StartLine: line}}
	}
	l1 := layer("l1", "app/.env", "app/config", "app/kept")
	l1.Secrets = []analyze.Secret{sec("app/.env", 1), sec("app/config", 2), sec("app/kept", 3)}
	l2 := layer("l2", "app/config") // overwrites app/config
	l3 := layer("l3")
	l3.Whiteouts = []string{"app/.env"}
	inv := Apply([]*analyze.LayerResult{l1, l2, l3})
	got := map[string]bool{}
	for _, s := range inv.Secrets {
		got[s.FilePath] = s.Deleted
		if s.Layer.DiffID != "l1" {
			t.Errorf("%s: layer %q", s.FilePath, s.Layer.DiffID)
		}
	}
	if diff := cmp.Diff(map[string]bool{"app/.env": true, "app/config": true, "app/kept": false}, got); diff != "" {
		t.Errorf("deleted marks (-want +got):\n%s", diff)
	}
}

func TestOSDetectionPrecision(t *testing.T) {
	l1 := layer("l1")
	l1.OS = &analyze.OSInfo{OS: model.OS{Family: "debian", Name: "12.15"}, Priority: 30}
	l2 := layer("l2")
	l2.OS = &analyze.OSInfo{OS: model.OS{Family: "debian", Name: "12"}, Priority: 21}
	if inv := Apply([]*analyze.LayerResult{l1, l2}); inv.OS.Name != "12.15" {
		t.Errorf("a vaguer later detection replaced a precise one: %+v", inv.OS)
	}
	l3 := layer("l3")
	l3.OS = &analyze.OSInfo{OS: model.OS{Family: "debian", Name: "13.1"}, Priority: 30}
	if inv := Apply([]*analyze.LayerResult{l1, l2, l3}); inv.OS.Name != "13.1" {
		t.Errorf("an upgrade in a later layer was ignored: %+v", inv.OS)
	}
}

func TestOneFileSeveralPackageTypes(t *testing.T) {
	sbom := "opt/app/app.cdx.json"
	l := layer("l1", sbom)
	l.Applications = []analyze.PackageSet{
		{Type: model.TypeNodePkg, FilePath: sbom, Packages: pkgs("express")},
		{Type: model.TypePythonPkg, FilePath: sbom, Packages: pkgs("requests")},
	}
	inv := Apply([]*analyze.LayerResult{l})
	if len(inv.Applications) != 2 {
		t.Errorf("sets from one file with two types: %+v", inv.Applications)
	}
}

func TestLicensesFromCopyrightFiles(t *testing.T) {
	cp := "usr/share/doc/bash/copyright"
	l1 := layer("l1", status, cp, "usr/share/doc/gone/copyright")
	l1.OSPackages = []analyze.PackageSet{{Type: model.TypeDpkg, FilePath: status, Packages: []model.Package{
		{Name: "bash", Version: "5.2"}, {Name: "zlib1g", Version: "1.2", Licenses: []string{"Zlib"}}, {Name: "gone", Version: "1"},
	}}}
	l1.Licenses = []analyze.PackageLicenses{
		{FilePath: cp, Package: "bash", Licenses: []string{"GPL-3+"}},
		{FilePath: "usr/share/doc/gone/copyright", Package: "gone", Licenses: []string{"MIT"}},
	}
	l2 := layer("l2")
	l2.Whiteouts = []string{"usr/share/doc/gone"}
	inv := Apply([]*analyze.LayerResult{l1, l2})
	got := map[string][]string{}
	for _, p := range inv.OSPackages {
		got[p.Name] = p.Licenses
	}
	want := map[string][]string{"bash": {"GPL-3+"}, "zlib1g": {"Zlib"}, "gone": nil}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("licences (-want +got):\n%s", diff)
	}
}

// TestConfigFilesOfTheFinalFilesystem: a configuration file counts as the
// layer that last wrote it left it; one a later layer deleted or rewrote
// without a result is gone.
func TestConfigFilesOfTheFinalFilesystem(t *testing.T) {
	l1 := layer("l1", "Dockerfile", "k8s/deploy.yaml", "old.yaml")
	l1.ConfigFiles = []analyze.ConfigFile{
		{Type: "dockerfile", FilePath: "Dockerfile", Content: []byte("FROM a")},
		{Type: "kubernetes", FilePath: "k8s/deploy.yaml", Content: []byte("kind: Pod")},
		{Type: "yaml", FilePath: "old.yaml", Content: []byte("a: 1")},
	}
	l2 := layer("l2", "Dockerfile", "k8s/deploy.yaml")
	l2.Whiteouts = []string{"old.yaml"}
	l2.ConfigFiles = []analyze.ConfigFile{{Type: "dockerfile", FilePath: "Dockerfile", Content: []byte("FROM b")}}
	inv := Apply([]*analyze.LayerResult{l1, l2})
	if len(inv.ConfigFiles) != 1 || string(inv.ConfigFiles[0].Content) != "FROM b" || inv.ConfigFiles[0].Layer.DiffID != "l2" {
		t.Fatalf("config files: %+v", inv.ConfigFiles)
	}
}

// TestForensicFactsKeptWithTheirLayer: every layer's facts are kept with
// their layer; those whose file a later layer deleted or replaced are
// Deleted, and each names the package owning its file in the final
// filesystem (dpkg lists, with merged /usr; apk installed files).
func TestForensicFactsKeptWithTheirLayer(t *testing.T) {
	fact := func(kind, p string) inventory.ForensicFact {
		return inventory.ForensicFact{Kind: kind, FilePath: p}
	}
	l1 := layer("l1", "usr/bin/su", "etc/cron.d/job", "opt/tool", "var/lib/dpkg/info/login.list", "lib/apk/db/installed")
	l1.Forensics = []inventory.ForensicFact{fact(inventory.FactSpecialMode, "usr/bin/su"), fact(inventory.FactExecutable, "opt/tool")}
	l1.Owned = []analyze.OwnedFiles{{FilePath: "var/lib/dpkg/info/login.list", Package: "login", Files: []string{"/bin/su"}}}
	l1.OSPackages = []analyze.PackageSet{{Type: model.TypeApk, FilePath: "lib/apk/db/installed", Packages: []model.Package{{Name: "tools", Version: "1", InstalledFiles: []string{"opt/tool"}}}}}
	l2 := layer("l2", "etc/cron.d/job", "opt/tool")
	l2.Forensics = []inventory.ForensicFact{fact(inventory.FactPersistence, "etc/cron.d/job"), fact(inventory.FactExecutable, "opt/tool")}
	l3 := layer("l3")
	l3.Whiteouts = []string{"etc/cron.d/job"}
	inv := Apply([]*analyze.LayerResult{l1, l2, l3})
	type row struct {
		Kind, Path, Layer, Package string
		Deleted                    bool
	}
	var got []row
	for _, f := range inv.Forensics {
		got = append(got, row{f.Kind, f.FilePath, f.Layer.DiffID, f.Package, f.Deleted})
	}
	want := []row{
		{inventory.FactSpecialMode, "usr/bin/su", "l1", "login", false},
		{inventory.FactExecutable, "opt/tool", "l1", "tools", true},   // replaced by l2
		{inventory.FactPersistence, "etc/cron.d/job", "l2", "", true}, // deleted by l3
		{inventory.FactExecutable, "opt/tool", "l2", "tools", false},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("facts (-want +got):\n%s", diff)
	}
}

// TestDpkgFileListsBecomeInstalledFiles: a dpkg package's files come from
// its info/<name>[:arch].list as the final filesystem holds it (a list a
// later layer deleted gives none).
func TestDpkgFileListsBecomeInstalledFiles(t *testing.T) {
	bashList, goneList := "var/lib/dpkg/info/bash.list", "var/lib/dpkg/info/gone:amd64.list"
	l1 := layer("l1", status, bashList, goneList)
	l1.OSPackages = []analyze.PackageSet{{Type: model.TypeDpkg, FilePath: status, Packages: pkgs("bash", "gone", "nolist")}}
	l1.Owned = []analyze.OwnedFiles{
		{FilePath: bashList, Package: "bash", Files: []string{"bin/bash", "usr/share/doc/bash/copyright"}},
		{FilePath: goneList, Package: "gone", Files: []string{"usr/bin/gone"}},
	}
	l2 := layer("l2")
	l2.Whiteouts = []string{goneList}
	inv := Apply([]*analyze.LayerResult{l1, l2})
	got := map[string][]string{}
	for _, p := range inv.OSPackages {
		got[p.Name] = p.InstalledFiles
	}
	want := map[string][]string{"bash": {"bin/bash", "usr/share/doc/bash/copyright"}, "gone": nil, "nolist": nil}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("installed files (-want +got):\n%s", diff)
	}
}
