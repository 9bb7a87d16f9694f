// Package config keeps the configuration files the misconfiguration
// checks read (Dockerfiles today) as Result.ConfigFiles; detection
// evaluates them (internal/misconfig), analysis only keeps them.
package config

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/trawlsec/trawl/internal/analyze"
)

const version = 1

// MaxSize caps a kept file.
const MaxSize = 1 << 20

// TypeDockerfile is the input type of Dockerfiles and Containerfiles.
const TypeDockerfile = "dockerfile"

// Analyzer keeps configuration files.
type Analyzer struct{}

// New returns the configuration file analyzer.
func New() *Analyzer { return &Analyzer{} }

// Name implements analyze.Analyzer.
func (*Analyzer) Name() string { return "config" }

// Version implements analyze.Analyzer.
func (*Analyzer) Version() int { return version }

// IsDockerfile reports whether a base name is a Dockerfile as Trivy
// matches them, case-insensitively: Dockerfile, Containerfile, their
// ".suffix" variants (Dockerfile.dev) and "*.Dockerfile"/"*.Containerfile".
func IsDockerfile(base string) bool {
	ext := path.Ext(base)
	for _, name := range []string{"Dockerfile", "Containerfile"} {
		if strings.EqualFold(base, name+ext) || strings.EqualFold(ext, "."+name) {
			return true
		}
	}
	return false
}

// Required implements analyze.Analyzer.
func (*Analyzer) Required(p string, info fs.FileInfo) bool {
	if info != nil && (!info.Mode().IsRegular() || info.Size() > MaxSize) {
		return false
	}
	return IsDockerfile(path.Base(p))
}

// Analyze implements analyze.Analyzer.
func (a *Analyzer) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("config %s: %w", in.Path, err)
	}
	if len(in.Content) > MaxSize {
		return nil, fmt.Errorf("config %s: larger than %d bytes", in.Path, MaxSize)
	}
	content := make([]byte, len(in.Content))
	copy(content, in.Content)
	return &analyze.Result{ConfigFiles: []analyze.ConfigFile{{Type: TypeDockerfile, FilePath: in.Path, Content: content}}}, nil
}

var _ analyze.Analyzer = (*Analyzer)(nil)
