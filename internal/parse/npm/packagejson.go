package npm

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/trawlsec/trawl/pkg/model"
)

// packageJSON is the part of a package.json an installed package is
// identified by.
type packageJSON struct {
	Name     string          `json:"name"`
	Version  string          `json:"version"`
	License  json.RawMessage `json:"license"`
	Licenses json.RawMessage `json:"licenses"`
}

// ParsePackageJSON reads the package.json of an installed package. It
// returns ok=false, and no error, for a well-formed file that names no
// package (no name or no version), as the package.json of a plain project
// folder often does.
func ParsePackageJSON(r io.Reader) (pkg model.Package, ok bool, err error) {
	var pj packageJSON
	if err := json.NewDecoder(r).Decode(&pj); err != nil {
		return model.Package{}, false, fmt.Errorf("decode package.json: %w", err)
	}
	name, version := strings.TrimSpace(pj.Name), strings.TrimSpace(pj.Version)
	if name == "" || version == "" {
		return model.Package{}, false, nil
	}
	if !validName(name) {
		return model.Package{}, false, fmt.Errorf("package.json: invalid package name %q", name)
	}
	return model.Package{
		ID:        ID(name, version),
		Name:      name,
		Version:   version,
		Ecosystem: Ecosystem,
		Licenses:  licenses(pj.License, pj.Licenses),
	}, true, nil
}

// licenses reads the "license" field of a package.json or lockfile entry,
// in its SPDX string form or the legacy {"type": …} object form, or else the
// legacy "licenses" array (of strings or {"type": …} objects).
func licenses(license, legacy json.RawMessage) []string {
	if l := licenseValue(license); len(l) > 0 {
		return l
	}
	return licenseValue(legacy)
}

func licenseValue(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if s = strings.TrimSpace(s); s != "" {
			return []string{s}
		}
		return nil
	}
	var obj struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(raw, &obj) == nil {
		if t := strings.TrimSpace(obj.Type); t != "" {
			return []string{t}
		}
		return nil
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) != nil {
		return nil
	}
	var out []string
	for _, item := range list {
		out = append(out, licenseValue(item)...)
	}
	return out
}

// validName reports whether name is a URL-friendly npm package name,
// optionally scoped: [@scope/]name, each part made of letters, digits and
// "-._~", not starting with "." or "_".
func validName(name string) bool {
	if scope, rest, ok := strings.Cut(name, "/"); ok {
		if !strings.HasPrefix(scope, "@") || !validPart(scope[1:]) {
			return false
		}
		name = rest
	}
	return validPart(name)
}

func validPart(s string) bool {
	if s == "" || s[0] == '.' || s[0] == '_' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '-', c == '.', c == '_', c == '~':
		default:
			return false
		}
	}
	return true
}
