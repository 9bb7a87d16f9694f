// Package elixir holds the analyzer for Elixir packages: Mix's mix.lock (for fs and repo targets).
package elixir

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"strings"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/parse/elixir"
	"github.com/trawlsec/trawl/pkg/model"
)

func base(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// Mix reads mix.lock (lockfile analyzer).
type Mix struct{}

// NewMix returns the mix.lock analyzer.
func NewMix() *Mix { return &Mix{} }

func (*Mix) Name() string { return "hex" }
func (*Mix) Version() int { return 1 }

func (*Mix) Required(path string, _ fs.FileInfo) bool {
	return base(path) == "mix.lock"
}

func (*Mix) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	pkgs, err := elixir.Parse(bytes.NewReader(in.Content))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Path, err)
	}
	if len(pkgs) == 0 {
		return nil, nil
	}
	return &analyze.Result{Applications: []analyze.PackageSet{{Type: model.TypeHex, FilePath: in.Path, Packages: pkgs}}}, nil
}
