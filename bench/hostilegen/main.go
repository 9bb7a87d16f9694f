// Command hostilegen writes the hostile inputs the hardening figures in
// docs/benchmarks.md are measured on (bench/hostile.sh runs them):
//
//	hostilegen entries N OUT.tar   a docker-save archive whose one layer holds N empty files
//	hostilegen secrets N DIR       DIR/creds.txt with N "password=" lines
package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: hostilegen entries|secrets N OUT")
		os.Exit(2)
	}
	n, err := strconv.Atoi(os.Args[2])
	if err != nil || n < 0 {
		fmt.Fprintln(os.Stderr, "hostilegen: N must be a count")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "entries":
		err = entries(n, os.Args[3])
	case "secrets":
		err = secrets(n, os.Args[3])
	default:
		err = fmt.Errorf("unknown kind %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "hostilegen:", err)
		os.Exit(1)
	}
}

func entries(n int, out string) error {
	var layer bytes.Buffer
	tw := tar.NewWriter(&layer)
	for i := range n {
		if err := tw.WriteHeader(&tar.Header{Name: fmt.Sprintf("usr/share/x/d%04d/f%07d", i/1000, i), Typeflag: tar.TypeReg, Mode: 0o644}); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	sum := sha256.Sum256(layer.Bytes())
	cfg, _ := json.Marshal(map[string]any{"os": "linux", "architecture": "amd64",
		"rootfs": map[string]any{"type": "layers", "diff_ids": []string{"sha256:" + hex.EncodeToString(sum[:])}}})
	man, _ := json.Marshal([]map[string]any{{"Config": "config.json", "Layers": []string{"layer/layer.tar"}}})
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	ow := tar.NewWriter(f)
	for _, m := range []struct {
		name string
		body []byte
	}{{"config.json", cfg}, {"layer/layer.tar", layer.Bytes()}, {"manifest.json", man}} {
		if err := ow.WriteHeader(&tar.Header{Name: m.name, Size: int64(len(m.body)), Mode: 0o644, Typeflag: tar.TypeReg}); err != nil {
			return err
		}
		if _, err := ow.Write(m.body); err != nil {
			return err
		}
	}
	if err := ow.Close(); err != nil {
		return err
	}
	return f.Close()
}

func secrets(n int, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, "creds.txt"))
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for i := range n {
		fmt.Fprintf(w, "password=hunter%07dabcXYZ\n", i)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}
