// Package swift holds the analyzer for Swift packages: the Swift Package Manager's Package.resolved (for fs and repo targets).
package swift

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"strings"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/parse/swift"
	"github.com/trawlsec/trawl/pkg/model"
)

func base(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// Swift reads Package.resolved (lockfile analyzer).
type Swift struct{}

// NewSwift returns the Package.resolved analyzer.
func NewSwift() *Swift { return &Swift{} }

func (*Swift) Name() string { return "swift" }
func (*Swift) Version() int { return 1 }

func (*Swift) Required(path string, _ fs.FileInfo) bool {
	return base(path) == "Package.resolved"
}

func (*Swift) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	pkgs, err := swift.Parse(bytes.NewReader(in.Content))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Path, err)
	}
	if len(pkgs) == 0 {
		return nil, nil
	}
	return &analyze.Result{Applications: []analyze.PackageSet{{Type: model.TypeSwift, FilePath: in.Path, Packages: pkgs}}}, nil
}
