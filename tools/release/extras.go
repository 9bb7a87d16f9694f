package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra/doc"

	"github.com/trawlsec/trawl/internal/cli"
)

// shells are the completions shipped, in cobra's names.
var shells = []string{"bash", "zsh", "fish"}

// extras are the generated files shipped beside the binary.
type extras struct {
	Completions map[string]string // shell → file
	ManPages    []string          // section-1 pages, sorted
}

// genExtras writes the shell completions (from the built host binary, as a
// user would get them) and the man pages (from trawl's cobra command tree).
func genExtras(ctx context.Context, c *config, hostBin, dir string) (*extras, error) {
	e := &extras{Completions: map[string]string{}}
	compDir := filepath.Join(dir, "completions")
	manDir := filepath.Join(dir, "manpages")
	for _, d := range []string{compDir, manDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	for _, sh := range shells {
		out, err := exec.CommandContext(ctx, hostBin, "completion", sh).Output()
		if err != nil {
			return nil, fmt.Errorf("trawl completion %s: %w", sh, err)
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("trawl completion %s: empty output", sh)
		}
		p := filepath.Join(compDir, name+"."+sh)
		if err := os.WriteFile(p, out, 0o644); err != nil {
			return nil, err
		}
		e.Completions[sh] = p
	}

	cli.Version = c.Version
	root := cli.Command()
	root.DisableAutoGenTag = true // no generation date: reproducible pages
	date := c.Date
	header := &doc.GenManHeader{Title: "TRAWL", Section: "1", Date: &date,
		Source: name + " " + c.Version, Manual: "trawl manual"}
	if err := doc.GenManTree(root, header, manDir); err != nil {
		return nil, fmt.Errorf("man pages: %w", err)
	}
	pages, err := filepath.Glob(filepath.Join(manDir, "*.1"))
	if err != nil {
		return nil, err
	}
	if len(pages) == 0 {
		return nil, fmt.Errorf("man pages: none generated in %s", manDir)
	}
	slices.Sort(pages)
	e.ManPages = pages
	return e, nil
}

// gzipBytes compresses b with no name or time in the header, so the same
// page gives the same bytes.
func gzipBytes(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
