package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"go.digitalxero.dev/rpm"
)

// Where the packages put completions: each distribution's vendor directory.
const (
	bashCompletionDir = "usr/share/bash-completion/completions/"
	fishCompletionDir = "usr/share/fish/vendor_completions.d/"
	debZshDir         = "usr/share/zsh/vendor-completions/"
	rpmZshDir         = "usr/share/zsh/site-functions/"
	manDir            = "usr/share/man/man1/"
)

// pkgFile is one file of a .deb or .rpm, with its kind for rpm's flags.
type pkgFile struct {
	entry
	Kind rpm.FileType
}

// packageFiles lists a Linux package's files (paths without the leading
// slash): the binary in /usr/bin, completions, gzipped man pages, the
// licence and NOTICE.
func packageFiles(c *config, bin string, e *extras, deb bool) ([]pkgFile, error) {
	var fs []pkgFile
	add := func(path, src string, mode int64, kind rpm.FileType, gz bool) error {
		b, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		if gz {
			if b, err = gzipBytes(b); err != nil {
				return err
			}
		}
		fs = append(fs, pkgFile{entry{Path: path, Body: b, Mode: mode}, kind})
		return nil
	}
	zshDir, licence := rpmZshDir, "usr/share/licenses/trawl/LICENSE"
	if deb {
		// Debian keeps the licence in the copyright file.
		zshDir, licence = debZshDir, "usr/share/doc/trawl/copyright"
	}
	steps := []struct {
		path, src string
		mode      int64
		kind      rpm.FileType
		gz        bool
	}{
		{"usr/bin/" + name, bin, 0o755, rpm.GenericFile, false},
		{bashCompletionDir + name, e.Completions["bash"], 0o644, rpm.GenericFile, false},
		{zshDir + "_" + name, e.Completions["zsh"], 0o644, rpm.GenericFile, false},
		{fishCompletionDir + name + ".fish", e.Completions["fish"], 0o644, rpm.GenericFile, false},
		{licence, filepath.Join(c.Root, "LICENSE"), 0o644, rpm.LicenceFile, false},
		{"usr/share/doc/trawl/NOTICE", filepath.Join(c.Root, "NOTICE"), 0o644, rpm.DocFile, false},
	}
	for _, p := range e.ManPages {
		steps = append(steps, struct {
			path, src string
			mode      int64
			kind      rpm.FileType
			gz        bool
		}{manDir + filepath.Base(p) + ".gz", p, 0o644, rpm.DocFile, true})
	}
	for _, s := range steps {
		if err := add(s.path, s.src, s.mode, s.kind, s.gz); err != nil {
			return nil, err
		}
	}
	return fs, nil
}

func debArch(goarch string) string { return goarch } // amd64, arm64 as Debian names them

func rpmArch(goarch string) string {
	switch goarch {
	case "amd64":
		return "x86_64"
	case "arm64":
		return "aarch64"
	}
	return goarch
}

// writeDeb writes trawl_<version>_<arch>.deb: an ar archive of
// debian-binary, control.tar.gz (control, md5sums) and data.tar.gz. It
// returns the file's path and its control file (for the apt index).
func writeDeb(c *config, t target, bin string, e *extras) (string, string, error) {
	files, err := packageFiles(c, bin, e, true)
	if err != nil {
		return "", "", err
	}
	var data []entry
	var md5sums strings.Builder
	var size int64
	for _, f := range files {
		data = append(data, f.entry)
		sum := md5.Sum(f.Body)
		fmt.Fprintf(&md5sums, "%s  %s\n", hex.EncodeToString(sum[:]), f.Path)
		size += int64(len(f.Body))
	}
	var long strings.Builder
	for _, l := range strings.Split(description, "\n") {
		long.WriteString(" " + l + "\n")
	}
	control := fmt.Sprintf("Package: %s\nVersion: %s\nSection: utils\nPriority: optional\nArchitecture: %s\n"+
		"Maintainer: %s\nInstalled-Size: %d\nHomepage: %s\nDescription: %s\n%s",
		name, c.pkgVersion(), debArch(t.Arch), c.Maintainer, (size+1023)/1024, homepage, summary, long.String())

	controlTar, err := tarGz(c, []entry{
		{Path: "control", Body: []byte(control), Mode: 0o644},
		{Path: "md5sums", Body: []byte(md5sums.String()), Mode: 0o644},
	})
	if err != nil {
		return "", "", err
	}
	dataTar, err := tarGz(c, data)
	if err != nil {
		return "", "", err
	}
	out := filepath.Join(c.Out, fmt.Sprintf("%s_%s_%s.deb", name, c.pkgVersion(), debArch(t.Arch)))
	return out, control, writeFile(out, func(w io.Writer) error {
		return writeAr(w, c, []entry{
			{Path: "debian-binary", Body: []byte("2.0\n"), Mode: 0o644},
			{Path: "control.tar.gz", Body: controlTar, Mode: 0o644},
			{Path: "data.tar.gz", Body: dataTar, Mode: 0o644},
		})
	})
}

func tarGz(c *config, es []entry) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := writeTar(zw, c, es, "./"); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeAr writes a common-format ar archive, as dpkg reads it.
func writeAr(w io.Writer, c *config, es []entry) error {
	if _, err := io.WriteString(w, "!<arch>\n"); err != nil {
		return err
	}
	for _, e := range es {
		if len(e.Path) > 15 {
			return fmt.Errorf("ar: member name %q is too long", e.Path)
		}
		hdr := fmt.Sprintf("%-16s%-12d%-6d%-6d%-8o%-10d`\n", e.Path+"/", c.Date.Unix(), 0, 0, 0o100000|e.Mode, len(e.Body))
		if _, err := io.WriteString(w, hdr); err != nil {
			return err
		}
		body := e.Body
		if len(body)%2 == 1 {
			body = append(body[:len(body):len(body)], '\n')
		}
		if _, err := w.Write(body); err != nil {
			return err
		}
	}
	return nil
}

// writeRPM writes trawl-<version>-1.<arch>.rpm with nfpm's RPM writer. It
// returns the file's path and the files it holds (for the yum index).
func writeRPM(ctx context.Context, c *config, t target, bin string, e *extras) (string, []pkgFile, error) {
	files, err := packageFiles(c, bin, e, false)
	if err != nil {
		return "", nil, err
	}
	b := rpm.NewPackage().
		WithName(name).WithVersion(c.pkgVersion()).WithRelease("1").
		WithSummary(summary).WithDescription(description).
		WithLicense(license).WithURL(homepage).WithPackager(c.Maintainer).WithVendor("trawl").
		WithGroup("Applications/System").WithArch(rpmArch(t.Arch)).WithOS("linux").
		WithBuildTime(c.Date).WithBuildHost("trawl-release")
	if c.Signer != nil {
		sig, err := c.Signer.rpmSigner()
		if err != nil {
			return "", nil, fmt.Errorf("rpm %s: %w", t, err)
		}
		b = b.WithSigner(sig)
	}
	mtime := uint32(c.Date.Unix())
	for _, f := range files {
		b.WithFile("/"+f.Path, f.Body).WithMode(uint(f.Mode)).WithOwner("root").WithGroup("root").
			WithMTime(mtime).WithType(f.Kind).Add()
	}
	pkg, err := b.Build()
	if err != nil {
		return "", nil, fmt.Errorf("rpm %s: %w", t, err)
	}
	out := filepath.Join(c.Out, fmt.Sprintf("%s-%s-1.%s.rpm", name, c.pkgVersion(), rpmArch(t.Arch)))
	return out, files, writeFile(out, func(w io.Writer) error { return pkg.Write(ctx, w) })
}
