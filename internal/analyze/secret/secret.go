// Package secret adapts the secret scanner (internal/secret) to the
// analyzer contract: the walker asks Required with the path, hands the
// file's bytes to Analyze, and gets the findings back as Result.Secrets.
package secret

import (
	"context"
	"fmt"
	"io/fs"

	"github.com/trawlsec/trawl/internal/analyze"
	secretscan "github.com/trawlsec/trawl/internal/secret"
)

// version changes whenever the engine's output for the same input and
// configuration changes. The configuration itself is part of Version via
// the scanner's digest only if the caller adds Digest to its cache key.
const version = 3 // 2: findings capped per rule and file; 3: placeholder filter, test files skipped

// Analyzer finds secrets in text files.
type Analyzer struct {
	s *secretscan.Scanner
}

// New returns an analyzer that scans with s.
func New(s *secretscan.Scanner) *Analyzer { return &Analyzer{s: s} }

// Name implements analyze.Analyzer.
func (*Analyzer) Name() string { return "secret" }

// Version implements analyze.Analyzer. Custom secret configurations change
// the output too: cache keys should also include Digest.
func (*Analyzer) Version() int { return version }

// Digest identifies the scanner configuration (see secret.Scanner.Digest).
func (a *Analyzer) Digest() string { return a.s.Digest() }

// Required implements analyze.Analyzer: regular files of at least
// secret.MinSize bytes that no skip pattern or path allow rule excludes.
// String comparisons only for the built-in rules and default patterns.
func (a *Analyzer) Required(path string, info fs.FileInfo) bool {
	if info != nil && (!info.Mode().IsRegular() || info.Size() < secretscan.MinSize) {
		return false
	}
	return a.s.Required(path)
}

// Analyze implements analyze.Analyzer.
func (a *Analyzer) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("secret scan of %s: %w", in.Path, err)
	}
	found, err := a.s.ScanContext(ctx, in.Path, in.Content)
	if err != nil {
		return nil, fmt.Errorf("secret scan of %s: %w", in.Path, err)
	}
	res := &analyze.Result{}
	for _, f := range found.Secrets {
		res.Secrets = append(res.Secrets, analyze.Secret{FilePath: in.Path, Secret: f})
	}
	for _, id := range found.Capped {
		res.Warnings = append(res.Warnings, analyze.FileNote{Path: in.Path, Analyzer: a.Name(),
			Reason: fmt.Sprintf("rule %s matched more than %d times; only the first %d findings are reported", id, secretscan.MaxFindingsPerRule, secretscan.MaxFindingsPerRule)})
	}
	return res, nil
}

var _ analyze.Analyzer = (*Analyzer)(nil)

// Bulk implements analyze.Bulk: the secret scanner reads nearly every file,
// so the walker's per-layer total-size budget applies to it.
func (*Analyzer) Bulk() bool { return true }
