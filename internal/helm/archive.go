// Package helm renders Helm charts with Helm's own chart loader and
// template engine (helm.sh/helm/v4), offline: no cluster (lookup returns
// an empty object), no network (dependencies only from the chart's
// charts/ folder, no JSON-schema fetching), no helm binary.
//
// A chart comes as a gzip-compressed tar archive whose entries sit under
// one top-level folder ("<name>/Chart.yaml"), the form `helm package`
// writes; the analysis packs chart folders the same way. Reading an
// archive is bounded (MaxChartSize decompressed, MaxChartFiles entries,
// MaxNesting levels of packaged subcharts, all sharing one budget);
// rendering is bounded by a time limit and MaxRenderedSize.
package helm

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"helm.sh/helm/v4/pkg/chart/loader/archive"
)

// Limits of one chart, its packaged subcharts included.
const (
	// MaxChartSize caps the decompressed bytes of a chart.
	MaxChartSize = 32 << 20
	// MaxChartFiles caps the entries of a chart.
	MaxChartFiles = 10_000
	// MaxNesting caps the levels of packaged subcharts (charts/x.tgz
	// holding charts/y.tgz …).
	MaxNesting = 5
)

// budget is what is left of a chart's limits while it is read.
type budget struct {
	bytes int64
	files int
}

// ReadArchive reads a chart archive into the files Helm's loader takes,
// their names relative to the chart root ("Chart.yaml",
// "templates/x.yaml"). It refuses absolute paths, paths leaving the chart
// root, links and devices, entries outside the top-level folder, and
// archives over the limits. Packaged subcharts (charts/<x>.tgz) are read
// here too, against the same budget, and handed to the loader as folders
// (charts/<x>.tgz.d/…), so Helm never decompresses anything itself.
func ReadArchive(data []byte) ([]*archive.BufferedFile, error) {
	b := &budget{bytes: MaxChartSize, files: MaxChartFiles}
	return readArchive(data, b, 0)
}

func readArchive(data []byte, b *budget, depth int) ([]*archive.BufferedFile, error) {
	if depth > MaxNesting {
		return nil, fmt.Errorf("packaged subcharts nested more than %d levels deep", MaxNesting)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("not a gzip archive: %w", err)
	}
	defer zr.Close()
	tr := tar.NewReader(zr)
	var files []*archive.BufferedFile
	top := ""
	for {
		hd, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading archive: %w", err)
		}
		switch hd.Typeflag {
		case tar.TypeDir, tar.TypeXGlobalHeader, tar.TypeXHeader:
			continue
		case tar.TypeReg:
		default:
			return nil, fmt.Errorf("%s: links and special files are not allowed in a chart", hd.Name)
		}
		name := strings.ReplaceAll(hd.Name, "\\", "/")
		first, rest, ok := strings.Cut(name, "/")
		if !ok || first == "" || first == "." || first == ".." {
			return nil, fmt.Errorf("%s: entry outside the chart's top-level folder", hd.Name)
		}
		if top == "" {
			top = first
		} else if first != top {
			return nil, fmt.Errorf("%s: more than one top-level folder (%s, %s)", hd.Name, top, first)
		}
		clean := path.Clean(rest)
		if rest == "" || clean == "." || path.IsAbs(rest) || clean == ".." || strings.HasPrefix(clean, "../") || strings.Contains(clean, ":") {
			return nil, fmt.Errorf("%s: path leaves the chart folder", hd.Name)
		}
		if b.files--; b.files < 0 {
			return nil, fmt.Errorf("more than %d files in the chart", MaxChartFiles)
		}
		if hd.Size > b.bytes {
			return nil, fmt.Errorf("%s: decompressed chart larger than %d bytes", hd.Name, MaxChartSize)
		}
		content, err := io.ReadAll(io.LimitReader(tr, b.bytes+1))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", hd.Name, err)
		}
		if b.bytes -= int64(len(content)); b.bytes < 0 {
			return nil, fmt.Errorf("%s: decompressed chart larger than %d bytes", hd.Name, MaxChartSize)
		}
		if sub, ok := packagedSubchart(clean); ok {
			subFiles, err := readArchive(content, b, depth+1)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", hd.Name, err)
			}
			for _, f := range subFiles {
				f.Name = "charts/" + sub + "/" + f.Name
				files = append(files, f)
			}
			continue
		}
		content = bytes.TrimPrefix(content, []byte("\xef\xbb\xbf"))
		files = append(files, &archive.BufferedFile{Name: clean, ModTime: hd.ModTime, Data: content})
	}
	if len(files) == 0 {
		return nil, errors.New("no files in the chart archive")
	}
	return files, nil
}

// packagedSubchart reports whether name is a packaged subchart of the
// chart ("charts/common-1.2.0.tgz") and the folder it is loaded as. Names
// Helm ignores ("_x.tgz", ".x.tgz") are kept as plain files.
func packagedSubchart(name string) (string, bool) {
	rest, ok := strings.CutPrefix(name, "charts/")
	if !ok || strings.Contains(rest, "/") || path.Ext(rest) != ".tgz" || strings.IndexAny(rest, "_.") == 0 {
		return "", false
	}
	return rest + ".d", true
}
