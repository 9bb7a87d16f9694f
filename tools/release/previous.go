package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/md5"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// Bounds on what --previous reads into memory.
const (
	maxIndexSize   = 256 << 20 // a Packages file or an uncompressed repodata file
	maxControlSize = 1 << 20   // a .deb's control.tar.gz
	maxPackageSize = 1 << 30   // an .rpm (read whole, for its header)
)

// aptPkg is one .deb of the apt repository.
type aptPkg struct {
	Src     string // the file to copy
	Rel     string // its path under apt/ (pool/main/t/trawl/…), slash-separated
	Control string // its control file: the start of its Packages stanza
	Arch    string
	Key     string // Package Version Architecture
}

func newAptPkg(p linuxPkg, pool string) (aptPkg, error) {
	f := controlFields(p.DebControl)
	if f["Package"] == "" || f["Version"] == "" || f["Architecture"] == "" {
		return aptPkg{}, fmt.Errorf("%s: control file without Package, Version or Architecture", p.Deb)
	}
	return aptPkg{Src: p.Deb, Rel: filepath.ToSlash(filepath.Join(pool, filepath.Base(p.Deb))), Control: p.DebControl,
		Arch: f["Architecture"], Key: f["Package"] + " " + f["Version"] + " " + f["Architecture"]}, nil
}

// controlFields returns a control stanza's single-line fields.
func controlFields(s string) map[string]string {
	m := map[string]string{}
	for _, l := range strings.Split(s, "\n") {
		if l == "" || l[0] == ' ' || l[0] == '\t' {
			continue
		}
		if k, v, ok := strings.Cut(l, ":"); ok {
			m[k] = strings.TrimSpace(v)
		}
	}
	return m
}

// copyHashed copies src to dst and returns its size, MD5 and SHA-256.
func copyHashed(src, dst string) (int64, []byte, []byte, error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, nil, nil, err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return 0, nil, nil, err
	}
	m, s := md5.New(), sha256.New()
	n, err := io.Copy(io.MultiWriter(out, m, s), in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, nil, nil, fmt.Errorf("copy %s: %w", src, err)
	}
	return n, m.Sum(nil), s.Sum(nil), nil
}

func sha256Of(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("%s: %w", p, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// readLimited reads at most max bytes of r; more is an error.
func readLimited(r io.Reader, max int64, what string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s: larger than %d bytes", what, max)
	}
	return b, nil
}

// regularFiles lists the regular files under dir whose names end in ext,
// as slash-separated paths relative to dir; recursive walks every level.
func regularFiles(dir, ext string, recursive bool) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && !recursive {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(d.Name(), ext) {
			return nil
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s: not a regular file", p)
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	return out, err
}

// readPreviousApt reads the .debs of a previous release's apt repository
// (dir is its apt/ directory): each file under pool/ must be listed in a
// dists/stable/main/binary-*/Packages index with its SHA-256, and its
// control file is read from the .deb itself.
func readPreviousApt(dir string) ([]aptPkg, error) {
	listed := map[string]string{} // Filename → SHA256
	indices, err := filepath.Glob(filepath.Join(dir, "dists", aptSuite, aptComponent, "binary-*", "Packages"))
	if err != nil {
		return nil, err
	}
	if len(indices) == 0 {
		return nil, fmt.Errorf("%s: no dists/%s/%s/binary-*/Packages index", dir, aptSuite, aptComponent)
	}
	for _, ix := range indices {
		f, err := os.Open(ix)
		if err != nil {
			return nil, err
		}
		b, err := readLimited(f, maxIndexSize, ix)
		f.Close()
		if err != nil {
			return nil, err
		}
		for _, st := range strings.Split(string(b), "\n\n") {
			fl := controlFields(st)
			if fl["Filename"] == "" {
				continue
			}
			if fl["SHA256"] == "" {
				return nil, fmt.Errorf("%s: %s has no SHA256", ix, fl["Filename"])
			}
			listed[fl["Filename"]] = fl["SHA256"]
		}
	}
	debs, err := regularFiles(filepath.Join(dir, "pool"), ".deb", true)
	if err != nil {
		return nil, fmt.Errorf("previous apt pool: %w", err)
	}
	var out []aptPkg
	found := map[string]bool{}
	for _, rel := range debs {
		rel = path.Join("pool", rel)
		src := filepath.Join(dir, filepath.FromSlash(rel))
		want, ok := listed[rel]
		if !ok {
			return nil, fmt.Errorf("%s: not listed in the previous Packages index", src)
		}
		got, err := sha256Of(src)
		if err != nil {
			return nil, err
		}
		if got != want {
			return nil, fmt.Errorf("%s: SHA-256 %s, but the previous Packages index lists %s", src, got, want)
		}
		control, err := debControl(src)
		if err != nil {
			return nil, err
		}
		fl := controlFields(control)
		if fl["Package"] == "" || fl["Version"] == "" || fl["Architecture"] == "" {
			return nil, fmt.Errorf("%s: control file without Package, Version or Architecture", src)
		}
		found[rel] = true
		out = append(out, aptPkg{Src: src, Rel: rel, Control: control, Arch: fl["Architecture"],
			Key: fl["Package"] + " " + fl["Version"] + " " + fl["Architecture"]})
	}
	for rel := range listed {
		if !found[rel] {
			return nil, fmt.Errorf("%s: listed in the previous Packages index, but missing", filepath.Join(dir, filepath.FromSlash(rel)))
		}
	}
	return out, nil
}

// debControl reads the control file of a .deb: the ar archive's
// control.tar.gz member (other compressions are refused).
func debControl(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	r := bufio.NewReader(f)
	magic := make([]byte, 8)
	if _, err := io.ReadFull(r, magic); err != nil || string(magic) != "!<arch>\n" {
		return "", fmt.Errorf("%s: not a .deb (no ar header)", p)
	}
	for {
		hdr := make([]byte, 60)
		if _, err := io.ReadFull(r, hdr); err != nil {
			return "", fmt.Errorf("%s: no control.tar.gz member", p)
		}
		member := strings.TrimSuffix(strings.TrimSpace(string(hdr[:16])), "/")
		size, err := strconv.ParseInt(strings.TrimSpace(string(hdr[48:58])), 10, 64)
		if err != nil || size < 0 || string(hdr[58:60]) != "`\n" {
			return "", fmt.Errorf("%s: bad ar member header %q", p, hdr[:16])
		}
		switch {
		case member == "control.tar.gz":
			if size > maxControlSize {
				return "", fmt.Errorf("%s: control.tar.gz is larger than %d bytes", p, maxControlSize)
			}
			return controlFromTarGz(p, io.LimitReader(r, size))
		case strings.HasPrefix(member, "control.tar"):
			return "", fmt.Errorf("%s: %s: only gzip-compressed control archives are supported", p, member)
		}
		if _, err := io.CopyN(io.Discard, r, size+size%2); err != nil {
			return "", fmt.Errorf("%s: ar member %s cut short", p, member)
		}
	}
}

func controlFromTarGz(p string, r io.Reader) (string, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return "", fmt.Errorf("%s: control.tar.gz: %w", p, err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return "", fmt.Errorf("%s: control.tar.gz has no control file", p)
		}
		if err != nil {
			return "", fmt.Errorf("%s: control.tar.gz: %w", p, err)
		}
		if path.Clean(strings.TrimPrefix(h.Name, "./")) != "control" {
			continue
		}
		b, err := readLimited(tr, maxControlSize, p+": control")
		if err != nil {
			return "", err
		}
		return string(b), nil
	}
}

// readPreviousYum reads the .rpms of a previous release's yum
// repositories (dir is its rpm/ directory, one repository per arch): each
// .rpm must be listed in its repodata's primary with its SHA-256 (the
// repodata files checked against repomd.xml), and its header must name the
// package primary lists. The entries of primary, filelists and other are
// kept as they are.
func readPreviousYum(dir string) ([]yumPkg, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []yumPkg
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		pkgs, err := readPreviousYumRepo(filepath.Join(dir, e.Name()), e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, pkgs...)
	}
	return out, nil
}

// repoEntry is what --previous reads of a repodata <package> element.
type repoEntry struct {
	PkgID    string     `xml:"pkgid,attr"`
	Name     string     `xml:"name"`
	Arch     string     `xml:"arch"`
	Version  rpmVersion `xml:"version"`
	Checksum struct {
		Type  string `xml:"type,attr"`
		Value string `xml:",chardata"`
	} `xml:"checksum"`
	Location repoHref `xml:"location"`
}

func readPreviousYumRepo(root, arch string) ([]yumPkg, error) {
	mdPath := filepath.Join(root, "repodata", "repomd.xml")
	mdFile, err := os.Open(mdPath)
	if err != nil {
		return nil, err
	}
	mdBody, err := readLimited(mdFile, maxIndexSize, mdPath)
	mdFile.Close()
	if err != nil {
		return nil, err
	}
	var md struct {
		Data []repomdData `xml:"data"`
	}
	if err := xml.Unmarshal(mdBody, &md); err != nil {
		return nil, fmt.Errorf("%s: %w", mdPath, err)
	}
	raw := map[string]map[string][]byte{} // type → pkgid → <package> element
	var primary map[string]repoEntry      // pkgid → entry
	for _, d := range md.Data {
		if d.Type != "primary" && d.Type != "filelists" && d.Type != "other" {
			continue
		}
		href := d.Location.Href
		if path.Dir(href) != "repodata" || path.Base(href) != path.Clean(path.Base(href)) || strings.Contains(href, "\\") {
			return nil, fmt.Errorf("%s: %s location %q is not in repodata/", mdPath, d.Type, href)
		}
		p := filepath.Join(root, filepath.FromSlash(href))
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		gz, err := readLimited(f, maxIndexSize, p)
		f.Close()
		if err != nil {
			return nil, err
		}
		if sum := sha256.Sum256(gz); d.Checksum.Type != "sha256" || hex.EncodeToString(sum[:]) != d.Checksum.Value {
			return nil, fmt.Errorf("%s: SHA-256 %x, but repomd.xml lists %s %s", p, sum, d.Checksum.Type, d.Checksum.Value)
		}
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		open, err := readLimited(zr, maxIndexSize, p)
		if err != nil {
			return nil, err
		}
		els, entries, err := packageElements(open)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		raw[d.Type] = map[string][]byte{}
		if d.Type == "primary" {
			primary = map[string]repoEntry{}
		}
		for i, en := range entries {
			id := en.PkgID
			if d.Type == "primary" {
				id = en.Checksum.Value
				if en.Checksum.Type != "sha256" || id == "" {
					return nil, fmt.Errorf("%s: %s has no sha256 checksum", p, en.Location.Href)
				}
				primary[id] = en
			}
			raw[d.Type][id] = els[i]
		}
	}
	if primary == nil || raw["filelists"] == nil || raw["other"] == nil {
		return nil, fmt.Errorf("%s: primary, filelists or other missing", mdPath)
	}
	byHref := map[string]repoEntry{}
	for id, en := range primary {
		if raw["filelists"][id] == nil || raw["other"][id] == nil {
			return nil, fmt.Errorf("%s: %s is in primary but not in filelists or other", mdPath, en.Location.Href)
		}
		byHref[en.Location.Href] = en
	}
	rpms, err := regularFiles(root, ".rpm", false)
	if err != nil {
		return nil, fmt.Errorf("previous yum repository: %w", err)
	}
	var out []yumPkg
	for _, base := range rpms {
		src := filepath.Join(root, base)
		en, ok := byHref[base]
		if !ok {
			return nil, fmt.Errorf("%s: not listed in the previous primary index", src)
		}
		delete(byHref, base)
		body, err := readRPMFile(src)
		if err != nil {
			return nil, err
		}
		if sum := sha256.Sum256(body); hex.EncodeToString(sum[:]) != en.Checksum.Value {
			return nil, fmt.Errorf("%s: SHA-256 %x, but the previous primary index lists %s", src, sum, en.Checksum.Value)
		}
		tags, err := rpmNEVRA(body)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src, err)
		}
		if tags != [4]string{en.Name, en.Version.Ver, en.Version.Rel, en.Arch} || en.Arch != arch {
			return nil, fmt.Errorf("%s: header says %s %s-%s %s; primary in %s lists %s %s-%s %s", src,
				tags[0], tags[1], tags[2], tags[3], arch, en.Name, en.Version.Ver, en.Version.Rel, en.Arch)
		}
		id := en.Checksum.Value
		out = append(out, yumPkg{Src: src, Arch: arch, Href: base, Key: yumKey(en.Name, en.Arch, en.Version),
			Primary: raw["primary"][id], Filelists: raw["filelists"][id], Other: raw["other"][id]})
	}
	for href := range byHref {
		return nil, fmt.Errorf("%s: listed in the previous primary index, but missing", filepath.Join(root, filepath.FromSlash(href)))
	}
	return out, nil
}

func readRPMFile(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readLimited(f, maxPackageSize, p)
}

// packageElements returns each top-level <package> element of a repodata
// file, as written (so prefixes like rpm: stay as the root declares them),
// and what --previous needs of it.
func packageElements(doc []byte) ([][]byte, []repoEntry, error) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	var els [][]byte
	var entries []repoEntry
	depth := 0
	for {
		off := d.InputOffset()
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return els, entries, nil
		}
		if err != nil {
			return nil, nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 1 && t.Name.Local == "package" {
				var en repoEntry
				if err := d.DecodeElement(&en, &t); err != nil {
					return nil, nil, err
				}
				els = append(els, bytes.TrimSpace(doc[off:d.InputOffset()]))
				entries = append(entries, en)
				continue
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
}

// rpmNEVRA reads the NAME, VERSION, RELEASE and ARCH tags of an RPM's main
// header.
func rpmNEVRA(b []byte) ([4]string, error) {
	var out [4]string
	start, end, err := rpmHeaderRange(b)
	if err != nil {
		return out, err
	}
	n := int(binary.BigEndian.Uint32(b[start+8:]))
	store := start + 16 + 16*n
	want := map[uint32]int{1000: 0, 1001: 1, 1002: 2, 1022: 3}
	for i := range n {
		e := b[start+16+16*i:]
		tag, typ, off := binary.BigEndian.Uint32(e), binary.BigEndian.Uint32(e[4:]), int64(binary.BigEndian.Uint32(e[8:]))
		slot, ok := want[tag]
		if !ok {
			continue
		}
		if typ != 6 || int64(store)+off >= int64(end) { // RPM_STRING_TYPE
			return out, fmt.Errorf("RPM header tag %d is not a string inside the header", tag)
		}
		s := b[store+int(off) : end]
		z := bytes.IndexByte(s, 0)
		if z < 0 {
			return out, fmt.Errorf("RPM header tag %d runs past the header", tag)
		}
		out[slot] = string(s[:z])
	}
	return out, nil
}
