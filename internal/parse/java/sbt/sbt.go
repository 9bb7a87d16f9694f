// Package sbt reads build.sbt.lock files written by the sbt-dependency-lock
// plugin (lockVersion 1, JSON).
package sbt

import (
	"context"
	"fmt"
	"sort"

	"github.com/trawlsec/trawl/internal/parse/jsonpos"
	"github.com/trawlsec/trawl/pkg/model"
)

// Ecosystem is the OSV ecosystem of Maven artifacts.
const Ecosystem = model.EcosystemMaven

type dependency struct {
	Org            string   `json:"org"`
	Name           string   `json:"name"`
	Version        string   `json:"version"`
	Configurations []string `json:"configurations"`
}

// Parse reads a build.sbt.lock. Packages are named org:name; those locked
// only for the "test" configuration are marked Dev (Trivy leaves them out).
// The result is sorted by ID.
func Parse(ctx context.Context, content []byte) ([]model.Package, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	deps, locs, version, err := decode(content)
	if err != nil {
		return nil, fmt.Errorf("decoding build.sbt.lock: %w", err)
	}
	if version != 1 {
		return nil, fmt.Errorf("decoding build.sbt.lock: unsupported lockVersion %d", version)
	}
	seen := map[string]int{}
	var pkgs []model.Package
	for i, d := range deps {
		if d.Org == "" || d.Name == "" || d.Version == "" {
			continue
		}
		name := d.Org + ":" + d.Name
		id := name + "@" + d.Version
		if j, ok := seen[id]; ok {
			pkgs[j].Locations = append(pkgs[j].Locations, locs[i])
			continue
		}
		seen[id] = len(pkgs)
		dev := len(d.Configurations) > 0
		for _, c := range d.Configurations {
			if c != "test" {
				dev = false
			}
		}
		pkgs = append(pkgs, model.Package{ID: id, Name: name, Version: d.Version, Ecosystem: Ecosystem, Dev: dev,
			Locations: []model.Location{locs[i]}})
	}
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].ID < pkgs[j].ID })
	return pkgs, nil
}

// decode reads the lockfile's version and its dependencies, each with the
// lines it spans.
func decode(content []byte) (deps []dependency, locs []model.Location, version int, err error) {
	d := jsonpos.NewDecoder(content)
	if err := d.Object("build.sbt.lock"); err != nil {
		return nil, nil, 0, err
	}
	for d.More() {
		key, err := d.Key()
		if err != nil {
			return nil, nil, 0, err
		}
		switch key {
		case "lockVersion":
			if err := d.Decode(&version); err != nil {
				return nil, nil, 0, fmt.Errorf("lockVersion: %w", err)
			}
		case "dependencies":
			if deps, locs, err = jsonpos.Array[dependency](d, "dependency"); err != nil {
				return nil, nil, 0, err
			}
		default:
			if err := d.Skip(); err != nil {
				return nil, nil, 0, err
			}
		}
	}
	return deps, locs, version, d.End()
}
