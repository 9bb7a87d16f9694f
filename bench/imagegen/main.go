// Command imagegen writes two similar docker-save archives for the
// trawl diff benchmark: OLD is one layer of -files files (-size bytes each
// on average, spread over directories, with an apk database); NEW is the
// same layer plus a second one that changes 1% of the files, deletes 0.5%
// (whiteouts, and one opaque directory), adds 0.5% and upgrades a package.
//
//	go run ./bench/imagegen -files 200000 -size 6000 -out /tmp/bench
package main

import (
	"archive/tar"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"hash"
	"io"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
)

func main() {
	files := flag.Int("files", 200000, "files in the base layer")
	size := flag.Int("size", 6000, "average file size in bytes")
	out := flag.String("out", ".", "output directory (old.tar, new.tar)")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	base, err := writeLayer(*out, "base", func(tw *tar.Writer) error { return baseLayer(tw, *files, *size) })
	if err != nil {
		log.Fatal(err)
	}
	top, err := writeLayer(*out, "top", func(tw *tar.Writer) error { return topLayer(tw, *files, *size) })
	if err != nil {
		log.Fatal(err)
	}
	if err := writeImage(filepath.Join(*out, "old.tar"), "bench:old", base); err != nil {
		log.Fatal(err)
	}
	if err := writeImage(filepath.Join(*out, "new.tar"), "bench:new", base, top); err != nil {
		log.Fatal(err)
	}
	os.Remove(base.path)
	os.Remove(top.path)
}

type layer struct {
	path   string
	diffID string
	size   int64
}

type hashWriter struct {
	w io.Writer
	h hash.Hash
	n int64
}

func (h *hashWriter) Write(p []byte) (int, error) {
	h.h.Write(p)
	h.n += int64(len(p))
	return h.w.Write(p)
}

func writeLayer(dir, name string, fill func(*tar.Writer) error) (layer, error) {
	p := filepath.Join(dir, name+".layer.tar")
	f, err := os.Create(p)
	if err != nil {
		return layer{}, err
	}
	defer f.Close()
	hw := &hashWriter{w: f, h: sha256.New()}
	tw := tar.NewWriter(hw)
	if err := fill(tw); err != nil {
		return layer{}, err
	}
	if err := tw.Close(); err != nil {
		return layer{}, err
	}
	return layer{path: p, diffID: "sha256:" + hex.EncodeToString(hw.h.Sum(nil)), size: hw.n}, nil
}

func filePath(i int) string { return fmt.Sprintf("usr/share/bench/d%03d/f%06d.dat", i%1000, i) }

// content is deterministic pseudo-random bytes for file i, version v.
func content(i, v, size int) []byte {
	r := rand.New(rand.NewPCG(uint64(i), uint64(v)))
	n := size/2 + r.IntN(size+1)
	b := make([]byte, n)
	for j := 0; j+8 <= n; j += 8 {
		x := r.Uint64()
		for k := range 8 {
			b[j+k] = byte(x >> (8 * k))
		}
	}
	return b
}

func file(tw *tar.Writer, name string, mode int64, body []byte) error {
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: mode, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
		return err
	}
	_, err := tw.Write(body)
	return err
}

func dir(tw *tar.Writer, name string) error {
	return tw.WriteHeader(&tar.Header{Name: name + "/", Mode: 0o755, Typeflag: tar.TypeDir})
}

func apkDB(zlib string) []byte {
	return []byte("P:musl\nV:1.2.4-r2\nA:x86_64\no:musl\n\nP:zlib\nV:" + zlib + "\nA:x86_64\no:zlib\n\n")
}

func baseLayer(tw *tar.Writer, files, size int) error {
	for _, d := range []string{"etc", "lib", "lib/apk", "lib/apk/db", "usr", "usr/share", "usr/share/bench"} {
		if err := dir(tw, d); err != nil {
			return err
		}
	}
	if err := file(tw, "etc/os-release", 0o644, []byte("ID=alpine\nVERSION_ID=3.19.1\n")); err != nil {
		return err
	}
	if err := file(tw, "lib/apk/db/installed", 0o644, apkDB("1.3-r0")); err != nil {
		return err
	}
	for d := range 1000 {
		if err := dir(tw, fmt.Sprintf("usr/share/bench/d%03d", d)); err != nil {
			return err
		}
	}
	for i := range files {
		if err := file(tw, filePath(i), 0o644, content(i, 0, size)); err != nil {
			return err
		}
	}
	return nil
}

func topLayer(tw *tar.Writer, files, size int) error {
	if err := file(tw, "lib/apk/db/installed", 0o644, apkDB("1.3.1-r0")); err != nil {
		return err
	}
	// d999 is replaced wholesale (opaque), with one file.
	if err := dir(tw, "usr/share/bench/d999"); err != nil {
		return err
	}
	if err := file(tw, "usr/share/bench/d999/.wh..wh..opq", 0o644, nil); err != nil {
		return err
	}
	if err := file(tw, "usr/share/bench/d999/only", 0o644, []byte("only")); err != nil {
		return err
	}
	for i := range files {
		switch {
		case i%1000 == 999:
		case i%100 == 1: // 1% changed
			if err := file(tw, filePath(i), 0o644, content(i, 1, size)); err != nil {
				return err
			}
		case i%200 == 2: // 0.5% removed
			d, b := filepath.Split(filePath(i))
			if err := file(tw, d+".wh."+b, 0o644, nil); err != nil {
				return err
			}
		case i%200 == 3: // 0.5% added
			if err := file(tw, filePath(i)+".new", 0o644, content(i, 2, size)); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeImage writes a docker-save archive of the layers.
func writeImage(p, tag string, layers ...layer) error {
	f, err := os.Create(p)
	if err != nil {
		return err
	}
	defer f.Close()
	tw := tar.NewWriter(f)
	var diffIDs, names []string
	for i, l := range layers {
		name := fmt.Sprintf("layer%d.tar", i)
		names = append(names, name)
		diffIDs = append(diffIDs, l.diffID)
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: l.size, Typeflag: tar.TypeReg}); err != nil {
			return err
		}
		lf, err := os.Open(l.path)
		if err != nil {
			return err
		}
		_, err = io.Copy(tw, lf)
		lf.Close()
		if err != nil {
			return err
		}
	}
	cfg, _ := json.Marshal(map[string]any{
		"architecture": "amd64", "os": "linux",
		"rootfs": map[string]any{"type": "layers", "diff_ids": diffIDs},
	})
	if err := file(tw, "config.json", 0o644, cfg); err != nil {
		return err
	}
	man, _ := json.Marshal([]map[string]any{{"Config": "config.json", "RepoTags": []string{tag}, "Layers": names}})
	if err := file(tw, "manifest.json", 0o644, man); err != nil {
		return err
	}
	return tw.Close()
}
