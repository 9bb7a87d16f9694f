package mod

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"

	"github.com/trawlsec/trawl/pkg/model"
)

// ParseSum reads a go.sum and returns one package per module path at the
// highest version it lists (go.sum holds every version the module graph
// visited; the build uses the highest). Lines that are not "path version
// hash" with a valid module path and semantic version are skipped. Packages
// get relationship indirect and line locations of the chosen version.
func ParseSum(ctx context.Context, r io.Reader) ([]model.Package, error) {
	type entry struct {
		version string
		line    int
	}
	best := map[string]entry{}
	var order []string
	sc := bufio.NewScanner(io.LimitReader(r, maxFileSize))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		if line%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		f := strings.Fields(sc.Text())
		if len(f) != 3 {
			continue
		}
		path, version := f[0], strings.TrimSuffix(f[1], "/go.mod")
		if !semver.IsValid(version) || module.CheckImportPath(path) != nil {
			continue
		}
		old, ok := best[path]
		if !ok {
			order = append(order, path)
		}
		if !ok || semver.Compare(version, old.version) > 0 {
			best[path] = entry{version: version, line: line}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading go.sum: %w", err)
	}
	pkgs := make([]model.Package, 0, len(order))
	for _, path := range order {
		e := best[path]
		p := newPackage(path, e.version, model.RelationshipIndirect)
		p.Locations = []model.Location{{StartLine: e.line, EndLine: e.line}}
		pkgs = append(pkgs, p)
	}
	sortPackages(pkgs)
	return pkgs, nil
}
