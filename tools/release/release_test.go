package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"debug/buildinfo"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestArgs: bad arguments stop the run with a message naming the problem,
// before anything is built or written.
func TestArgs(t *testing.T) {
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "old.tar.gz"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--out", t.TempDir()}, "--version is required"},
		{[]string{"--version", "1.2", "--out", t.TempDir()}, "not a vMAJOR.MINOR.PATCH"},
		{[]string{"--snapshot", "--targets", "plan9/386", "--out", t.TempDir()}, `"plan9/386" is not one of`},
		{[]string{"--snapshot", "--targets", ",", "--out", t.TempDir()}, "no target"},
		{[]string{"--snapshot", "--version", "../x", "--out", t.TempDir()}, "not usable in a file name"},
		{[]string{"--snapshot", "--targets", "linux/amd64", "--out", full}, "not empty"},
		{[]string{"--snapshot", "--repos=false", "--previous", t.TempDir(), "--out", t.TempDir()}, "--previous needs --repos"},
	} {
		err := run(context.Background(), tc.args, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("run %q: %v; want an error containing %q", tc.args, err, tc.want)
		}
	}
	if ents, _ := os.ReadDir(full); len(ents) != 1 {
		t.Errorf("a refused run wrote into --out: %d entries", len(ents))
	}
}

func TestPkgVersion(t *testing.T) {
	for _, tc := range []struct{ in, file, pkg string }{
		{"v1.2.3", "1.2.3", "1.2.3"},
		{"v1.2.3-rc.1", "1.2.3-rc.1", "1.2.3~rc.1"},
		{"0.0.0-SNAPSHOT-abc", "0.0.0-SNAPSHOT-abc", "0.0.0~SNAPSHOT~abc"},
	} {
		c := &config{Version: tc.in}
		if c.fileVersion() != tc.file || c.pkgVersion() != tc.pkg {
			t.Errorf("%s: file %q pkg %q; want %q %q", tc.in, c.fileVersion(), c.pkgVersion(), tc.file, tc.pkg)
		}
	}
}

// TestSnapshot runs a snapshot release for linux/amd64 and checks every
// artifact: the archive (binary that runs and reports the stamped version,
// LICENSE, completions, man pages), the .deb and the .rpm (read with small
// independent readers: /usr/bin/trawl is the same binary), checksums.txt
// against every file, and the SBOM (CycloneDX JSON listing cobra at the
// version linked into the binary), and the apt and yum repositories.
func TestSnapshot(t *testing.T) {
	if testing.Short() {
		t.Skip("builds trawl: skipped with -short")
	}
	out := filepath.Join(t.TempDir(), "dist")
	const ver = "v9.8.7-test.1"
	var log bytes.Buffer
	key := testKey(t)
	if err := run(context.Background(), []string{"--snapshot", "--version", ver, "--targets", "linux/amd64", "--out", out, "--sign-key", key.path}, &log); err != nil {
		t.Fatalf("release: %v\n%s", err, log.String())
	}
	ents, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	var names, dirs []string
	for _, e := range ents {
		if e.IsDir() {
			dirs = append(dirs, e.Name())
			continue
		}
		names = append(names, e.Name())
	}
	if !slices.Equal(dirs, []string{"apt", "rpm"}) {
		t.Errorf("repository directories %q; want apt, rpm", dirs)
	}
	want := []string{
		"checksums.txt",
		"trawl-9.8.7~test.1-1.x86_64.rpm",
		"trawl_9.8.7-test.1.sbom.cdx.json",
		"trawl_9.8.7-test.1_linux_amd64.tar.gz",
		"trawl_9.8.7~test.1_amd64.deb",
		publicKeyFile,
	}
	if got := slices.Sorted(slices.Values(want)); !slices.Equal(names, got) {
		t.Fatalf("artifacts %q; want %q", names, want)
	}
	path := func(n string) string { return filepath.Join(out, n) }

	// Archive.
	arch := readTarGz(t, mustRead(t, path(want[3])), "")
	bin := arch["trawl"]
	for _, f := range []string{"trawl", "LICENSE", "NOTICE", "README.md", "completions/trawl.bash", "completions/trawl.zsh",
		"completions/trawl.fish", "manpages/trawl.1", "manpages/trawl-image.1", "manpages/trawl-version.1"} {
		if len(arch[f].body) == 0 {
			t.Errorf("archive: %s missing or empty", f)
		}
	}
	if bin.mode&0o111 == 0 {
		t.Errorf("archive: trawl mode %o is not executable", bin.mode)
	}
	if lic := mustRead(t, "../../LICENSE"); !bytes.Equal(arch["LICENSE"].body, lic) {
		t.Error("archive: LICENSE differs from the repository's")
	}
	if !strings.Contains(string(arch["completions/trawl.bash"].body), "__start_trawl") {
		t.Error("archive: bash completion is not cobra's bash script for trawl")
	}
	if m := string(arch["manpages/trawl-image.1"].body); !strings.HasPrefix(m, `.nh`) && !strings.Contains(m, `.TH "TRAWL"`) ||
		!strings.Contains(m, "trawl-image") || !strings.Contains(m, ver) {
		t.Errorf("archive: trawl-image.1 is not a man page for this version:\n%.300s", m)
	}
	binPath := filepath.Join(t.TempDir(), "trawl")
	if err := os.WriteFile(binPath, bin.body, 0o755); err != nil {
		t.Fatal(err)
	}
	bi, err := buildinfo.ReadFile(binPath)
	if err != nil {
		t.Fatalf("archive binary: %v", err)
	}
	if s := buildSetting(bi, "CGO_ENABLED"); s != "0" || buildSetting(bi, "-trimpath") != "true" || buildSetting(bi, "GOOS") != "linux" {
		t.Errorf("archive binary: CGO_ENABLED=%q -trimpath=%q GOOS=%q; want a static, trimmed linux build",
			s, buildSetting(bi, "-trimpath"), buildSetting(bi, "GOOS"))
	}
	if runtime.GOOS == "linux" && runtime.GOARCH == "amd64" {
		got, err := exec.Command(binPath, "version", "--cache-dir", t.TempDir()).Output()
		if err != nil || !strings.Contains(string(got), "Version: "+ver) {
			t.Errorf("trawl version: %v, %q; want Version: %s", err, got, ver)
		}
	}

	// .deb
	members := readAr(t, mustRead(t, path(want[4])))
	if got := []string{members[0].name, members[1].name, members[2].name}; len(members) != 3 ||
		!slices.Equal(got, []string{"debian-binary", "control.tar.gz", "data.tar.gz"}) || string(members[0].body) != "2.0\n" {
		t.Fatalf("deb members %q; want debian-binary 2.0, control.tar.gz, data.tar.gz", got)
	}
	control := readTarGz(t, members[1].body, "./")
	for _, f := range []string{"Package: trawl\n", "Version: 9.8.7~test.1\n", "Architecture: amd64\n", "Maintainer: ", "Homepage: ", "Description: "} {
		if !strings.Contains(string(control["control"].body), f) {
			t.Errorf("deb control lacks %q:\n%s", f, control["control"].body)
		}
	}
	data := readTarGz(t, members[2].body, "./")
	debWant := []string{"usr/bin/trawl", "usr/share/bash-completion/completions/trawl", "usr/share/zsh/vendor-completions/_trawl",
		"usr/share/fish/vendor_completions.d/trawl.fish", "usr/share/man/man1/trawl.1.gz", "usr/share/doc/trawl/copyright"}
	for _, f := range debWant {
		if len(data[f].body) == 0 {
			t.Errorf("deb: %s missing", f)
		}
	}
	if !bytes.Equal(data["usr/bin/trawl"].body, bin.body) || data["usr/bin/trawl"].mode != 0o755 {
		t.Error("deb: /usr/bin/trawl is not the archive's binary with mode 0755")
	}
	checkMD5sums(t, string(control["md5sums"].body), data)

	// .rpm
	rpmFiles, rpmTags := readRPM(t, mustRead(t, path(want[1])))
	if rpmTags[1000] != "trawl" || rpmTags[1001] != "9.8.7~test.1" || rpmTags[1022] != "x86_64" {
		t.Errorf("rpm name/version/arch = %q/%q/%q", rpmTags[1000], rpmTags[1001], rpmTags[1022])
	}
	for _, f := range []string{"/usr/bin/trawl", "/usr/share/bash-completion/completions/trawl", "/usr/share/zsh/site-functions/_trawl",
		"/usr/share/fish/vendor_completions.d/trawl.fish", "/usr/share/man/man1/trawl.1.gz", "/usr/share/licenses/trawl/LICENSE"} {
		if _, ok := rpmFiles[f]; !ok {
			t.Errorf("rpm: %s not in the payload", f)
		}
	}
	if !bytes.Equal(rpmFiles["/usr/bin/trawl"], bin.body) {
		t.Error("rpm: /usr/bin/trawl is not the archive's binary")
	}

	// apt and yum repositories (repos_test.go)
	checkAptRepo(t, filepath.Join(out, "apt"), mustRead(t, path(want[4])), want[4])
	checkYumRepo(t, filepath.Join(out, "rpm", "x86_64"), mustRead(t, path(want[1])), want[1], "9.8.7~test.1")
	checkSignatures(t, key, out, path(want[1]))

	// Reproducible: a second run from the same commit writes the same
	// bytes — archives, packages, signatures, SBOM, and the signed indices.
	// It runs with --previous the first run's tree, whose packages this
	// run's replace (same versions): the merged indices are the same too.
	out2 := filepath.Join(t.TempDir(), "dist")
	log.Reset()
	if err := run(context.Background(), []string{"--snapshot", "--version", ver, "--targets", "linux/amd64", "--out", out2, "--sign-key", key.path, "--previous", out}, &log); err != nil {
		t.Fatalf("second release: %v\n%s", err, log.String())
	}
	if !strings.Contains(log.String(), "--previous: keeping 1 .deb and 1 .rpm") || !strings.Contains(log.String(), "replaced by this run's package") {
		t.Errorf("second release with --previous: log does not say the previous packages were read and replaced:\n%s", log.String())
	}
	for _, f := range []string{"checksums.txt", "apt/dists/stable/InRelease", "rpm/x86_64/repodata/repomd.xml.asc"} {
		if !bytes.Equal(mustRead(t, filepath.Join(out, f)), mustRead(t, filepath.Join(out2, f))) {
			t.Errorf("%s differs between two runs from the same commit", f)
		}
	}

	// checksums.txt
	sums := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(mustRead(t, path("checksums.txt"))))
	for sc.Scan() {
		sum, file, ok := strings.Cut(sc.Text(), "  ")
		if !ok || len(sum) != 64 {
			t.Errorf("checksums.txt: bad line %q", sc.Text())
			continue
		}
		sums[file] = sum
	}
	if len(sums) != len(want)-1 {
		t.Errorf("checksums.txt lists %d files; want %d", len(sums), len(want)-1)
	}
	for _, n := range want[1:] {
		h := sha256.Sum256(mustRead(t, path(n)))
		if sums[n] != hex.EncodeToString(h[:]) {
			t.Errorf("checksums.txt: %s is %q; file's SHA-256 is %x", n, sums[n], h)
		}
	}

	// SBOM
	var bom struct {
		BOMFormat   string `json:"bomFormat"`
		SpecVersion string `json:"specVersion"`
		Components  []struct {
			Name, Version, Purl string
		} `json:"components"`
	}
	if err := json.Unmarshal(mustRead(t, path(want[2])), &bom); err != nil {
		t.Fatalf("SBOM: %v", err)
	}
	cobra := ""
	for _, d := range bi.Deps {
		if d.Path == "github.com/spf13/cobra" {
			cobra = d.Version
		}
	}
	found := false
	for _, c := range bom.Components {
		if c.Name == "github.com/spf13/cobra" && c.Version == cobra && cobra != "" && strings.HasPrefix(c.Purl, "pkg:golang/") {
			found = true
		}
	}
	if bom.BOMFormat != "CycloneDX" || bom.SpecVersion == "" || !found {
		t.Errorf("SBOM: format %q spec %q, cobra %s listed: %v", bom.BOMFormat, bom.SpecVersion, cobra, found)
	}
}

type file struct {
	body []byte
	mode int64
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func buildSetting(bi *buildinfo.BuildInfo, key string) string {
	for _, s := range bi.Settings {
		if s.Key == key {
			return s.Value
		}
	}
	return ""
}

// readTarGz returns the regular files of a tar.gz by name, prefix removed.
func readTarGz(t *testing.T, b []byte, prefix string) map[string]file {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	fs := map[string]file{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return fs
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		body, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		fs[strings.TrimPrefix(h.Name, prefix)] = file{body, h.Mode}
	}
}

type arMember struct {
	name string
	body []byte
}

// readAr reads a common-format ar archive.
func readAr(t *testing.T, b []byte) []arMember {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("!<arch>\n")) {
		t.Fatal("deb: not an ar archive")
	}
	var ms []arMember
	for b = b[8:]; len(b) >= 60; {
		h := b[:60]
		if string(h[58:60]) != "`\n" {
			t.Fatalf("ar: bad header %q", h)
		}
		size, err := strconv.Atoi(strings.TrimSpace(string(h[48:58])))
		if err != nil || 60+size > len(b) {
			t.Fatalf("ar: bad size in %q", h)
		}
		ms = append(ms, arMember{strings.TrimSuffix(strings.TrimSpace(string(h[:16])), "/"), b[60 : 60+size]})
		b = b[60+size+size%2:]
	}
	return ms
}

func checkMD5sums(t *testing.T, md5sums string, data map[string]file) {
	t.Helper()
	n := 0
	for _, l := range strings.Split(strings.TrimSpace(md5sums), "\n") {
		sum, f, _ := strings.Cut(l, "  ")
		h := md5.Sum(data[f].body)
		if hex.EncodeToString(h[:]) != sum {
			t.Errorf("deb md5sums: %s does not match %s", l, f)
		}
		n++
	}
	if n != len(data) {
		t.Errorf("deb md5sums: %d lines for %d files", n, len(data))
	}
}

// readRPM reads an RPM's lead, signature and main header, and its gzip'd
// cpio (newc) payload: the files by path and the header's string tags.
func readRPM(t *testing.T, b []byte) (map[string][]byte, map[int]string) {
	t.Helper()
	if len(b) < 96 || !bytes.Equal(b[:4], []byte{0xed, 0xab, 0xee, 0xdb}) {
		t.Fatal("rpm: no lead magic")
	}
	off := 96
	header := func(pad bool) (map[int][]string, []int32) {
		if off+16 > len(b) || !bytes.Equal(b[off:off+4], []byte{0x8e, 0xad, 0xe8, 0x01}) {
			t.Fatalf("rpm: no header magic at %d", off)
		}
		n := int(binary.BigEndian.Uint32(b[off+8:]))
		size := int(binary.BigEndian.Uint32(b[off+12:]))
		idx, store := off+16, off+16+16*n
		if store+size > len(b) {
			t.Fatal("rpm: header past the end")
		}
		strs := map[int][]string{}
		var dirIndexes []int32
		for i := 0; i < n; i++ {
			e := b[idx+16*i:]
			tag, typ := int(binary.BigEndian.Uint32(e)), binary.BigEndian.Uint32(e[4:])
			o, count := int(binary.BigEndian.Uint32(e[8:])), int(binary.BigEndian.Uint32(e[12:]))
			switch typ {
			case 6, 8, 9: // STRING, STRING_ARRAY, I18NSTRING
				p := store + o
				for j := 0; j < count; j++ {
					end := bytes.IndexByte(b[p:store+size], 0)
					if end < 0 {
						t.Fatalf("rpm: unterminated string in tag %d", tag)
					}
					strs[tag] = append(strs[tag], string(b[p:p+end]))
					p += end + 1
				}
			case 4: // INT32
				if tag == 1116 {
					for j := 0; j < count; j++ {
						dirIndexes = append(dirIndexes, int32(binary.BigEndian.Uint32(b[store+o+4*j:])))
					}
				}
			}
		}
		off = store + size
		if pad {
			off = (off + 7) &^ 7
		}
		return strs, dirIndexes
	}
	header(true) // signature
	strs, dirIndexes := header(false)
	tags := map[int]string{}
	for tag, v := range strs {
		tags[tag] = v[0]
	}
	listed := map[string]bool{}
	base, dirs := strs[1117], strs[1118]
	if len(base) != len(dirIndexes) {
		t.Fatalf("rpm: %d basenames, %d dirindexes", len(base), len(dirIndexes))
	}
	for i, bn := range base {
		listed[dirs[dirIndexes[i]]+bn] = true
	}
	if tags[1125] != "gzip" {
		t.Fatalf("rpm: payload compressor %q; the reader knows gzip", tags[1125])
	}
	zr, err := gzip.NewReader(bytes.NewReader(b[off:]))
	if err != nil {
		t.Fatalf("rpm payload: %v", err)
	}
	payload, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("rpm payload: %v", err)
	}
	files := map[string][]byte{}
	for p := 0; p+110 <= len(payload); {
		h := payload[p : p+110]
		if string(h[:6]) != "070701" {
			t.Fatalf("rpm payload: cpio magic %q at %d", h[:6], p)
		}
		hexField := func(i int) int {
			v, err := strconv.ParseUint(string(h[6+8*i:14+8*i]), 16, 32)
			if err != nil {
				t.Fatalf("cpio header: %v", err)
			}
			return int(v)
		}
		fsize, nsize := hexField(6), hexField(11)
		name := string(payload[p+110 : p+110+nsize-1])
		p = (p + 110 + nsize + 3) &^ 3
		if name == "TRAILER!!!" {
			break
		}
		files["/"+strings.TrimPrefix(name, "./")] = payload[p : p+fsize]
		p = (p + fsize + 3) &^ 3
	}
	for f := range files {
		if !listed[f] {
			t.Errorf("rpm: payload file %s not in the header's file list", f)
		}
	}
	if len(files) != len(listed) {
		t.Errorf("rpm: %d payload files, %d in the header", len(files), len(listed))
	}
	return files, tags
}
