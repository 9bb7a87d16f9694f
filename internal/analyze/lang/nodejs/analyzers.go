package nodejs

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"strings"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/analyze/lang/lockfile"
	"github.com/trawlsec/trawl/internal/parse/npm"
	"github.com/trawlsec/trawl/internal/parse/pnpm"
	"github.com/trawlsec/trawl/internal/parse/yarn"
	"github.com/trawlsec/trawl/pkg/model"
)

// Npm reads package-lock.json and npm-shrinkwrap.json (lockfile analyzer).
type Npm struct{ *lockfile.Analyzer }

// NewNpm returns the npm lockfile analyzer.
func NewNpm() *Npm {
	return &Npm{lockfile.New("npm", 1, model.TypeNpm, named("package-lock.json", "npm-shrinkwrap.json"), npm.ParseLockfile)}
}

// NodePkg reads the package.json of installed packages,
// node_modules/<name>/package.json and node_modules/@scope/<name>/package.json
// at any depth (installed-package analyzer).
type NodePkg struct{}

// NewNodePkg returns the installed node package analyzer.
func NewNodePkg() *NodePkg { return &NodePkg{} }

func (*NodePkg) Name() string { return "node-pkg" }
func (*NodePkg) Version() int { return 1 }

func (*NodePkg) Required(path string, _ fs.FileInfo) bool {
	dir, ok := strings.CutSuffix(path, "/package.json")
	if !ok {
		return false
	}
	i := strings.LastIndex(dir, nodeModules+"/")
	if i < 0 || (i > 0 && dir[i-1] != '/') {
		return false
	}
	pkg := dir[i+len(nodeModules)+1:]
	if strings.HasPrefix(pkg, "@") {
		scope, name, ok := strings.Cut(pkg, "/")
		return ok && len(scope) > 1 && name != "" && !strings.Contains(name, "/")
	}
	return pkg != "" && !strings.HasPrefix(pkg, ".") && !strings.Contains(pkg, "/")
}

func (*NodePkg) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p, ok, err := npm.ParsePackageJSON(bytes.NewReader(in.Content))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Path, err)
	}
	if !ok {
		return nil, nil
	}
	p.FilePath = in.Path
	return result(model.TypeNodePkg, in.Path, []model.Package{p}), nil
}

// Yarn reads yarn.lock (lockfile analyzer).
type Yarn struct{ *lockfile.Analyzer }

// NewYarn returns the yarn.lock analyzer.
func NewYarn() *Yarn {
	return &Yarn{lockfile.New("yarn", 1, model.TypeYarn, named("yarn.lock"), yarn.Parse)}
}

// Pnpm reads pnpm-lock.yaml (lockfile analyzer).
type Pnpm struct{ *lockfile.Analyzer }

// NewPnpm returns the pnpm-lock.yaml analyzer.
func NewPnpm() *Pnpm {
	return &Pnpm{lockfile.New("pnpm", 1, model.TypePnpm, named("pnpm-lock.yaml"), pnpm.Parse)}
}
