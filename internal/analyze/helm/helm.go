// Package helm keeps Helm charts for the misconfiguration checks: chart
// folders (a Chart.yaml with files under templates/) found by a
// post-analyzer, and chart archives (.tgz/.tar.gz holding
// "<name>/Chart.yaml") recognised by IsChartArchive for the config
// analyzer. Both are kept as one ConfigFile of type "helm" whose content
// is a chart archive; detection renders it (internal/helm) and runs the
// Kubernetes checks on the manifests. Analysis never renders.
package helm

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/trawlsec/trawl/internal/analyze"
)

const version = 1

// Type is the ConfigFile type of a chart.
const Type = "helm"

// ChartFile is the file that makes a folder a chart.
const ChartFile = "Chart.yaml"

// MaxFileSize caps a file of a chart folder.
const MaxFileSize = 1 << 20

// MaxArchiveSize caps a chart archive (compressed).
const MaxArchiveSize = 10 << 20

// maxProbe caps the decompressed bytes IsChartArchive reads looking for
// the Chart.yaml.
const maxProbe = 32 << 20

// Analyzer is the chart folder post-analyzer.
type Analyzer struct{}

// New returns the chart folder post-analyzer.
func New() *Analyzer { return &Analyzer{} }

// Name implements analyze.Analyzer.
func (*Analyzer) Name() string { return "helm" }

// Version implements analyze.Analyzer.
func (*Analyzer) Version() int { return version }

// skippedDirs are folders whose files are no project's charts.
var skippedDirs = []string{"node_modules", ".git", "vendor"}

// chartRootFiles are the files of a chart root Helm reads besides
// templates/ and charts/.
var chartRootFiles = []string{ChartFile, "Chart.lock", "values.yaml", "values.schema.json", "requirements.yaml", "requirements.lock", ".helmignore"}

// templateExts are the extensions of the files kept under templates/
// and charts/ (as Trivy keeps them).
var templateExts = []string{".yaml", ".yml", ".tpl", ".txt", ".json"}

// Required implements analyze.Analyzer: the files of a possible chart
// folder (string checks only; PostAnalyze decides which folders are
// charts).
func (*Analyzer) Required(p string, info fs.FileInfo) bool {
	if info != nil && (!info.Mode().IsRegular() || info.Size() > MaxFileSize) {
		return false
	}
	dirs := strings.Split(path.Dir(p), "/")
	if slices.ContainsFunc(dirs, func(d string) bool { return slices.Contains(skippedDirs, d) }) {
		return false
	}
	base := path.Base(p)
	if slices.Contains(chartRootFiles, base) {
		return true
	}
	if !slices.Contains(dirs, "templates") && !slices.Contains(dirs, "charts") {
		return false
	}
	ext := strings.ToLower(path.Ext(base))
	return slices.Contains(templateExts, ext) || (ext == ".tgz" && slices.Contains(dirs, "charts"))
}

// Analyze implements analyze.Analyzer for a caller holding one file.
func (a *Analyzer) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	return analyze.AnalyzeOne(ctx, a, in)
}

// PostAnalyze implements analyze.PostAnalyzer: every folder with a
// Chart.yaml and at least one file under its templates/, not inside
// another chart (subcharts go with their parent), is packed as a chart
// archive. The ConfigFile's FilePath is the chart's Chart.yaml.
func (a *Analyzer) PostAnalyze(ctx context.Context, files fs.FS) (*analyze.Result, error) {
	var all []string
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			all = append(all, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("helm: %w", err)
	}
	sort.Strings(all)
	var roots []string
	for _, p := range all {
		if path.Base(p) != ChartFile {
			continue
		}
		root := path.Dir(p)
		if slices.ContainsFunc(roots, func(r string) bool { return within(root, r) }) {
			continue
		}
		if !slices.ContainsFunc(all, func(f string) bool { return within(f, path.Join(root, "templates")) }) {
			continue
		}
		roots = append(roots, root)
	}
	res := &analyze.Result{}
	for _, root := range roots {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("helm: %w", err)
		}
		var members []string
		for _, f := range all {
			if within(f, root) {
				members = append(members, f)
			}
		}
		data, err := pack(files, root, members)
		if err != nil {
			res.Warnings = append(res.Warnings, analyze.FileNote{Path: path.Join(root, ChartFile), Analyzer: a.Name(), Reason: err.Error()})
			continue
		}
		res.ConfigFiles = append(res.ConfigFiles, analyze.ConfigFile{Type: Type, FilePath: path.Join(root, ChartFile), Content: data})
	}
	return res, nil
}

// within reports whether p is dir or below it ("." holds everything).
func within(p, dir string) bool {
	return dir == "." || p == dir || strings.HasPrefix(p, dir+"/")
}

// pack writes the files of the chart at root as a gzip-compressed tar
// under one top-level folder, as `helm package` does.
func pack(files fs.FS, root string, members []string) ([]byte, error) {
	top := path.Base(root)
	if root == "." || top == "." || top == ".." {
		top = "chart"
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, f := range members {
		data, err := fs.ReadFile(files, f)
		if err != nil {
			return nil, err
		}
		rel := strings.TrimPrefix(f, root+"/")
		if root == "." {
			rel = f
		}
		hd := &tar.Header{Name: top + "/" + rel, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg, ModTime: time.Unix(0, 0)}
		if err := tw.WriteHeader(hd); err != nil {
			return nil, err
		}
		if _, err := tw.Write(data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// IsArchiveName reports whether a path may be a chart archive by its
// name (.tgz, .tar.gz).
func IsArchiveName(p string) bool {
	l := strings.ToLower(p)
	return strings.HasSuffix(l, ".tgz") || strings.HasSuffix(l, ".tar.gz")
}

// IsChartArchive reports whether content is a gzip-compressed tar with a
// regular file "<name>/Chart.yaml". It reads at most 32 MiB of
// decompressed data; a corrupt archive is not a chart.
func IsChartArchive(content []byte) bool {
	zr, err := gzip.NewReader(bytes.NewReader(content))
	if err != nil {
		return false
	}
	defer zr.Close()
	tr := tar.NewReader(io.LimitReader(zr, maxProbe))
	for {
		hd, err := tr.Next()
		if err != nil {
			return false
		}
		first, rest, ok := strings.Cut(hd.Name, "/")
		if ok && first != "" && rest == ChartFile && hd.Typeflag == tar.TypeReg {
			return true
		}
	}
}

var _ analyze.PostAnalyzer = (*Analyzer)(nil)
var _ analyze.Analyzer = (*Analyzer)(nil)
