// Package gradle reads Gradle dependency lock files (gradle.lockfile and
// the per-configuration *.gradle.lockfile): one "group:artifact:version=
// configurations" line per locked module.
package gradle

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/trawlsec/trawl/pkg/model"
)

// Ecosystem is the OSV ecosystem of Maven artifacts.
const Ecosystem = model.EcosystemMaven

// Parse reads a Gradle lock file. Packages are named group:artifact, carry
// the line they were read from and are sorted by ID; a module locked in
// several lines is reported once with every line. Comment lines, the
// "empty=" line and malformed lines are skipped.
func Parse(ctx context.Context, content []byte) ([]model.Package, error) {
	byID := map[string]*model.Package{}
	sc := bufio.NewScanner(bytes.NewReader(content))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "empty=") {
			continue
		}
		coords, _, _ := strings.Cut(line, "=")
		f := strings.Split(strings.TrimSpace(coords), ":")
		if len(f) != 3 || f[0] == "" || f[1] == "" || f[2] == "" {
			continue
		}
		name := f[0] + ":" + f[1]
		id := name + "@" + f[2]
		loc := model.Location{StartLine: n, EndLine: n}
		if p, ok := byID[id]; ok {
			p.Locations = append(p.Locations, loc)
			continue
		}
		byID[id] = &model.Package{ID: id, Name: name, Version: f[2], Ecosystem: Ecosystem, Locations: []model.Location{loc}}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading gradle lockfile: %w", err)
	}
	pkgs := make([]model.Package, 0, len(byID))
	for _, p := range byID {
		pkgs = append(pkgs, *p)
	}
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].ID < pkgs[j].ID })
	return pkgs, nil
}
