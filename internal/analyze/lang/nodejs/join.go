package nodejs

import (
	"encoding/json"
	"fmt"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/pkg/model"
)

// PackageType implements analyze.Joiner: yarn.lock names no direct
// dependencies, package.json beside it does.
func (*Yarn) PackageType() string { return model.TypeYarn }

// Companion implements analyze.Joiner.
func (*Yarn) Companion() string { return "package.json" }

// Join marks the packages package.json depends on as direct, and those only
// its devDependencies pull in as Dev.
func (*Yarn) Join(set *analyze.PackageSet, companion []byte) error {
	var m struct {
		Dependencies         map[string]any `json:"dependencies"`
		OptionalDependencies map[string]any `json:"optionalDependencies"`
		DevDependencies      map[string]any `json:"devDependencies"`
	}
	if err := json.Unmarshal(companion, &m); err != nil {
		return fmt.Errorf("package.json: %w", err)
	}
	direct, dev := map[string]bool{}, map[string]bool{}
	for _, deps := range []map[string]any{m.Dependencies, m.OptionalDependencies} {
		for name := range deps {
			direct[name] = true
		}
	}
	for name := range m.DevDependencies {
		if !direct[name] {
			dev[name] = true
		}
		direct[name] = true
	}
	analyze.MarkDirect(set.Packages, direct, dev)
	return nil
}
