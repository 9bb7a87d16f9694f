// Package sbomfile is the analyzer of SBOMs embedded in an image or a
// directory: CycloneDX (*.cdx.json) and SPDX (*.spdx.json, *.spdx) files,
// Bitnami's opt/bitnami/<component>/.spdx-<component>.spdx among them.
//
// Only the language packages of an embedded SBOM are reported, each set
// with the SBOM file as its path; its OS packages are ignored, since the
// image's own package database is the truth about those.
package sbomfile

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/sbom"
	"github.com/trawlsec/trawl/pkg/model"
)

// Analyzer reads embedded SBOM files.
type Analyzer struct{}

// New returns the embedded-SBOM analyzer.
func New() *Analyzer { return &Analyzer{} }

// Name implements analyze.Analyzer.
func (*Analyzer) Name() string { return "sbom" }

// Version implements analyze.Analyzer.
func (*Analyzer) Version() int { return 1 }

// Required implements analyze.Analyzer: regular files named *.cdx.json,
// *.spdx.json or *.spdx (which covers Bitnami's .spdx-<component>.spdx).
func (*Analyzer) Required(p string, info fs.FileInfo) bool {
	if info != nil && !info.Mode().IsRegular() {
		return false
	}
	base := p
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		base = p[i+1:]
	}
	for _, suffix := range []string{".cdx.json", ".spdx.json", ".spdx"} {
		if len(base) > len(suffix) && strings.HasSuffix(base, suffix) {
			return true
		}
	}
	return false
}

// Analyze implements analyze.Analyzer.
func (a *Analyzer) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	inv, _, err := sbom.Decode(bytes.NewReader(in.Content), in.Path)
	if err != nil {
		return nil, fmt.Errorf("embedded SBOM %s: %w", in.Path, err)
	}
	res := &analyze.Result{}
	for _, w := range inv.Warnings {
		w.Path = in.Path
		w.Analyzer = a.Name()
		res.Warnings = append(res.Warnings, w)
	}
	// Sets of one type (several lockfiles an SBOM lists) become one set:
	// the SBOM file is where all of them were found.
	byType := map[string]int{}
	// at locates a package already added, to merge duplicates.
	type at struct{ set, pkg int }
	seen := map[string]at{}
	for _, s := range inv.Applications {
		i, ok := byType[s.Type]
		if !ok {
			i = len(res.Applications)
			byType[s.Type] = i
			res.Applications = append(res.Applications, analyze.PackageSet{Type: s.Type, FilePath: in.Path})
		}
		for _, p := range s.Packages {
			k := s.Type + "\x00" + p.ID + "\x00" + p.Identifier.PURL
			if prev, dup := seen[k]; dup {
				q := &res.Applications[prev.set].Packages[prev.pkg]
				q.DependsOn = mergeSorted(q.DependsOn, p.DependsOn)
				continue
			}
			// Paths inside the SBOM name the build context, not this
			// filesystem; the SBOM file is where the packages were found.
			p.FilePath = ""
			if model.IsAggregated(s.Type) {
				p.FilePath = in.Path
			}
			p.Layer = model.Layer{}
			seen[k] = at{i, len(res.Applications[i].Packages)}
			res.Applications[i].Packages = append(res.Applications[i].Packages, p)
		}
	}
	for _, set := range res.Applications {
		sort.SliceStable(set.Packages, func(i, j int) bool {
			a, b := set.Packages[i], set.Packages[j]
			if a.Name != b.Name {
				return a.Name < b.Name
			}
			return a.Version < b.Version
		})
	}
	if len(res.Applications) == 0 && len(res.Warnings) == 0 {
		return nil, nil
	}
	return res, nil
}

// mergeSorted returns the sorted union of two sorted lists.
func mergeSorted(a, b []string) []string {
	if len(b) == 0 {
		return a
	}
	out := append(append([]string(nil), a...), b...)
	sort.Strings(out)
	n := 0
	for i, v := range out {
		if i == 0 || v != out[n-1] {
			out[n] = v
			n++
		}
	}
	return out[:n]
}
