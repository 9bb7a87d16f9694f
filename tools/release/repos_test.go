package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// parseDeb822 reads control-file stanzas (Packages, Release): fields by
// name, continuation lines joined with "\n".
func parseDeb822(t *testing.T, b []byte) []map[string]string {
	t.Helper()
	var out []map[string]string
	cur, last := map[string]string{}, ""
	for _, l := range strings.Split(string(b), "\n") {
		switch {
		case l == "":
			if len(cur) > 0 {
				out = append(out, cur)
			}
			cur, last = map[string]string{}, ""
		case l[0] == ' ' || l[0] == '\t':
			if last == "" {
				t.Fatalf("continuation line %q without a field", l)
			}
			cur[last] += "\n" + strings.TrimSpace(l)
		default:
			k, v, ok := strings.Cut(l, ":")
			if !ok {
				t.Fatalf("line %q is not a field", l)
			}
			last = k
			cur[k] = strings.TrimSpace(v)
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// checkAptRepo reads the apt repository as apt does: Release's SHA256
// lines must match each index file's size and hash, Packages and
// Packages.gz must be the same index, and its trawl stanza must point
// (Filename, Size, SHA256) at a pool file identical to the release's .deb.
// With dpkg-scanpackages installed, its stanza must agree.
func checkAptRepo(t *testing.T, root string, deb []byte, debName string) {
	t.Helper()
	dists := filepath.Join(root, "dists", "stable")
	rel := parseDeb822(t, mustRead(t, filepath.Join(dists, "Release")))
	if len(rel) != 1 {
		t.Fatalf("apt Release: %d stanzas", len(rel))
	}
	r := rel[0]
	if r["Suite"] != "stable" || r["Components"] != "main" || r["Architectures"] != "amd64" || r["Date"] == "" {
		t.Errorf("apt Release: Suite %q Components %q Architectures %q Date %q", r["Suite"], r["Components"], r["Architectures"], r["Date"])
	}
	listed := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSpace(r["SHA256"]), "\n") {
		f := strings.Fields(l)
		if len(f) != 3 {
			t.Errorf("apt Release: bad SHA256 line %q", l)
			continue
		}
		b, err := os.ReadFile(filepath.Join(dists, filepath.FromSlash(f[2])))
		if err != nil {
			t.Errorf("apt Release lists %s: %v", f[2], err)
			continue
		}
		if size, _ := strconv.Atoi(f[1]); sha256Hex(b) != f[0] || size != len(b) {
			t.Errorf("apt Release: %s listed as %s %s; file is %s %d", f[2], f[0], f[1], sha256Hex(b), len(b))
		}
		listed[f[2]] = true
	}
	if n := strings.Count(strings.TrimSpace(r["MD5Sum"]), "\n") + 1; n != len(listed) {
		t.Errorf("apt Release: %d MD5Sum lines, %d SHA256 lines", n, len(listed))
	}
	for _, f := range []string{"main/binary-amd64/Packages", "main/binary-amd64/Packages.gz"} {
		if !listed[f] {
			t.Errorf("apt Release does not list %s", f)
		}
	}
	packages := mustRead(t, filepath.Join(dists, "main", "binary-amd64", "Packages"))
	if gz := gunzip(t, mustRead(t, filepath.Join(dists, "main", "binary-amd64", "Packages.gz"))); !bytes.Equal(gz, packages) {
		t.Error("apt: Packages.gz is not Packages")
	}
	stanzas := parseDeb822(t, packages)
	if len(stanzas) != 1 || stanzas[0]["Package"] != "trawl" {
		t.Fatalf("apt Packages: %d stanzas, want one for trawl:\n%s", len(stanzas), packages)
	}
	p := stanzas[0]
	if want := "pool/main/t/trawl/" + debName; p["Filename"] != want {
		t.Errorf("apt Packages: Filename %q; want %q", p["Filename"], want)
	}
	pooled, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(p["Filename"])))
	if err != nil {
		t.Fatalf("apt Packages: Filename: %v", err)
	}
	if !bytes.Equal(pooled, deb) || p["Size"] != strconv.Itoa(len(deb)) || p["SHA256"] != sha256Hex(deb) {
		t.Errorf("apt Packages: Size %s SHA256 %s; the .deb is %d bytes, %s (pool copy identical: %v)",
			p["Size"], p["SHA256"], len(deb), sha256Hex(deb), bytes.Equal(pooled, deb))
	}
	if p["Architecture"] != "amd64" || p["Version"] == "" || !strings.HasPrefix(p["Description"], "Trivy-compatible") {
		t.Errorf("apt Packages: Architecture %q Version %q Description %q", p["Architecture"], p["Version"], p["Description"])
	}

	if _, err := exec.LookPath("dpkg-scanpackages"); err != nil {
		return
	}
	cmd := exec.Command("dpkg-scanpackages", "--multiversion", "pool", os.DevNull)
	cmd.Dir = root
	got, err := cmd.Output()
	if err != nil {
		t.Fatalf("dpkg-scanpackages: %v", err)
	}
	theirs := parseDeb822(t, got)
	if len(theirs) != 1 {
		t.Fatalf("dpkg-scanpackages: %d stanzas", len(theirs))
	}
	for k, v := range theirs[0] {
		if k != "SHA1" && p[k] != v {
			t.Errorf("apt Packages: %s is %q; dpkg-scanpackages says %q", k, p[k], v)
		}
	}
}

// checkYumRepo reads the yum repository as dnf does: repomd.xml's primary
// entry must match the gzipped file it points at (size, checksum) and its
// uncompressed form (open-size, open-checksum); primary's trawl package
// must name the .rpm (location, size, sha256 checksum) next to repodata/.
func checkYumRepo(t *testing.T, root string, rpm []byte, rpmName, ver string) {
	t.Helper()
	var md struct {
		Data []struct {
			Type         string `xml:"type,attr"`
			Checksum     string `xml:"checksum"`
			OpenChecksum string `xml:"open-checksum"`
			Location     struct {
				Href string `xml:"href,attr"`
			} `xml:"location"`
			Size     int `xml:"size"`
			OpenSize int `xml:"open-size"`
		} `xml:"data"`
	}
	if err := xml.Unmarshal(mustRead(t, filepath.Join(root, "repodata", "repomd.xml")), &md); err != nil {
		t.Fatalf("repomd.xml: %v", err)
	}
	var primary []byte
	for _, d := range md.Data {
		gz, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(d.Location.Href)))
		if err != nil {
			t.Errorf("repomd.xml %s: %v", d.Type, err)
			continue
		}
		open := gunzip(t, gz)
		if sha256Hex(gz) != d.Checksum || len(gz) != d.Size || sha256Hex(open) != d.OpenChecksum || len(open) != d.OpenSize {
			t.Errorf("repomd.xml %s: checksum/size/open-checksum/open-size do not match %s", d.Type, d.Location.Href)
		}
		if d.Type == "primary" {
			primary = open
		}
	}
	if primary == nil {
		t.Fatal("repomd.xml: no primary data")
	}
	var meta struct {
		Packages int `xml:"packages,attr"`
		Package  []struct {
			Type    string `xml:"type,attr"`
			Name    string `xml:"name"`
			Arch    string `xml:"arch"`
			Version struct {
				Ver string `xml:"ver,attr"`
				Rel string `xml:"rel,attr"`
			} `xml:"version"`
			Checksum struct {
				Type  string `xml:"type,attr"`
				Value string `xml:",chardata"`
			} `xml:"checksum"`
			Size struct {
				Package int `xml:"package,attr"`
			} `xml:"size"`
			Location struct {
				Href string `xml:"href,attr"`
			} `xml:"location"`
			Files []string `xml:"format>file"`
		} `xml:"package"`
	}
	if err := xml.Unmarshal(primary, &meta); err != nil {
		t.Fatalf("primary.xml: %v", err)
	}
	if meta.Packages != 1 || len(meta.Package) != 1 {
		t.Fatalf("primary.xml: packages=%d, %d entries; want 1", meta.Packages, len(meta.Package))
	}
	p := meta.Package[0]
	if p.Type != "rpm" || p.Name != "trawl" || p.Arch != "x86_64" || p.Version.Ver != ver || p.Version.Rel != "1" {
		t.Errorf("primary.xml: %s %s %s-%s (%s); want trawl x86_64 %s-1", p.Name, p.Arch, p.Version.Ver, p.Version.Rel, p.Type, ver)
	}
	if p.Location.Href != rpmName {
		t.Errorf("primary.xml: location %q; want %q", p.Location.Href, rpmName)
	}
	repoRPM, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(p.Location.Href)))
	if err != nil {
		t.Fatalf("primary.xml location: %v", err)
	}
	if !bytes.Equal(repoRPM, rpm) || p.Checksum.Type != "sha256" || p.Checksum.Value != sha256Hex(rpm) || p.Size.Package != len(rpm) {
		t.Errorf("primary.xml: %s checksum %s size %d; the .rpm is %s, %d bytes", p.Checksum.Type, p.Checksum.Value, p.Size.Package, sha256Hex(rpm), len(rpm))
	}
	if len(p.Files) == 0 || p.Files[0] != "/usr/bin/trawl" {
		t.Errorf("primary.xml: files %q; want /usr/bin/trawl", p.Files)
	}
}

// TestRPMHeaderRange: the header range comes from the RPM's own header
// lengths, and a file that is not an RPM, or is cut short, is an error,
// never a panic.
func TestRPMHeaderRange(t *testing.T) {
	hdr := func(n, size uint32) []byte {
		b := []byte{0x8e, 0xad, 0xe8, 0x01, 0, 0, 0, 0}
		b = append(b, byte(n>>24), byte(n>>16), byte(n>>8), byte(n), byte(size>>24), byte(size>>16), byte(size>>8), byte(size))
		return append(b, make([]byte, 16*int(n)+int(size))...)
	}
	lead := append([]byte{0xed, 0xab, 0xee, 0xdb}, make([]byte, 92)...)
	sig := hdr(1, 5) // 16+16+5 = 37 bytes: ends at 133, padded to 136
	good := append(append(append(append([]byte{}, lead...), sig...), make([]byte, 3)...), hdr(2, 10)...)
	for _, tc := range []struct {
		name       string
		in         []byte
		start, end int
		err        string
	}{
		{"rpm", good, 136, 136 + 16 + 32 + 10, ""},
		{"not an rpm", []byte("PK\x03\x04 not an rpm at all, but long enough to have a lead of ninety-six bytes ......."), 0, 0, "not an RPM"},
		{"short", lead[:50], 0, 0, "not an RPM"},
		{"no signature", lead, 0, 0, "no RPM header at byte 96"},
		{"truncated main header", good[:len(good)-1], 0, 0, "runs past the end"},
		{"main header cut in its preamble", append(append(append([]byte{}, lead...), sig...), append(make([]byte, 3), hdr(0, 0)[:8]...)...), 0, 0, "no RPM header"},
		{"huge entry count", append(append([]byte{}, lead...), 0x8e, 0xad, 0xe8, 1, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), 0, 0, "runs past the end"},
	} {
		start, end, err := rpmHeaderRange(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: %d-%d, %v; want error %q", tc.name, start, end, err, tc.err)
			}
			continue
		}
		if err != nil || start != tc.start || end != tc.end {
			t.Errorf("%s: %d-%d, %v; want %d-%d", tc.name, start, end, err, tc.start, tc.end)
		}
	}
}
