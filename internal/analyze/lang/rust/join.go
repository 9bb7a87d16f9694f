package rust

import (
	"bytes"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/parse/rust/cargo"
	"github.com/trawlsec/trawl/pkg/model"
)

// PackageType implements analyze.Joiner: Cargo.lock lists a crate's
// dev-dependencies with its other dependencies; Cargo.toml beside it says
// which are which.
func (*Cargo) PackageType() string { return model.TypeCargo }

// Companion implements analyze.Joiner.
func (*Cargo) Companion() string { return "Cargo.toml" }

// Join marks Dev the crates only Cargo.toml's [dev-dependencies] bring in
// (as Trivy leaves them out).
func (*Cargo) Join(set *analyze.PackageSet, companion []byte) error {
	m, err := cargo.ParseManifest(bytes.NewReader(companion))
	if err != nil {
		return err
	}
	cargo.MarkDev(set.Packages, m)
	return nil
}
