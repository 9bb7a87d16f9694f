package python

import (
	"bytes"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/parse/python/poetry"
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
	analyze.MarkDirect(set.Packages, direct, nil)
	return nil
}
