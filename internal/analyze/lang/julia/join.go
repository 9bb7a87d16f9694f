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

// Join marks the packages Project.toml lists under [deps] (by UUID) as
// direct, and those only its [extras] bring in as dev.
func (*Julia) Join(set *analyze.PackageSet, companion []byte) error {
	proj, err := juliaparse.ParseProject(bytes.NewReader(companion))
	if err != nil {
		return err
	}
	juliaparse.MarkDirect(set.Packages, proj)
	return nil
}
