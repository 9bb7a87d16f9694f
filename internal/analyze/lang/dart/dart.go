// Package dart holds the analyzer for Dart and Flutter packages: pub's pubspec.lock (for fs and repo targets).
package dart

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"strings"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/parse/dart"
	"github.com/trawlsec/trawl/pkg/model"
)

func base(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// Pub reads pubspec.lock (lockfile analyzer).
type Pub struct{}

// NewPub returns the pubspec.lock analyzer.
func NewPub() *Pub { return &Pub{} }

func (*Pub) Name() string { return "pub" }
func (*Pub) Version() int { return 1 }

func (*Pub) Required(path string, _ fs.FileInfo) bool {
	return base(path) == "pubspec.lock"
}

func (*Pub) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	pkgs, err := dart.Parse(bytes.NewReader(in.Content))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Path, err)
	}
	if len(pkgs) == 0 {
		return nil, nil
	}
	return &analyze.Result{Applications: []analyze.PackageSet{{Type: model.TypePub, FilePath: in.Path, Packages: pkgs}}}, nil
}
