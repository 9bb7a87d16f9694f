package conda

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/analyze/lang/lockfile"
	condaparse "github.com/trawlsec/trawl/internal/parse/conda"
	"github.com/trawlsec/trawl/pkg/model"
)

// Environment reads conda environment files (environment.yml, .yaml): the
// conda packages pinned to one version, and the PyPI packages of their pip:
// section (lockfile analyzer: fs and repo targets).
type Environment struct{}

// NewEnvironment returns the environment file analyzer.
func NewEnvironment() *Environment { return &Environment{} }

// Name implements analyze.Analyzer.
func (*Environment) Name() string { return "conda-environment" }

// Version implements analyze.Analyzer.
func (*Environment) Version() int { return 1 }

// Required implements analyze.Analyzer.
func (*Environment) Required(path string, _ fs.FileInfo) bool {
	b := lockfile.Base(path)
	return b == "environment.yml" || b == "environment.yaml"
}

// Analyze implements analyze.Analyzer.
func (*Environment) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	env, err := condaparse.ParseEnvironment(bytes.NewReader(in.Content))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Path, err)
	}
	res := &analyze.Result{}
	if len(env.Conda) > 0 {
		res.Applications = append(res.Applications, analyze.PackageSet{Type: model.TypeCondaEnv, FilePath: in.Path, Packages: env.Conda})
	}
	if len(env.Pip) > 0 {
		res.Applications = append(res.Applications, analyze.PackageSet{Type: model.TypePip, FilePath: in.Path, Packages: env.Pip})
	}
	if len(res.Applications) == 0 {
		return nil, nil
	}
	return res, nil
}
