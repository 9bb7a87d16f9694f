// Package sbt reads build.sbt.lock files written by the sbt-dependency-lock
// plugin (lockVersion 1, JSON).
package sbt

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/trawlsec/trawl/pkg/model"
)

// Ecosystem is the OSV ecosystem of Maven artifacts.
const Ecosystem = model.EcosystemMaven

type lockFile struct {
	LockVersion  int          `json:"lockVersion"`
	Dependencies []dependency `json:"dependencies"`
}

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
	var lock lockFile
	if err := json.Unmarshal(content, &lock); err != nil {
		return nil, fmt.Errorf("decoding build.sbt.lock: %w", err)
	}
	if lock.LockVersion != 1 {
		return nil, fmt.Errorf("decoding build.sbt.lock: unsupported lockVersion %d", lock.LockVersion)
	}
	seen := map[string]bool{}
	var pkgs []model.Package
	for _, d := range lock.Dependencies {
		if d.Org == "" || d.Name == "" || d.Version == "" {
			continue
		}
		name := d.Org + ":" + d.Name
		id := name + "@" + d.Version
		if seen[id] {
			continue
		}
		seen[id] = true
		dev := len(d.Configurations) > 0
		for _, c := range d.Configurations {
			if c != "test" {
				dev = false
			}
		}
		pkgs = append(pkgs, model.Package{ID: id, Name: name, Version: d.Version, Ecosystem: Ecosystem, Dev: dev})
	}
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].ID < pkgs[j].ID })
	return pkgs, nil
}
