package python

import (
	"bytes"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/parse/python/poetry"
	"github.com/trawlsec/trawl/internal/parse/python/pypi"
	"github.com/trawlsec/trawl/pkg/model"
)

// PackageType implements analyze.Joiner: poetry.lock names no direct
// dependencies, pyproject.toml beside it does.
func (*Poetry) PackageType() string { return model.TypePoetry }

// Companion implements analyze.Joiner.
func (*Poetry) Companion() string { return "pyproject.toml" }

// Join marks the packages pyproject.toml declares as direct (poetry.lock
// already says which are development dependencies).
func (*Poetry) Join(set *analyze.PackageSet, companion []byte) error {
	direct, err := poetry.Direct(bytes.NewReader(companion))
	if err != nil {
		return err
	}
	// Direct names are normalised (PEP 503); packages keep the lock
	// file's spelling.
	byName := map[string]bool{}
	for _, p := range set.Packages {
		if direct[pypi.Normalize(p.Name)] {
			byName[p.Name] = true
		}
	}
	analyze.MarkDirect(set.Packages, byName, nil)
	return nil
}
