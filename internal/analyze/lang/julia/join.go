package julia

import (
	"bytes"

	"github.com/trawlsec/trawl/internal/analyze"
	juliaparse "github.com/trawlsec/trawl/internal/parse/julia"
	"github.com/trawlsec/trawl/pkg/model"
)

// PackageType implements analyze.Joiner: Manifest.toml names no direct
// dependencies, Project.toml beside it does.
func (*Julia) PackageType() string { return model.TypeJulia }

// Companion implements analyze.Joiner.
func (*Julia) Companion() string { return "Project.toml" }

// Join marks the packages Project.toml lists under [deps] as direct.
func (*Julia) Join(set *analyze.PackageSet, companion []byte) error {
	direct, err := juliaparse.Direct(bytes.NewReader(companion))
	if err != nil {
		return err
	}
	analyze.MarkDirect(set.Packages, direct, nil)
	return nil
}
