// Package php holds the analyzers for Composer packages: composer.lock
// (for fs and repo targets) and vendor/composer/installed.json, the list of
// installed packages (for image and rootfs targets).
package php

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/parse/php"
	"github.com/trawlsec/trawl/pkg/model"
)

// file is the shared shape of the analyzers: one file, one package set.
type file struct {
	name     string
	typ      string
	required func(path string) bool
	parse    func(io.Reader) ([]model.Package, error)
}

func (a *file) Name() string { return a.name }
func (a *file) Version() int { return 1 }

func (a *file) Required(path string, _ fs.FileInfo) bool { return a.required(path) }

func (a *file) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	pkgs, err := a.parse(bytes.NewReader(in.Content))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Path, err)
	}
	if len(pkgs) == 0 {
		return nil, nil
	}
	return &analyze.Result{Applications: []analyze.PackageSet{{Type: a.typ, FilePath: in.Path, Packages: pkgs}}}, nil
}

// Composer reads composer.lock outside vendor folders (lockfile analyzer).
// Relationship stays
// "unknown": telling direct dependencies apart needs composer.json beside
// the lockfile (php.Direct and php.MarkDirect do that).
type Composer struct{ file }

// NewComposer returns the composer.lock analyzer.
func NewComposer() *Composer {
	return &Composer{file{
		name: "composer", typ: model.TypeComposer,
		required: func(p string) bool {
			if p != "composer.lock" && !strings.HasSuffix(p, "/composer.lock") {
				return false
			}
			// Lockfiles shipped inside installed packages are not the project's.
			return !strings.HasPrefix(p, "vendor/") && !strings.Contains(p, "/vendor/")
		},
		parse: php.ParseLockfile,
	}}
}

// ComposerVendor reads vendor/composer/installed.json (installed analyzer).
type ComposerVendor struct{ file }

// NewComposerVendor returns the installed Composer package analyzer.
func NewComposerVendor() *ComposerVendor {
	return &ComposerVendor{file{
		name: "composer-vendor", typ: model.TypeComposerVend,
		required: func(p string) bool {
			return p == "composer/installed.json" || strings.HasSuffix(p, "/composer/installed.json")
		},
		parse: php.ParseInstalled,
	}}
}
