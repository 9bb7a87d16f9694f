// Package poetry parses poetry.lock (Poetry 1.x and 2.x) and the dependency
// declarations of pyproject.toml that tell direct dependencies apart.
package poetry

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	pep440 "github.com/aquasecurity/go-pep440-version"
	"github.com/pelletier/go-toml/v2"

	"github.com/trawlsec/trawl/internal/parse/python/pypi"
	"github.com/trawlsec/trawl/pkg/model"
)

type lockfile struct {
	Packages []lockPackage `toml:"package"`
}

type lockPackage struct {
	Name         string         `toml:"name"`
	Version      string         `toml:"version"`
	Category     string         `toml:"category"` // Poetry 1.x before 1.5: "main" or "dev"
	Groups       []string       `toml:"groups"`   // Poetry 2.x
	Dependencies map[string]any `toml:"dependencies"`
}

// Parse reads a poetry.lock. Packages are Dev when Poetry 1.x files give
// them category "dev" or Poetry 2.x files list groups without "main".
// Relationship is "unknown": only pyproject.toml says which packages are
// direct (see Direct and analyze.MarkDirect). DependsOn resolves each dependency
// name to the locked version; when a name is locked at several versions,
// the one that satisfies the constraint is chosen.
func Parse(r io.Reader) ([]model.Package, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read poetry.lock: %w", err)
	}
	var lock lockfile
	if err := toml.NewDecoder(bytes.NewReader(data)).Decode(&lock); err != nil {
		return nil, fmt.Errorf("decode poetry.lock: %w", err)
	}
	blocks := pypi.PackageBlocks(data)
	if len(blocks) != len(lock.Packages) {
		blocks = nil
	}
	versions := make(map[string][]string)
	for _, p := range lock.Packages {
		n := pypi.Normalize(p.Name)
		versions[n] = append(versions[n], p.Version)
	}
	var pkgs []model.Package
	for i, p := range lock.Packages {
		name := pypi.Normalize(p.Name)
		if name == "" || strings.TrimSpace(p.Version) == "" {
			// A blank name (" ") normalises to nothing.
			return nil, fmt.Errorf("poetry.lock: package %d has no name or no version", i+1)
		}
		pkg := model.Package{
			ID: pypi.ID(name, p.Version), Name: strings.TrimSpace(p.Name), Version: p.Version,
			Ecosystem:    pypi.Ecosystem,
			Relationship: model.RelationshipUnknown,
			Dev:          p.Category == "dev" || (len(p.Groups) > 0 && !slices.Contains(p.Groups, "main")),
		}
		if blocks != nil {
			pkg.Locations = []model.Location{blocks[i]}
		}
		for _, dep := range slices.Sorted(maps.Keys(p.Dependencies)) {
			if v, ok := resolve(versions[pypi.Normalize(dep)], p.Dependencies[dep]); ok {
				pkg.DependsOn = append(pkg.DependsOn, pypi.ID(pypi.Normalize(dep), v))
			}
		}
		slices.Sort(pkg.DependsOn)
		pkg.DependsOn = slices.Compact(pkg.DependsOn)
		pkgs = append(pkgs, pkg)
	}
	slices.SortFunc(pkgs, func(a, b model.Package) int {
		if c := strings.Compare(pypi.Normalize(a.Name), pypi.Normalize(b.Name)); c != 0 {
			return c
		}
		return strings.Compare(a.Version, b.Version)
	})
	return pkgs, nil
}

// resolve picks the locked version a dependency constraint refers to.
func resolve(locked []string, spec any) (string, bool) {
	switch len(locked) {
	case 0:
		return "", false
	case 1:
		return locked[0], true
	}
	var constraints []string
	switch s := spec.(type) {
	case string:
		constraints = append(constraints, s)
	case map[string]any:
		if v, ok := s["version"].(string); ok {
			constraints = append(constraints, v)
		}
	case []any: // multiple-constraints dependency
		for _, item := range s {
			if m, ok := item.(map[string]any); ok {
				if v, ok := m["version"].(string); ok {
					constraints = append(constraints, v)
				}
			}
		}
	}
	for _, c := range constraints {
		for _, v := range locked {
			if matches(v, c) {
				return v, true
			}
		}
	}
	return "", false
}

func matches(version, constraint string) bool {
	constraint = strings.TrimSpace(constraint)
	if constraint == version || constraint == "=="+version {
		return true
	}
	v, err := pep440.Parse(version)
	if err != nil {
		return false
	}
	s, err := pep440.NewSpecifiers(constraint, pep440.WithPreRelease(true))
	if err != nil {
		return false
	}
	return s.Check(v)
}

type pyproject struct {
	Project struct {
		Dependencies         []string            `toml:"dependencies"`
		OptionalDependencies map[string][]string `toml:"optional-dependencies"`
	} `toml:"project"`
	DependencyGroups map[string][]any `toml:"dependency-groups"`
	Tool             struct {
		Poetry struct {
			Dependencies    map[string]any `toml:"dependencies"`
			DevDependencies map[string]any `toml:"dev-dependencies"`
			Group           map[string]struct {
				Dependencies map[string]any `toml:"dependencies"`
			} `toml:"group"`
		} `toml:"poetry"`
	} `toml:"tool"`
}

// Direct reads a pyproject.toml and returns the normalised names of the
// project's declared dependencies: [tool.poetry.dependencies] (without
// "python"), dev-dependencies and groups, and the PEP 621
// [project] dependencies and optional-dependencies, and PEP 735
// [dependency-groups].
func Direct(r io.Reader) (map[string]bool, error) {
	var p pyproject
	if err := toml.NewDecoder(r).Decode(&p); err != nil {
		return nil, fmt.Errorf("decode pyproject.toml: %w", err)
	}
	direct := make(map[string]bool)
	poetry := p.Tool.Poetry
	for _, m := range []map[string]any{poetry.Dependencies, poetry.DevDependencies} {
		for name := range m {
			direct[pypi.Normalize(name)] = true
		}
	}
	for _, g := range poetry.Group {
		for name := range g.Dependencies {
			direct[pypi.Normalize(name)] = true
		}
	}
	reqs := slices.Clone(p.Project.Dependencies)
	for _, extra := range p.Project.OptionalDependencies {
		reqs = append(reqs, extra...)
	}
	for _, group := range p.DependencyGroups {
		for _, item := range group {
			if s, ok := item.(string); ok { // {include-group = …} tables name no package
				reqs = append(reqs, s)
			}
		}
	}
	for _, req := range reqs {
		if name := RequirementName(req); name != "" {
			direct[pypi.Normalize(name)] = true
		}
	}
	delete(direct, "python")
	return direct, nil
}

// RequirementName returns the project name at the start of a PEP 508
// requirement string ("requests[socks] >=2; python_version>'3'" →
// "requests").
func RequirementName(req string) string {
	req = strings.TrimSpace(req)
	for i := 0; i < len(req); i++ {
		c := req[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return req[:i]
		}
	}
	return req
}
