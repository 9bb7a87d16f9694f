// Package pipenv parses Pipfile.lock. Packages of the "develop" section are
// marked Dev; Pipfile.lock records no dependency graph, so Relationship is
// "unknown" and DependsOn empty.
package pipenv

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/trawlsec/trawl/internal/parse/jsonpos"
	"github.com/trawlsec/trawl/internal/parse/python/pypi"
	"github.com/trawlsec/trawl/pkg/model"
)

type entry struct {
	Version string `json:"version"`
}

// Parse reads a Pipfile.lock. Entries without a pinned version (editable,
// VCS or path requirements) are not packages. A package locked in both
// sections is not Dev.
func Parse(r io.Reader) ([]model.Package, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read Pipfile.lock: %w", err)
	}
	dec := jsonpos.NewDecoder(data)
	if err := delim(dec, '{'); err != nil {
		return nil, err
	}
	var pkgs []model.Package
	index := make(map[string]int)
	for dec.More() {
		section, err := key(dec)
		if err != nil {
			return nil, err
		}
		if section != "default" && section != "develop" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, fmt.Errorf("%s: malformed JSON: %w", section, err)
			}
			continue
		}
		dev := section == "develop"
		if err := delim(dec, '{'); err != nil {
			return nil, fmt.Errorf("%s: %w", section, err)
		}
		for dec.More() {
			name, err := key(dec)
			if err != nil {
				return nil, err
			}
			start := dec.StartLine()
			var e entry
			if err := dec.Decode(&e); err != nil {
				return nil, fmt.Errorf("%s.%s (line %d): %w", section, name, start, err)
			}
			end := dec.EndLine()
			version := strings.TrimSpace(strings.TrimPrefix(e.Version, "=="))
			if version == "" || version == "*" {
				continue
			}
			n := pypi.Normalize(name)
			id := pypi.ID(n, version)
			l := model.Location{StartLine: start, EndLine: end}
			if i, ok := index[id]; ok {
				pkgs[i].Dev = pkgs[i].Dev && dev
				pkgs[i].Locations = append(pkgs[i].Locations, l)
				continue
			}
			index[id] = len(pkgs)
			pkgs = append(pkgs, model.Package{
				ID: id, Name: strings.TrimSpace(name), Version: version, Ecosystem: pypi.Ecosystem, Dev: dev,
				Relationship: model.RelationshipUnknown,
				Locations:    []model.Location{l},
			})
		}
		if err := delim(dec, '}'); err != nil {
			return nil, err
		}
	}
	if err := delim(dec, '}'); err != nil {
		return nil, err
	}
	slices.SortFunc(pkgs, func(a, b model.Package) int {
		if c := strings.Compare(pypi.Normalize(a.Name), pypi.Normalize(b.Name)); c != 0 {
			return c
		}
		return strings.Compare(a.Version, b.Version)
	})
	return pkgs, nil
}

func delim(dec *jsonpos.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("malformed JSON at byte %d: %w", dec.Offset(), err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("malformed Pipfile.lock at byte %d: expected %q, found %v", dec.Offset(), want, tok)
	}
	return nil
}

func key(dec *jsonpos.Decoder) (string, error) {
	tok, err := dec.Token()
	if err != nil {
		return "", fmt.Errorf("malformed JSON at byte %d: %w", dec.Offset(), err)
	}
	k, ok := tok.(string)
	if !ok {
		return "", fmt.Errorf("malformed JSON at byte %d: expected a key, found %v", dec.Offset(), tok)
	}
	return k, nil
}
