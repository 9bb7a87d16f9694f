package php

import (
	"bytes"

	"github.com/trawlsec/trawl/internal/analyze"
	phpparse "github.com/trawlsec/trawl/internal/parse/php"
	"github.com/trawlsec/trawl/pkg/model"
)

// PackageType implements analyze.Joiner: composer.lock names no direct
// dependencies, composer.json beside it does.
func (*Composer) PackageType() string { return model.TypeComposer }

// Companion implements analyze.Joiner.
func (*Composer) Companion() string { return "composer.json" }

// Join marks the packages composer.json requires as direct (composer.lock
// already separates packages-dev).
func (*Composer) Join(set *analyze.PackageSet, companion []byte) error {
	direct, err := phpparse.Direct(bytes.NewReader(companion))
	if err != nil {
		return err
	}
	analyze.MarkDirect(set.Packages, direct, nil)
	return nil
}
