package conda

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/trawlsec/trawl/internal/parse/python/pip"
	"github.com/trawlsec/trawl/pkg/model"
)

// Environment is what a conda environment file (environment.yml) pins.
type Environment struct {
	// Conda are the conda packages pinned to one version.
	Conda []model.Package
	// Pip are the PyPI packages of the "pip:" section pinned with "==".
	Pip []model.Package
	// Unpinned names the dependencies without one exact version (a bare
	// name, a range, a wildcard): they are not packages to match.
	Unpinned []string
}

// ParseEnvironment reads an environment.yml. Conda match specs follow conda's
// syntax: "name=1.2=build", "name==1.2", "name 1.2 build". A spec whose
// version has a wildcard, an alternative or a comparison is not pinned.
func ParseEnvironment(r io.Reader) (*Environment, error) {
	var doc struct {
		Dependencies []yaml.Node `yaml:"dependencies"`
	}
	if err := yaml.NewDecoder(r).Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return &Environment{}, nil
		}
		return nil, fmt.Errorf("decode environment file: %w", err)
	}
	env := &Environment{}
	for _, n := range doc.Dependencies {
		switch n.Kind {
		case yaml.ScalarNode:
			if n.Tag != "!!str" {
				return nil, fmt.Errorf("line %d: dependency %q is not a string", n.Line, n.Value)
			}
			name, version, ok := splitSpec(n.Value)
			if name == "" {
				continue // a spec that is only an operator names nothing
			}
			if !ok {
				env.Unpinned = append(env.Unpinned, name)
				continue
			}
			env.Conda = append(env.Conda, model.Package{
				ID: ID(name, version), Name: name, Version: version, Ecosystem: Ecosystem,
				Locations: []model.Location{{StartLine: n.Line, EndLine: n.Line}},
			})
		case yaml.MappingNode:
			if err := env.addPip(&n); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("line %d: dependency is neither a string nor a pip: list", n.Line)
		}
	}
	return env, nil
}

func (env *Environment) addPip(n *yaml.Node) error {
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		if key.Value != "pip" {
			return fmt.Errorf("line %d: unknown dependency section %q", key.Line, key.Value)
		}
		if val.Kind != yaml.SequenceNode {
			return fmt.Errorf("line %d: pip: must be a list of requirements", val.Line)
		}
		for _, item := range val.Content {
			if item.Kind != yaml.ScalarNode {
				return fmt.Errorf("line %d: pip requirement is not a string", item.Line)
			}
			f, err := pip.Parse(strings.NewReader(item.Value + "\n"))
			if err != nil {
				return fmt.Errorf("line %d: %w", item.Line, err)
			}
			for _, p := range f.Packages {
				p.Locations = []model.Location{{StartLine: item.Line, EndLine: item.Line}}
				env.Pip = append(env.Pip, p)
			}
		}
	}
	return nil
}

// splitSpec splits a conda match spec into its name and exact version; ok
// is false when the spec pins no single version.
func splitSpec(spec string) (name, version string, ok bool) {
	spec = strings.TrimSpace(spec)
	if i := strings.IndexAny(spec, " \t"); i >= 0 {
		// "name version [build]"
		name = spec[:i]
		fields := strings.Fields(spec[i:])
		if len(fields) == 0 {
			return name, "", false
		}
		version = fields[0]
	} else {
		i := strings.IndexAny(spec, "=<>!~")
		if i < 0 {
			return spec, "", false
		}
		var rest string
		name, rest = spec[:i], spec[i:]
		switch {
		case strings.HasPrefix(rest, "=="):
			version = rest[2:]
		case strings.HasPrefix(rest, "=") && !strings.HasPrefix(rest, "=>") && !strings.HasPrefix(rest, "=<"):
			version = rest[1:]
		default:
			return name, "", false
		}
		version, _, _ = strings.Cut(version, "=") // drop the build string
	}
	if version == "" || strings.ContainsAny(version, "*|<>,!~") {
		return name, "", false
	}
	return name, version, true
}
