package main

import (
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"maps"
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
// under out/apt: the .debs (this run's, and --previous's not replaced by
// one of the same package, version and architecture) in pool/main/t/trawl/, one Packages (and
// Packages.gz) index per architecture, and dists/stable/Release listing the
// indices' sizes and hashes. Release is left unsigned: signing it
// (InRelease, Release.gpg) is the publisher's step.
func writeAptRepo(c *config, pkgs []linuxPkg, previous []aptPkg, log io.Writer) error {
	root := filepath.Join(c.Out, "apt")
	pool := filepath.Join("pool", aptComponent, name[:1], name)
	var all []aptPkg
	seen := map[string]bool{} // keys and pool paths of the packages kept
	for _, p := range pkgs {
		ap, err := newAptPkg(p, pool)
		if err != nil {
			return err
		}
		all = append(all, ap)
		seen[ap.Key], seen[ap.Rel] = true, true
	}
	for _, o := range previous {
		if seen[o.Key] || seen[o.Rel] {
			fmt.Fprintf(log, "apt: %s (%s) from --previous replaced by this run's package\n", o.Rel, o.Key)
			continue
		}
		all = append(all, o)
		seen[o.Key], seen[o.Rel] = true, true
	}
	slices.SortFunc(all, func(a, b aptPkg) int { return strings.Compare(a.Arch+"\x00"+a.Rel, b.Arch+"\x00"+b.Rel) })
	byArch := map[string][]string{} // Debian arch → stanzas
	for _, p := range all {
		dst := filepath.Join(root, filepath.FromSlash(p.Rel))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		size, m, s, err := copyHashed(p.Src, dst)
		if err != nil {
			return err
		}
		stanza := strings.TrimRight(p.Control, "\n") + fmt.Sprintf("\nFilename: %s\nSize: %d\nMD5sum: %x\nSHA256: %x\n",
			p.Rel, size, m, s)
		byArch[p.Arch] = append(byArch[p.Arch], stanza)
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
// out/rpm/<arch>/: the .rpms (this run's and --previous's) and repodata/ with primary, filelists and other
// (gzipped, named by their SHA-256 as createrepo does) and repomd.xml
// pointing at them. repomd.xml is left unsigned (repomd.xml.asc is the
// publisher's step).
func writeYumRepos(c *config, pkgs []linuxPkg, previous []yumPkg, log io.Writer) ([]string, error) {
	byArch := map[string][]yumPkg{}
	seen := map[string]bool{} // keys and arch/file names of the packages kept
	for _, p := range pkgs {
		yp, err := newYumPkg(c, p)
		if err != nil {
			return nil, fmt.Errorf("yum repository %s: %w", p.T, err)
		}
		byArch[yp.Arch] = append(byArch[yp.Arch], yp)
		seen[yp.Key], seen[yp.Arch+"/"+yp.Href] = true, true
	}
	for _, o := range previous {
		if seen[o.Key] || seen[o.Arch+"/"+o.Href] {
			fmt.Fprintf(log, "yum: %s/%s (%s) from --previous replaced by this run's package\n", o.Arch, o.Href, o.Key)
			continue
		}
		byArch[o.Arch] = append(byArch[o.Arch], o)
		seen[o.Key], seen[o.Arch+"/"+o.Href] = true, true
	}
	arches := slices.Sorted(maps.Keys(byArch))
	for _, arch := range arches {
		if err := writeYumRepo(c, arch, byArch[arch]); err != nil {
			return nil, fmt.Errorf("yum repository %s: %w", arch, err)
		}
	}
	return arches, nil
}

// yumPkg is one package of a yum repository: its file and its entries in
// primary, filelists and other (each a marshalled <package> element).
type yumPkg struct {
	Src, Arch, Href string
	Key             string // name, epoch:version-release, arch
	Primary         []byte
	Filelists       []byte
	Other           []byte
}

func yumKey(name, arch string, v rpmVersion) string {
	return fmt.Sprintf("%s %s:%s-%s %s", name, v.Epoch, v.Ver, v.Rel, arch)
}

// newYumPkg makes the index entries of a package this run built.
func newYumPkg(c *config, p linuxPkg) (yumPkg, error) {
	arch := rpmArch(p.T.Arch)
	body, err := os.ReadFile(p.RPM)
	if err != nil {
		return yumPkg{}, err
	}
	start, end, err := rpmHeaderRange(body)
	if err != nil {
		return yumPkg{}, fmt.Errorf("%s: %w", p.RPM, err)
	}
	base := filepath.Base(p.RPM)
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
	yp := yumPkg{Src: p.RPM, Arch: arch, Href: base, Key: yumKey(name, arch, ver)}
	for _, d := range []struct {
		dst *[]byte
		v   any
	}{
		{&yp.Primary, pp},
		{&yp.Filelists, filelistsPkg{PkgID: pkgid, Name: name, Arch: arch, Version: ver, Files: files}},
		{&yp.Other, otherPkg{PkgID: pkgid, Name: name, Arch: arch, Version: ver}},
	} {
		if *d.dst, err = xml.MarshalIndent(d.v, "", "  "); err != nil {
			return yumPkg{}, err
		}
	}
	return yp, nil
}

// yumDocs are the repodata files: type, root element and its namespaces.
var yumDocs = []struct{ typ, root, ns string }{
	{"primary", "metadata", `xmlns="http://linux.duke.edu/metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm"`},
	{"filelists", "filelists", `xmlns="http://linux.duke.edu/metadata/filelists"`},
	{"other", "otherdata", `xmlns="http://linux.duke.edu/metadata/other"`},
}

// writeYumRepo writes rpm/<arch>/: the packages (sorted by file name)
// and their repodata.
func writeYumRepo(c *config, arch string, pkgs []yumPkg) error {
	root := filepath.Join(c.Out, "rpm", arch)
	repodata := filepath.Join(root, "repodata")
	if err := os.MkdirAll(repodata, 0o755); err != nil {
		return err
	}
	slices.SortFunc(pkgs, func(a, b yumPkg) int { return strings.Compare(a.Href, b.Href) })
	var primary, filelists, other [][]byte
	for _, p := range pkgs {
		if _, _, _, err := copyHashed(p.Src, filepath.Join(root, p.Href)); err != nil {
			return err
		}
		primary, filelists, other = append(primary, p.Primary), append(filelists, p.Filelists), append(other, p.Other)
	}
	bodies := [][][]byte{primary, filelists, other}
	var data []repomdData
	for i, d := range yumDocs {
		pkgXML := bytes.Join(bodies[i], []byte("\n"))
		open := []byte(fmt.Sprintf("%s<%s %s packages=\"%d\">\n%s\n</%s>\n", xml.Header, d.root, d.ns, len(pkgs), pkgXML, d.root))
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
