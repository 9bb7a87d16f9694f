// Package licensefile keeps the licence files of an artifact (LICENSE*,
// LICENCE*, COPYING*, NOTICE*, and the same with a prefix: MIT-LICENSE,
// LICENSE-APACHE) for --license-full. Analysis only keeps them, size-capped,
// as Result.ConfigFiles of Type "license-file"; detection classifies them
// (internal/license, internal/app).
package licensefile

import (
	"context"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/trawlsec/trawl/internal/analyze"
)

const version = 1

// Type is the ConfigFile type of a kept licence file.
const Type = "license-file"

// MaxFileSize is the largest file kept; licence texts are far smaller (the
// GPL-3.0 is 35 KB).
const MaxFileSize = 256 << 10

// names are the base-name stems of licence files, upper case.
var names = []string{"LICENSE", "LICENCE", "COPYING", "NOTICE", "UNLICENSE"}

// skippedExts are source and binary files that merely have a licence-like
// name (license.go, LICENSE.png).
var skippedExts = []string{".go", ".py", ".js", ".ts", ".java", ".c", ".h", ".rb", ".php", ".cs", ".rs",
	".json", ".yaml", ".yml", ".xml", ".png", ".jpg", ".gif", ".svg", ".pdf", ".gz", ".zip", ".class", ".pyc", ".so"}

// Analyzer keeps licence files. It keeps no state.
type Analyzer struct{}

// New returns the analyzer.
func New() *Analyzer { return &Analyzer{} }

// Name implements analyze.Analyzer.
func (*Analyzer) Name() string { return "license-file" }

// Version implements analyze.Analyzer.
func (*Analyzer) Version() int { return version }

// Required wants regular files up to MaxFileSize whose name is a licence
// file's: LICENSE, COPYING.txt, LICENSE-MIT, MIT-LICENSE.md, NOTICE.
func (*Analyzer) Required(p string, info fs.FileInfo) bool {
	if info != nil && (!info.Mode().IsRegular() || info.Size() > MaxFileSize || info.Size() == 0) {
		return false
	}
	base := path.Base(p)
	if slices.Contains(skippedExts, strings.ToLower(path.Ext(base))) {
		return false
	}
	upper := strings.ToUpper(base)
	for _, n := range names {
		i := strings.Index(upper, n)
		if i < 0 || i > 0 && !separator(upper[i-1]) {
			continue
		}
		// LICENSE, LICENSE.md, LICENSE-MIT, MIT-LICENSE; not UNLICENSED.txt.
		if end := i + len(n); end == len(upper) || separator(upper[end]) {
			return true
		}
	}
	return false
}

func separator(c byte) bool { return c == '.' || c == '-' || c == '_' }

// Analyze keeps the file for classification at detection.
func (*Analyzer) Analyze(_ context.Context, in analyze.Input) (*analyze.Result, error) {
	if len(in.Content) == 0 || len(in.Content) > MaxFileSize {
		return nil, nil
	}
	content := make([]byte, len(in.Content))
	copy(content, in.Content)
	return &analyze.Result{ConfigFiles: []analyze.ConfigFile{{Type: Type, FilePath: in.Path, Content: content}}}, nil
}
