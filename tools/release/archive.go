package main

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// entry is one file of an archive or a package.
type entry struct {
	Path string // inside the archive or package
	Body []byte
	Mode int64
}

// archiveEntries lists what an archive holds, at its top level as
// GoReleaser lays it out: the binary, LICENSE, NOTICE, README.md,
// completions/ and manpages/.
func archiveEntries(c *config, t target, bin string, e *extras) ([]entry, error) {
	var es []entry
	add := func(path, src string, mode int64) error {
		b, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		es = append(es, entry{Path: path, Body: b, Mode: mode})
		return nil
	}
	if err := add(t.exe(), bin, 0o755); err != nil {
		return nil, err
	}
	for _, f := range []string{"LICENSE", "NOTICE", "README.md"} {
		if err := add(f, filepath.Join(c.Root, f), 0o644); err != nil {
			return nil, err
		}
	}
	for _, sh := range shells {
		if err := add("completions/"+filepath.Base(e.Completions[sh]), e.Completions[sh], 0o644); err != nil {
			return nil, err
		}
	}
	for _, p := range e.ManPages {
		if err := add("manpages/"+filepath.Base(p), p, 0o644); err != nil {
			return nil, err
		}
	}
	return es, nil
}

// writeArchive writes trawl_<version>_<os>_<arch>.tar.gz (.zip for Windows).
func writeArchive(c *config, t target, bin string, e *extras) (string, error) {
	es, err := archiveEntries(c, t, bin, e)
	if err != nil {
		return "", err
	}
	base := filepath.Join(c.Out, fmt.Sprintf("%s_%s_%s_%s", name, c.fileVersion(), t.OS, t.Arch))
	if t.OS == "windows" {
		return base + ".zip", writeFile(base+".zip", func(w io.Writer) error { return writeZip(w, c, es) })
	}
	return base + ".tar.gz", writeFile(base+".tar.gz", func(w io.Writer) error {
		zw := gzip.NewWriter(w)
		if err := writeTar(zw, c, es, ""); err != nil {
			return err
		}
		return zw.Close()
	})
}

// writeTar writes es as root-owned files under prefix ("./" in packages),
// with the parent directories of each file before it.
func writeTar(w io.Writer, c *config, es []entry, prefix string) error {
	tw := tar.NewWriter(w)
	dirs := map[string]bool{}
	for _, e := range es {
		for _, d := range parents(e.Path) {
			if dirs[d] {
				continue
			}
			dirs[d] = true
			if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: prefix + d + "/", Mode: 0o755,
				ModTime: c.Date, Uname: "root", Gname: "root", Format: tar.FormatGNU}); err != nil {
				return err
			}
		}
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: prefix + e.Path, Mode: e.Mode,
			Size: int64(len(e.Body)), ModTime: c.Date, Uname: "root", Gname: "root", Format: tar.FormatGNU}); err != nil {
			return err
		}
		if _, err := tw.Write(e.Body); err != nil {
			return err
		}
	}
	return tw.Close()
}

// parents lists the directories above a slash path, outermost first.
func parents(p string) []string {
	var ds []string
	for d := filepath.ToSlash(filepath.Dir(p)); d != "." && d != "/" && d != ""; d = filepath.ToSlash(filepath.Dir(d)) {
		ds = append([]string{d}, ds...)
	}
	return ds
}

func writeZip(w io.Writer, c *config, es []entry) error {
	zw := zip.NewWriter(w)
	for _, e := range es {
		h := &zip.FileHeader{Name: e.Path, Method: zip.Deflate, Modified: c.Date}
		h.SetMode(os.FileMode(e.Mode))
		fw, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		if _, err := fw.Write(e.Body); err != nil {
			return err
		}
	}
	return zw.Close()
}

// writeFile creates path and fills it with write; a failure names the file.
func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
