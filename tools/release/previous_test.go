package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fakeRelease builds this run's linux/amd64 .deb and .rpm of version ver
// from small stand-in files (no trawl build) and writes the repositories
// into out, keeping the packages of prev (a previous out) when it is set.
func fakeRelease(t *testing.T, out, ver, maintainer, prev string) (string, error) {
	t.Helper()
	src := t.TempDir()
	write := func(n, body string) string {
		p := filepath.Join(src, n)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("LICENSE", "licence\n")
	write("NOTICE", "notice\n")
	e := &extras{Completions: map[string]string{
		"bash": write("c.bash", "complete\n"), "zsh": write("c.zsh", "#compdef\n"), "fish": write("c.fish", "complete\n"),
	}}
	bin := write("trawl", "binary of "+ver)
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	c := &config{Root: src, Out: out, Version: ver, Maintainer: maintainer, Repos: true,
		Date: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Previous: prev}
	tg := target{"linux", "amd64"}
	deb, control, err := writeDeb(c, tg, bin, e)
	if err != nil {
		t.Fatal(err)
	}
	rpmPath, files, err := writeRPM(context.Background(), c, tg, bin, e)
	if err != nil {
		t.Fatal(err)
	}
	var prevApt []aptPkg
	var prevYum []yumPkg
	if prev != "" {
		if prevApt, err = readPreviousApt(filepath.Join(prev, "apt")); err != nil {
			return "", err
		}
		if prevYum, err = readPreviousYum(filepath.Join(prev, "rpm")); err != nil {
			return "", err
		}
	}
	var log bytes.Buffer
	pkgs := []linuxPkg{{T: tg, Deb: deb, DebControl: control, RPM: rpmPath, RPMFiles: files}}
	if err := writeAptRepo(c, pkgs, prevApt, &log); err != nil {
		t.Fatal(err)
	}
	if _, err := writeYumRepos(c, pkgs, prevYum, &log); err != nil {
		t.Fatal(err)
	}
	return log.String(), nil
}

// aptVersions checks the apt repository as apt reads it (Release hashes
// of each index, each stanza's pool file by Size and SHA256) and returns
// the stanzas' "Version Maintainer" sorted.
func aptVersions(t *testing.T, root string) []string {
	t.Helper()
	dists := filepath.Join(root, "dists", "stable")
	rel := parseDeb822(t, mustRead(t, filepath.Join(dists, "Release")))
	for _, l := range strings.Split(strings.TrimSpace(rel[0]["SHA256"]), "\n") {
		f := strings.Fields(l)
		b := mustRead(t, filepath.Join(dists, filepath.FromSlash(f[2])))
		if size, _ := strconv.Atoi(f[1]); sha256Hex(b) != f[0] || size != len(b) {
			t.Errorf("apt Release: %s listed as %s %s; file is %s %d", f[2], f[0], f[1], sha256Hex(b), len(b))
		}
	}
	packages := mustRead(t, filepath.Join(dists, "main", "binary-amd64", "Packages"))
	if !bytes.Equal(gunzip(t, mustRead(t, filepath.Join(dists, "main", "binary-amd64", "Packages.gz"))), packages) {
		t.Error("apt: Packages.gz is not Packages")
	}
	var got []string
	stanzas := parseDeb822(t, packages)
	for _, p := range stanzas {
		b := mustRead(t, filepath.Join(root, filepath.FromSlash(p["Filename"])))
		if p["SHA256"] != sha256Hex(b) || p["Size"] != strconv.Itoa(len(b)) {
			t.Errorf("apt Packages: %s listed as %s %s; file is %s %d", p["Filename"], p["SHA256"], p["Size"], sha256Hex(b), len(b))
		}
		got = append(got, p["Version"]+" "+p["Maintainer"])
	}
	if _, err := exec.LookPath("dpkg-scanpackages"); err == nil {
		cmd := exec.Command("dpkg-scanpackages", "--multiversion", "pool", os.DevNull)
		cmd.Dir = root
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("dpkg-scanpackages: %v", err)
		}
		theirs := parseDeb822(t, out)
		if len(theirs) != len(stanzas) {
			t.Fatalf("dpkg-scanpackages: %d stanzas; Packages has %d", len(theirs), len(stanzas))
		}
		for i := range theirs {
			for k, v := range theirs[i] {
				if k != "SHA1" && stanzas[i][k] != v {
					t.Errorf("apt Packages stanza %d: %s is %q; dpkg-scanpackages says %q", i, k, stanzas[i][k], v)
				}
			}
		}
	}
	slices.Sort(got)
	return got
}

// yumVersions checks the x86_64 yum repository (repomd.xml's checksums,
// each primary package's file by size and SHA-256, filelists and other
// listing the same pkgids) and returns primary's versions sorted.
func yumVersions(t *testing.T, root string) []string {
	t.Helper()
	var md struct {
		Data []repomdData `xml:"data"`
	}
	if err := xml.Unmarshal(mustRead(t, filepath.Join(root, "repodata", "repomd.xml")), &md); err != nil {
		t.Fatal(err)
	}
	ids := map[string][]string{}
	var vers []string
	for _, d := range md.Data {
		gz := mustRead(t, filepath.Join(root, filepath.FromSlash(d.Location.Href)))
		open := gunzip(t, gz)
		if sha256Hex(gz) != d.Checksum.Value || len(gz) != d.Size || sha256Hex(open) != d.OpenChecksum.Value || len(open) != d.OpenSize {
			t.Errorf("repomd.xml %s: checksums or sizes do not match %s", d.Type, d.Location.Href)
		}
		var doc struct {
			Packages int `xml:"packages,attr"`
		}
		if err := xml.Unmarshal(open, &doc); err != nil {
			t.Fatalf("%s: %v", d.Type, err)
		}
		_, entries, err := packageElements(open)
		if err != nil {
			t.Fatalf("%s: %v", d.Type, err)
		}
		if doc.Packages != len(entries) {
			t.Errorf("%s: packages=%d, %d entries", d.Type, doc.Packages, len(entries))
		}
		for _, en := range entries {
			id := en.PkgID
			if d.Type == "primary" {
				id = en.Checksum.Value
				b := mustRead(t, filepath.Join(root, filepath.FromSlash(en.Location.Href)))
				if sha256Hex(b) != id {
					t.Errorf("primary: %s listed as %s; file is %s", en.Location.Href, id, sha256Hex(b))
				}
				vers = append(vers, en.Version.Ver)
			}
			ids[d.Type] = append(ids[d.Type], id)
		}
	}
	if !slices.Equal(ids["primary"], ids["filelists"]) || !slices.Equal(ids["primary"], ids["other"]) {
		t.Errorf("pkgids: primary %q, filelists %q, other %q", ids["primary"], ids["filelists"], ids["other"])
	}
	slices.Sort(vers)
	return vers
}

// TestPrevious: a run with --previous indexes the previous release's
// packages next to its own, apt and yum alike, byte for byte the same on a
// rerun; a package of the same version is replaced by this run's.
func TestPrevious(t *testing.T) {
	dir := t.TempDir()
	out := func(n string) string { return filepath.Join(dir, n) }
	const m1, m2 = "A <a@x.invalid>", "B <b@x.invalid>"
	if _, err := fakeRelease(t, out("r1"), "v1.0.0", m1, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := fakeRelease(t, out("r2"), "v1.1.0", m1, out("r1")); err != nil {
		t.Fatal(err)
	}
	if got, want := aptVersions(t, out("r2/apt")), []string{"1.0.0 " + m1, "1.1.0 " + m1}; !slices.Equal(got, want) {
		t.Errorf("apt after v1.1.0: %q; want %q", got, want)
	}
	if got, want := yumVersions(t, out("r2/rpm/x86_64")), []string{"1.0.0", "1.1.0"}; !slices.Equal(got, want) {
		t.Errorf("yum after v1.1.0: %q; want %q", got, want)
	}

	// The same run again: the same bytes.
	if _, err := fakeRelease(t, out("r2again"), "v1.1.0", m1, out("r1")); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"apt/dists/stable/Release", "apt/dists/stable/main/binary-amd64/Packages", "rpm/x86_64/repodata/repomd.xml"} {
		if !bytes.Equal(mustRead(t, out("r2/"+f)), mustRead(t, out("r2again/"+f))) {
			t.Errorf("%s differs between two identical runs", f)
		}
	}

	// v1.1.0 rebuilt (another maintainer) over a tree that has v1.1.0: this run's wins.
	log, err := fakeRelease(t, out("r3"), "v1.1.0", m2, out("r2"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := aptVersions(t, out("r3/apt")), []string{"1.0.0 " + m1, "1.1.0 " + m2}; !slices.Equal(got, want) {
		t.Errorf("apt after rebuilding v1.1.0: %q; want %q", got, want)
	}
	if got, want := yumVersions(t, out("r3/rpm/x86_64")), []string{"1.0.0", "1.1.0"}; !slices.Equal(got, want) {
		t.Errorf("yum after rebuilding v1.1.0: %q; want %q", got, want)
	}
	if !strings.Contains(log, "apt: pool/main/t/trawl/trawl_1.1.0_amd64.deb") || !strings.Contains(log, "yum: x86_64/trawl-1.1.0-1.x86_64.rpm") {
		t.Errorf("log does not name the replaced packages:\n%s", log)
	}
}

// TestPreviousRefused: a previous tree whose packages do not match its
// indices is refused with an error naming the file, before anything is
// written.
func TestPreviousRefused(t *testing.T) {
	good := filepath.Join(t.TempDir(), "r1")
	if _, err := fakeRelease(t, good, "v1.0.0", "A <a@x.invalid>", ""); err != nil {
		t.Fatal(err)
	}
	const deb, rpm = "apt/pool/main/t/trawl/trawl_1.0.0_amd64.deb", "rpm/x86_64/trawl-1.0.0-1.x86_64.rpm"
	appendTo := func(rel string) func(string) error {
		return func(dir string) error {
			f, err := os.OpenFile(filepath.Join(dir, rel), os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = f.Write([]byte{0})
			return err
		}
	}
	for _, tc := range []struct {
		name   string
		change func(dir string) error
		want   []string
	}{
		{"tampered deb", appendTo(deb), []string{deb, "SHA-256", "Packages index lists"}},
		{"tampered rpm", appendTo(rpm), []string{rpm, "SHA-256", "primary index lists"}},
		{"unlisted deb", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "apt/pool/main/t/trawl/trawl_0.9_amd64.deb"), mustRead(t, filepath.Join(dir, deb)), 0o644)
		}, []string{"trawl_0.9_amd64.deb", "not listed"}},
		{"unlisted rpm", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "rpm/x86_64/other.rpm"), mustRead(t, filepath.Join(dir, rpm)), 0o644)
		}, []string{"other.rpm", "not listed"}},
		{"missing deb", func(dir string) error { return os.Remove(filepath.Join(dir, deb)) }, []string{deb, "but missing"}},
		{"missing rpm", func(dir string) error { return os.Remove(filepath.Join(dir, rpm)) }, []string{rpm, "but missing"}},
		{"tampered repodata", func(dir string) error {
			ms, err := filepath.Glob(filepath.Join(dir, "rpm/x86_64/repodata/*-primary.xml.gz"))
			if err != nil || len(ms) != 1 {
				return err
			}
			return appendTo(strings.TrimPrefix(ms[0], dir+string(filepath.Separator)))(dir)
		}, []string{"-primary.xml.gz", "repomd.xml lists"}},
		{"no apt index", func(dir string) error { return os.RemoveAll(filepath.Join(dir, "apt/dists")) }, []string{"no dists/stable/main/binary-*/Packages"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			prev := filepath.Join(t.TempDir(), "prev")
			if err := os.CopyFS(prev, os.DirFS(good)); err != nil {
				t.Fatal(err)
			}
			if err := tc.change(prev); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), "out")
			_, err := fakeRelease(t, out, "v1.1.0", "A <a@x.invalid>", prev)
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q is not one line", err)
			}
			if _, err := os.Stat(filepath.Join(out, "apt")); err == nil {
				t.Error("a refused --previous still wrote apt/")
			}
		})
	}
}

// TestDebControl: the control file comes from control.tar.gz; other
// control compressions and files that are not ar archives are refused.
func TestDebControl(t *testing.T) {
	c := &config{Date: time.Unix(0, 0)}
	ctl, err := tarGz(c, []entry{{Path: "control", Body: []byte("Package: x\nVersion: 1\nArchitecture: all\n"), Mode: 0o644}})
	if err != nil {
		t.Fatal(err)
	}
	ar := func(es ...entry) []byte {
		var b bytes.Buffer
		if err := writeAr(&b, c, es); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	bin := entry{Path: "debian-binary", Body: []byte("2.0\n"), Mode: 0o644}
	for _, tc := range []struct {
		name string
		body []byte
		want string // the control's Package, or the error
	}{
		{"gzip", ar(bin, entry{Path: "control.tar.gz", Body: ctl, Mode: 0o644}), "x"},
		{"odd member before control", ar(entry{Path: "debian-binary", Body: []byte("2.0"), Mode: 0o644}, entry{Path: "control.tar.gz", Body: ctl, Mode: 0o644}), "x"},
		{"xz", ar(bin, entry{Path: "control.tar.xz", Body: []byte("\xfd7zXZ"), Mode: 0o644}), "control.tar.xz: only gzip-compressed"},
		{"zst", ar(bin, entry{Path: "control.tar.zst", Body: []byte("x"), Mode: 0o644}), "control.tar.zst: only gzip-compressed"},
		{"no control", ar(bin), "no control.tar.gz member"},
		{"not ar", []byte("PK\x03\x04"), "not a .deb"},
		{"truncated", ar(bin, entry{Path: "control.tar.gz", Body: ctl, Mode: 0o644})[:100], "control.tar.gz"},
	} {
		p := filepath.Join(t.TempDir(), "x.deb")
		if err := os.WriteFile(p, tc.body, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := debControl(p)
		if err != nil {
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), p) {
				t.Errorf("%s: %v; want an error naming the file and %q", tc.name, err, tc.want)
			}
			continue
		}
		if f := controlFields(got); f["Package"] != tc.want {
			t.Errorf("%s: control %q; want Package %q", tc.name, got, tc.want)
		}
	}
}
