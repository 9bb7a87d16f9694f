package app

import (
	"context"
	"io/fs"
	"os"
	"regexp"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/pkg/inventory"
	"github.com/trawlsec/trawl/pkg/model"
)

// TestForensicFindings: detection on an analysis made by hand. The first
// layer is the base: what it holds is the reference, and only what later
// layers add or change is reported, except what is suspicious anywhere
// (uid 0 accounts, empty passwords, setuid files, world-writable files,
// markers, SSH keys, ld.so.preload).
func TestForensicFindings(t *testing.T) {
	l1 := model.Layer{DiffID: "sha256:base", CreatedBy: "ADD rootfs.tar /"}
	l2 := model.Layer{DiffID: "sha256:app", CreatedBy: "RUN ./install.sh"}
	l3 := model.Layer{DiffID: "sha256:clean", CreatedBy: "RUN rm /etc/cron.d/job"}
	acc := func(kind string, l model.Layer, a inventory.Account) inventory.ForensicFact {
		return inventory.ForensicFact{Kind: kind, FilePath: "etc/" + kind, Layer: l, Account: &a, Mode: 0o644}
	}
	file := func(kind, detail, p string, l model.Layer, mode fs.FileMode, sum, pkg string) inventory.ForensicFact {
		return inventory.ForensicFact{Kind: kind, Detail: detail, FilePath: p, Layer: l, Mode: mode, SHA256: sum, Package: pkg}
	}
	facts := []inventory.ForensicFact{
		// Base: root, a daemon, a cron job and the usual setuid su.
		acc(inventory.FactPasswd, l1, inventory.Account{Name: "root", Shell: "/bin/bash"}),
		acc(inventory.FactPasswd, l1, inventory.Account{Name: "daemon", UID: 1, Shell: "/usr/sbin/nologin"}),
		acc(inventory.FactShadow, l1, inventory.Account{Name: "root", Password: inventory.PasswordLocked}),
		file(inventory.FactPersistence, inventory.PersistCron, "etc/cron.daily/dpkg", l1, 0o755, "c1", "dpkg"),
		file(inventory.FactExecutable, "script", "etc/cron.daily/dpkg", l1, 0o755, "c1", "dpkg"),
		file(inventory.FactExecutable, "elf", "usr/bin/su", l1, 0o755|fs.ModeSetuid, "s1", "login"),
		file(inventory.FactSpecialMode, "", "usr/bin/su", l1, 0o755|fs.ModeSetuid, "s1", "login"),
		// Layer 2: a uid 0 backdoor, a daemon given a shell, an empty
		// password, a new cron job piping curl into sh, an unchanged
		// rewrite of the base cron job, a setuid unowned binary and a
		// world-writable file.
		acc(inventory.FactPasswd, l2, inventory.Account{Name: "root", Shell: "/bin/bash"}),
		acc(inventory.FactPasswd, l2, inventory.Account{Name: "daemon", UID: 1, Shell: "/bin/sh"}),
		acc(inventory.FactPasswd, l2, inventory.Account{Name: "backdoor", Shell: "/bin/bash"}),
		acc(inventory.FactShadow, l2, inventory.Account{Name: "backdoor", Password: inventory.PasswordEmpty}),
		file(inventory.FactPersistence, inventory.PersistCron, "etc/cron.daily/dpkg", l2, 0o755, "c1", "dpkg"),
		{Kind: inventory.FactPersistence, Detail: inventory.PersistCron, FilePath: "etc/cron.d/job", Layer: l2, Mode: 0o644, SHA256: "j1", Deleted: true},
		{Kind: inventory.FactMarker, Detail: inventory.MarkerDownloadExec, Match: "fetch-pipe-shell", Line: 2, FilePath: "etc/cron.d/job", Layer: l2, Mode: 0o644, SHA256: "j1", Deleted: true},
		file(inventory.FactSpecialMode, "", "usr/local/bin/x", l2, 0o755|fs.ModeSetuid, "x1", ""),
		file(inventory.FactExecutable, "elf", "usr/local/bin/x", l2, 0o755|fs.ModeSetuid, "x1", ""),
		file(inventory.FactExecutable, "script", "usr/local/bin/run", l2, 0o755, "r1", ""),
		file(inventory.FactExecutable, "elf", "usr/bin/curl", l2, 0o755, "u1", "curl"),
		file(inventory.FactExecutable, "script", "var/lib/dpkg/info/curl.postinst", l2, 0o755, "p1", ""),
		file(inventory.FactWorldWritable, "", "opt/app/state", l2, 0o666, "w1", ""),
		// Layer 3 rewrites su unchanged: not reported again.
		file(inventory.FactSpecialMode, "", "usr/bin/su", l3, 0o755|fs.ModeSetuid, "s1", "login"),
	}
	got := forensicFindings(facts, []string{l1.DiffID, l2.DiffID, l3.DiffID})
	type row struct {
		ID, Severity, Path, Layer, Mode, Package string
		Deleted                                  bool
	}
	var rows []row
	for _, f := range got {
		rows = append(rows, row{f.ID, f.Severity, f.Path, f.Layer.DiffID, f.Mode, f.Package, f.Deleted})
	}
	want := []row{
		{"FOR-PERM-SETUID", "LOW", "usr/bin/su", l1.DiffID, "-rwsr-xr-x", "login", false},
		{"FOR-PERSIST-CRON", "MEDIUM", "etc/cron.d/job", l2.DiffID, "-rw-r--r--", "", true},
		{"FOR-MARKER-DOWNLOAD-EXEC", "HIGH", "etc/cron.d/job", l2.DiffID, "-rw-r--r--", "", true},
		{"FOR-ACCOUNT-SHELL", "MEDIUM", "etc/passwd", l2.DiffID, "-rw-r--r--", "", false},
		{"FOR-ACCOUNT-UID0", "CRITICAL", "etc/passwd", l2.DiffID, "-rw-r--r--", "", false},
		{"FOR-ACCOUNT-SHELL", "MEDIUM", "etc/passwd", l2.DiffID, "-rw-r--r--", "", false},
		{"FOR-ACCOUNT-EMPTY-PASSWORD", "HIGH", "etc/shadow", l2.DiffID, "-rw-r--r--", "", false},
		{"FOR-PERM-WORLD-WRITABLE", "MEDIUM", "opt/app/state", l2.DiffID, "-rw-rw-rw-", "none", false},
		{"FOR-EXEC-UNOWNED", "LOW", "usr/local/bin/run", l2.DiffID, "-rwxr-xr-x", "none", false},
		{"FOR-PERM-SETUID", "HIGH", "usr/local/bin/x", l2.DiffID, "-rwsr-xr-x", "none", false},
		{"FOR-EXEC-UNOWNED", "MEDIUM", "usr/local/bin/x", l2.DiffID, "-rwsr-xr-x", "none", false},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	for _, f := range got {
		if f.ID == "FOR-ACCOUNT-UID0" && (f.Message != `account "backdoor" has uid 0 (root privileges), after the base layer` || f.Layer.CreatedBy != l2.CreatedBy) {
			t.Errorf("uid 0 finding: %+v", f)
		}
		if f.ID == "FOR-MARKER-DOWNLOAD-EXEC" && f.Message != "marker fetch-pipe-shell matches at etc/cron.d/job:2" {
			t.Errorf("marker finding: %+v", f)
		}
	}
}

// TestForensicFindingsOfOneLayer: a root filesystem is one pseudo-layer,
// its own base: nothing is "added after the base", but what is suspicious
// anywhere is reported.
func TestForensicFindingsOfOneLayer(t *testing.T) {
	facts := []inventory.ForensicFact{
		{Kind: inventory.FactPasswd, FilePath: "etc/passwd", Account: &inventory.Account{Name: "toor", Shell: "/bin/sh"}},
		{Kind: inventory.FactExecutable, Detail: "elf", FilePath: "opt/x", SHA256: "x"},
		{Kind: inventory.FactPersistence, Detail: inventory.PersistCron, FilePath: "etc/crontab", SHA256: "c"},
		{Kind: inventory.FactPersistence, Detail: inventory.PersistLDPreload, FilePath: "etc/ld.so.preload", SHA256: "p"},
		{Kind: inventory.FactMarker, Detail: inventory.MarkerMiner, Match: "stratum-url", FilePath: "opt/x", SHA256: "x"},
	}
	var ids []string
	for _, f := range forensicFindings(facts, nil) {
		ids = append(ids, f.ID)
	}
	want := []string{"FOR-PERSIST-LD-PRELOAD", "FOR-ACCOUNT-UID0", "FOR-MARKER-MINER"}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

// TestForensicsDetector: the detector adds one forensics result named
// after the artifact, and none when nothing was found.
func TestForensicsDetector(t *testing.T) {
	for _, tc := range []struct {
		facts []inventory.ForensicFact
		want  int
	}{
		{nil, 0},
		{[]inventory.ForensicFact{{Kind: inventory.FactWorldWritable, FilePath: "opt/a", Mode: 0o666}}, 1},
	} {
		a := &Analysis{Report: &model.Report{ArtifactName: "img:1"}, Inventory: &inventory.Inventory{Forensics: tc.facts}}
		rep := &model.Report{ArtifactName: "img:1"}
		if err := (forensicsDetector{}).Detect(context.Background(), nil, a, rep); err != nil {
			t.Fatal(err)
		}
		if len(rep.Results) != tc.want {
			t.Fatalf("results = %+v", rep.Results)
		}
		if tc.want == 1 && (rep.Results[0].Class != model.ClassForensics || rep.Results[0].Target != "img:1" || !hasFindings(rep)) {
			t.Errorf("result = %+v", rep.Results[0])
		}
	}
}

// TestHardeningFindings: package managers and shells in the bin
// directories of the final filesystem are reported once each (CIS Docker
// 4.3); removed ones, other directories and look-alike names are not.
func TestHardeningFindings(t *testing.T) {
	l1 := model.Layer{DiffID: "sha256:base"}
	l2 := model.Layer{DiffID: "sha256:slim"}
	exe := func(p string, l model.Layer, pkg string, deleted bool) inventory.ForensicFact {
		return inventory.ForensicFact{Kind: inventory.FactExecutable, Detail: "elf", FilePath: p, Layer: l, Mode: 0o755, SHA256: p, Package: pkg, Deleted: deleted}
	}
	facts := []inventory.ForensicFact{
		exe("bin/bash", l1, "bash", false),
		exe("usr/bin/apt-get", l1, "apt", false),
		exe("usr/bin/dpkg", l1, "dpkg", true), // removed by the slim layer
		exe("bin/busybox", l1, "busybox", false),
		exe("opt/tools/bash", l1, "", false),      // not a bin directory
		exe("usr/bin/bashbug", l1, "bash", false), // not a shell
		exe("usr/bin/apt-get", l2, "apt", false),  // same path again: one finding
	}
	var got []string
	for _, f := range forensicFindings(facts, []string{l1.DiffID, l2.DiffID}) {
		if f.Category == forensicHardening {
			got = append(got, f.ID+" "+f.Path+" "+f.Package)
		}
	}
	want := []string{"FOR-HARDEN-SHELL bin/bash bash", "FOR-HARDEN-SHELL bin/busybox busybox", "FOR-HARDEN-PKG-MANAGER usr/bin/apt-get apt"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hardening findings (-want +got):\n%s", diff)
	}
}

// TestForensicIDsListed: ForensicIDs (what compliance specs may name)
// lists every finding ID the detector can emit.
func TestForensicIDsListed(t *testing.T) {
	src, err := os.ReadFile("forensics.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range regexp.MustCompile(`"(FOR-[A-Z0-9-]+)"`).FindAllStringSubmatch(string(src), -1) {
		if !slices.Contains(ForensicIDs, id[1]) {
			t.Errorf("%s is emitted but not in ForensicIDs", id[1])
		}
	}
}
