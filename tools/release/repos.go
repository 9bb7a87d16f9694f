package main

import (
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// linuxPkg is one Linux target's packages, as the repositories index them.
type linuxPkg struct {
	T          target
	Deb        string // path of the .deb in --out
	DebControl string // its control file
	RPM        string // path of the .rpm in --out
	RPMFiles   []pkgFile
}

// aptSuite and aptComponent name the apt repository's only distribution.
const (
	aptSuite     = "stable"
	aptComponent = "main"
)

// writeAptRepo writes an apt repository in Debian's pool/dists layout
// under out/apt: the .debs in pool/main/t/trawl/, one Packages (and
// Packages.gz) index per architecture, and dists/stable/Release listing the
// indices' sizes and hashes. Release is left unsigned: signing it
// (InRelease, Release.gpg) is the publisher's step.
func writeAptRepo(c *config, pkgs []linuxPkg) error {
	root := filepath.Join(c.Out, "apt")
	pool := filepath.Join("pool", aptComponent, name[:1], name)
	if err := os.MkdirAll(filepath.Join(root, pool), 0o755); err != nil {
		return err
	}
	byArch := map[string][]string{} // Debian arch → stanzas
	for _, p := range pkgs {
		body, err := os.ReadFile(p.Deb)
		if err != nil {
			return err
		}
		rel := filepath.ToSlash(filepath.Join(pool, filepath.Base(p.Deb)))
		if err := os.WriteFile(filepath.Join(root, rel), body, 0o644); err != nil {
			return err
		}
		m, s := md5.Sum(body), sha256.Sum256(body)
		stanza := strings.TrimRight(p.DebControl, "\n") + fmt.Sprintf("\nFilename: %s\nSize: %d\nMD5sum: %x\nSHA256: %x\n",
			rel, len(body), m, s)
		a := debArch(p.T.Arch)
		byArch[a] = append(byArch[a], stanza)
	}
	var arches []string
	for a := range byArch {
		arches = append(arches, a)
	}
	slices.Sort(arches)

	type index struct {
		rel  string // relative to dists/stable
		body []byte
	}
	var indices []index
	for _, a := range arches {
		dir := aptComponent + "/binary-" + a
		packages := []byte(strings.Join(byArch[a], "\n"))
		gz, err := gzipBytes(packages)
		if err != nil {
			return err
		}
		release := fmt.Sprintf("Archive: %s\nComponent: %s\nOrigin: %s\nLabel: %s\nArchitecture: %s\n",
			aptSuite, aptComponent, name, name, a)
		indices = append(indices, index{dir + "/Packages", packages}, index{dir + "/Packages.gz", gz},
			index{dir + "/Release", []byte(release)})
	}
	dists := filepath.Join(root, "dists", aptSuite)
	var md5s, sha256s strings.Builder
	for _, ix := range indices {
		p := filepath.Join(dists, filepath.FromSlash(ix.rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, ix.body, 0o644); err != nil {
			return err
		}
		m, s := md5.Sum(ix.body), sha256.Sum256(ix.body)
		fmt.Fprintf(&md5s, " %x %16d %s\n", m, len(ix.body), ix.rel)
		fmt.Fprintf(&sha256s, " %x %16d %s\n", s, len(ix.body), ix.rel)
	}
	release := fmt.Sprintf("Origin: %s\nLabel: %s\nSuite: %s\nCodename: %s\nDate: %s\n"+
		"Architectures: %s\nComponents: %s\nDescription: %s packages\nMD5Sum:\n%sSHA256:\n%s",
		name, name, aptSuite, aptSuite, c.Date.UTC().Format("Mon, 02 Jan 2006 15:04:05 UTC"),
		strings.Join(arches, " "), aptComponent, name, md5s.String(), sha256s.String())
	return os.WriteFile(filepath.Join(dists, "Release"), []byte(release), 0o644)
}

// Yum repository metadata, in createrepo's format (the subset dnf reads).
type (
	rpmVersion struct {
		Epoch string `xml:"epoch,attr"`
		Ver   string `xml:"ver,attr"`
		Rel   string `xml:"rel,attr"`
	}
	repoChecksum struct {
		Type  string `xml:"type,attr"`
		PkgID string `xml:"pkgid,attr,omitempty"`
		Value string `xml:",chardata"`
	}
	repoHref struct {
		Href string `xml:"href,attr"`
	}
	rpmEntry struct {
		Name  string `xml:"name,attr"`
		Flags string `xml:"flags,attr"`
		rpmVersion
	}
	primaryPkg struct {
		XMLName     xml.Name     `xml:"package"`
		Type        string       `xml:"type,attr"`
		Name        string       `xml:"name"`
		Arch        string       `xml:"arch"`
		Version     rpmVersion   `xml:"version"`
		Checksum    repoChecksum `xml:"checksum"`
		Summary     string       `xml:"summary"`
		Description string       `xml:"description"`
		Packager    string       `xml:"packager"`
		URL         string       `xml:"url"`
		Time        struct {
			File  int64 `xml:"file,attr"`
			Build int64 `xml:"build,attr"`
		} `xml:"time"`
		Size struct {
			Package   int64 `xml:"package,attr"`
			Installed int64 `xml:"installed,attr"`
		} `xml:"size"`
		Location repoHref `xml:"location"`
		Format   struct {
			License     string `xml:"rpm:license"`
			Vendor      string `xml:"rpm:vendor"`
			Group       string `xml:"rpm:group"`
			BuildHost   string `xml:"rpm:buildhost"`
			SourceRPM   string `xml:"rpm:sourcerpm"`
			HeaderRange struct {
				Start int `xml:"start,attr"`
				End   int `xml:"end,attr"`
			} `xml:"rpm:header-range"`
			Provides []rpmEntry `xml:"rpm:provides>rpm:entry"`
			Files    []string   `xml:"file"`
		} `xml:"format"`
	}
	filelistsPkg struct {
		XMLName xml.Name   `xml:"package"`
		PkgID   string     `xml:"pkgid,attr"`
		Name    string     `xml:"name,attr"`
		Arch    string     `xml:"arch,attr"`
		Version rpmVersion `xml:"version"`
		Files   []string   `xml:"file"`
	}
	otherPkg struct {
		XMLName xml.Name   `xml:"package"`
		PkgID   string     `xml:"pkgid,attr"`
		Name    string     `xml:"name,attr"`
		Arch    string     `xml:"arch,attr"`
		Version rpmVersion `xml:"version"`
	}
	repomdData struct {
		Type         string       `xml:"type,attr"`
		Checksum     repoChecksum `xml:"checksum"`
		OpenChecksum repoChecksum `xml:"open-checksum"`
		Location     repoHref     `xml:"location"`
		Timestamp    int64        `xml:"timestamp"`
		Size         int          `xml:"size"`
		OpenSize     int          `xml:"open-size"`
	}
)

// writeYumRepos writes one yum/dnf repository per architecture under
// out/rpm/<arch>/: the .rpm and repodata/ with primary, filelists and other
// (gzipped, named by their SHA-256 as createrepo does) and repomd.xml
// pointing at them. repomd.xml is left unsigned (repomd.xml.asc is the
// publisher's step).
func writeYumRepos(c *config, pkgs []linuxPkg) error {
	for _, p := range pkgs {
		if err := writeYumRepo(c, p); err != nil {
			return fmt.Errorf("yum repository %s: %w", p.T, err)
		}
	}
	return nil
}

func writeYumRepo(c *config, p linuxPkg) error {
	arch := rpmArch(p.T.Arch)
	root := filepath.Join(c.Out, "rpm", arch)
	repodata := filepath.Join(root, "repodata")
	if err := os.MkdirAll(repodata, 0o755); err != nil {
		return err
	}
	body, err := os.ReadFile(p.RPM)
	if err != nil {
		return err
	}
	start, end, err := rpmHeaderRange(body)
	if err != nil {
		return fmt.Errorf("%s: %w", p.RPM, err)
	}
	base := filepath.Base(p.RPM)
	if err := os.WriteFile(filepath.Join(root, base), body, 0o644); err != nil {
		return err
	}
	sum := sha256.Sum256(body)
	pkgid := hex.EncodeToString(sum[:])
	ver := rpmVersion{Epoch: "0", Ver: c.pkgVersion(), Rel: "1"}
	var files []string
	var installed int64
	for _, f := range p.RPMFiles {
		files = append(files, "/"+f.Path)
		installed += int64(len(f.Body))
	}

	var pp primaryPkg
	pp.Type, pp.Name, pp.Arch, pp.Version = "rpm", name, arch, ver
	pp.Checksum = repoChecksum{Type: "sha256", PkgID: "YES", Value: pkgid}
	pp.Summary, pp.Description, pp.Packager, pp.URL = summary, description, c.Maintainer, homepage
	pp.Time.File, pp.Time.Build = c.Date.Unix(), c.Date.Unix()
	pp.Size.Package, pp.Size.Installed = int64(len(body)), installed
	pp.Location.Href = base
	pp.Format.License, pp.Format.Vendor, pp.Format.Group = license, "trawl", "Applications/System"
	pp.Format.BuildHost = "trawl-release"
	pp.Format.SourceRPM = fmt.Sprintf("%s-%s-1.src.rpm", name, c.pkgVersion())
	pp.Format.HeaderRange.Start, pp.Format.HeaderRange.End = start, end
	pp.Format.Provides = []rpmEntry{
		{Name: name, Flags: "EQ", rpmVersion: ver},
		{Name: fmt.Sprintf("%s(%s)", name, strings.ReplaceAll(arch, "_", "-")), Flags: "EQ", rpmVersion: ver},
	}
	for _, f := range files {
		if strings.HasPrefix(f, "/usr/bin/") { // primary lists the binaries; filelists, all files
			pp.Format.Files = append(pp.Format.Files, f)
		}
	}

	docs := []struct {
		typ, root, ns string
		pkg           any
	}{
		{"primary", "metadata", `xmlns="http://linux.duke.edu/metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm"`, pp},
		{"filelists", "filelists", `xmlns="http://linux.duke.edu/metadata/filelists"`,
			filelistsPkg{PkgID: pkgid, Name: name, Arch: arch, Version: ver, Files: files}},
		{"other", "otherdata", `xmlns="http://linux.duke.edu/metadata/other"`,
			otherPkg{PkgID: pkgid, Name: name, Arch: arch, Version: ver}},
	}
	var data []repomdData
	for _, d := range docs {
		pkgXML, err := xml.MarshalIndent(d.pkg, "", "  ")
		if err != nil {
			return err
		}
		open := []byte(fmt.Sprintf("%s<%s %s packages=\"1\">\n%s\n</%s>\n", xml.Header, d.root, d.ns, pkgXML, d.root))
		gz, err := gzipBytes(open)
		if err != nil {
			return err
		}
		gzSum, openSum := sha256.Sum256(gz), sha256.Sum256(open)
		href := fmt.Sprintf("repodata/%x-%s.xml.gz", gzSum, d.typ)
		if err := os.WriteFile(filepath.Join(root, filepath.FromSlash(href)), gz, 0o644); err != nil {
			return err
		}
		data = append(data, repomdData{Type: d.typ,
			Checksum:     repoChecksum{Type: "sha256", Value: hex.EncodeToString(gzSum[:])},
			OpenChecksum: repoChecksum{Type: "sha256", Value: hex.EncodeToString(openSum[:])},
			Location:     repoHref{href}, Timestamp: c.Date.Unix(), Size: len(gz), OpenSize: len(open)})
	}
	md, err := xml.MarshalIndent(struct {
		XMLName  xml.Name     `xml:"repomd"`
		NS       string       `xml:"xmlns,attr"`
		RPMNS    string       `xml:"xmlns:rpm,attr"`
		Revision int64        `xml:"revision"`
		Data     []repomdData `xml:"data"`
	}{NS: "http://linux.duke.edu/metadata/repo", RPMNS: "http://linux.duke.edu/metadata/rpm",
		Revision: c.Date.Unix(), Data: data}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(repodata, "repomd.xml"), append([]byte(xml.Header), append(md, '\n')...), 0o644)
}

// rpmHeaderRange returns the byte range of an RPM's main header (after the
// 96-byte lead and the 8-aligned signature header), as primary.xml's
// rpm:header-range records it.
func rpmHeaderRange(b []byte) (start, end int, err error) {
	hdrEnd := func(off int) (int, error) {
		if off+16 > len(b) || !bytes.Equal(b[off:off+3], []byte{0x8e, 0xad, 0xe8}) {
			return 0, fmt.Errorf("no RPM header at byte %d", off)
		}
		n, size := int(binary.BigEndian.Uint32(b[off+8:])), int(binary.BigEndian.Uint32(b[off+12:]))
		e := off + 16 + 16*n + size
		if n < 0 || size < 0 || e > len(b) || e < off {
			return 0, fmt.Errorf("RPM header at byte %d runs past the end", off)
		}
		return e, nil
	}
	if len(b) < 96 || !bytes.Equal(b[:4], []byte{0xed, 0xab, 0xee, 0xdb}) {
		return 0, 0, fmt.Errorf("not an RPM (no lead)")
	}
	sigEnd, err := hdrEnd(96)
	if err != nil {
		return 0, 0, err
	}
	start = (sigEnd + 7) &^ 7
	end, err = hdrEnd(start)
	return start, end, err
}
