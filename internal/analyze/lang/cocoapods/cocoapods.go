// Package cocoapods holds the analyzer for CocoaPods packages: Podfile.lock (for fs and repo targets).
package cocoapods

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"strings"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/parse/cocoapods"
	"github.com/trawlsec/trawl/pkg/model"
)

func base(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// CocoaPods reads Podfile.lock (lockfile analyzer).
type CocoaPods struct{}

// NewCocoaPods returns the Podfile.lock analyzer.
func NewCocoaPods() *CocoaPods { return &CocoaPods{} }

func (*CocoaPods) Name() string { return "cocoapods" }
func (*CocoaPods) Version() int { return 1 }

func (*CocoaPods) Required(path string, _ fs.FileInfo) bool {
	return base(path) == "Podfile.lock"
}

func (*CocoaPods) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	pkgs, err := cocoapods.Parse(bytes.NewReader(in.Content))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Path, err)
	}
	if len(pkgs) == 0 {
		return nil, nil
	}
	return &analyze.Result{Applications: []analyze.PackageSet{{Type: model.TypeCocoaPods, FilePath: in.Path, Packages: pkgs}}}, nil
}
