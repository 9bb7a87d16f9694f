// Command notice writes NOTICE: the third-party Go modules linked into
// trawl's binary with their licences, classified from each module's own
// licence file in the local module cache by trawl's licence classifier
// (internal/license), and the NOTICE files of the modules that ship one.
// It never downloads anything: the modules must be in the cache (after a
// go build they are).
//
// Usage: go run ./tools/notice [-check]
//
// With -check it compares instead of writing and exits 1 when NOTICE is
// out of date (a CI-style guard; the test in this folder does the same).
package main

import (
	"bytes"
	_ "embed"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/trawlsec/trawl/internal/license"
)

func main() {
	check := flag.Bool("check", false, "compare with NOTICE instead of writing it")
	flag.Parse()
	want, err := Generate(".")
	if err != nil {
		fmt.Fprintln(os.Stderr, "notice:", err)
		os.Exit(1)
	}
	if *check {
		have, err := os.ReadFile("NOTICE")
		if err != nil || !bytes.Equal(have, want) {
			fmt.Fprintln(os.Stderr, "notice: NOTICE is out of date; run go run ./tools/notice")
			os.Exit(1)
		}
		return
	}
	if err := os.WriteFile("NOTICE", want, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "notice:", err)
		os.Exit(1)
	}
}

//go:embed overrides.txt
var overridesText string

// overrides are the hand-read licences of modules whose licence file
// concatenates several licences (overrides.txt says why).
func overrides() map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(overridesText, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		mod, expr, _ := strings.Cut(line, " ")
		out[mod] = strings.TrimSpace(expr)
	}
	return out
}

// module is one dependency of the binary.
type module struct{ path, dir string }

// modules lists the modules ./cmd/trawl links, from the module cache.
func modules(root string) ([]module, error) {
	cmd := exec.Command("go", "list", "-deps", "-f", "{{with .Module}}{{if not .Main}}{{.Path}}\t{{.Dir}}{{end}}{{end}}", "./cmd/trawl")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %w", err)
	}
	seen := map[string]bool{}
	var mods []module
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		p, dir, ok := strings.Cut(line, "\t")
		if !ok || seen[p] {
			continue
		}
		seen[p] = true
		if dir == "" {
			return nil, fmt.Errorf("module %s is not in the module cache (run go mod download)", p)
		}
		mods = append(mods, module{p, dir})
	}
	slices.SortFunc(mods, func(a, b module) int { return strings.Compare(a.path, b.path) })
	return mods, nil
}

// licenses classifies a module's licence files (LICENSE*, LICENCE*,
// COPYING* at its root, any case); "" when none is recognised.
func licenses(c *license.FileClassifier, dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	var ids []string
	for _, e := range entries {
		n := strings.ToLower(e.Name())
		if !e.Type().IsRegular() || !(strings.HasPrefix(n, "license") || strings.HasPrefix(n, "licence") || strings.HasPrefix(n, "copying")) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return "", err
		}
		for _, m := range c.Classify(b, 0.8) {
			if !slices.Contains(ids, m.Name) {
				ids = append(ids, m.Name)
			}
		}
	}
	slices.Sort(ids)
	return strings.Join(ids, " AND "), nil
}

// Generate builds the NOTICE text for the module at root.
func Generate(root string) ([]byte, error) {
	mods, err := modules(root)
	if err != nil {
		return nil, err
	}
	c, err := license.NewFileClassifier()
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(`trawl
Copyright 2026 The trawl authors

This product is licensed under the Apache License, Version 2.0 (LICENSE).

trawl's binary includes the third-party Go modules listed below, each under
its own licence (the licence texts are in each module's source, as published
on the Go module proxy; the licences were read from those texts by
tools/notice). The NOTICE files of the modules that ship one are reproduced
after the list, as the Apache License asks.

`)
	// The module column is as wide as the longest path, so no path runs
	// into its licence.
	width := len("Module")
	for _, m := range mods {
		width = max(width, len(m.path))
	}
	fmt.Fprintf(&b, "%-*s  %s\n", width, "Module", "Licence")
	var mpl []string
	var notices []module
	over := overrides()
	for _, m := range mods {
		ids, err := licenses(c, m.dir)
		if err != nil {
			return nil, err
		}
		if o, ok := over[m.path]; ok {
			ids = o
		}
		if ids == "" {
			return nil, fmt.Errorf("module %s: no licence file the classifier recognises in %s", m.path, m.dir)
		}
		fmt.Fprintf(&b, "%-*s  %s\n", width, m.path, ids)
		if strings.Contains(ids, "MPL-") {
			mpl = append(mpl, m.path)
		}
		if _, err := os.Stat(filepath.Join(m.dir, "NOTICE")); err == nil {
			notices = append(notices, m)
		}
	}
	if len(mpl) > 0 {
		fmt.Fprintf(&b, "\nMPL-2.0 modules (%s) are used unmodified;\ntheir source is available from the Go module proxy.\n", strings.Join(mpl, ", "))
	}
	b.WriteString(`
trawl's binary also embeds the full texts of 60 licences
(internal/license/texts/*.txt) for licence file classification, taken from
the npm package spdx-license-list 6.12.0 (CC0-1.0), which copies them from
the SPDX License List (https://spdx.org/licenses/). Each text remains under
its own licence's terms for its reproduction.
`)
	for _, m := range notices {
		n, err := os.ReadFile(filepath.Join(m.dir, "NOTICE"))
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "\n----- NOTICE of %s -----\n%s", m.path, strings.TrimRight(string(n), "\n")+"\n")
	}
	return b.Bytes(), nil
}
