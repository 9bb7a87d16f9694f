// Package packaging parses the core metadata of installed Python
// distributions: *.dist-info/METADATA, *.egg-info/PKG-INFO and *.egg-info
// files, all in the e-mail header format of the core metadata
// specification.
package packaging

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/trawlsec/trawl/internal/parse/python/pypi"
	"github.com/trawlsec/trawl/pkg/model"
)

// maxLine bounds one metadata line (long descriptions are single lines in
// some files).
const maxLine = 4 << 20

// Parse reads one core metadata file and returns the distribution it
// describes. Name and Version are required. Licences come from
// License-Expression, else from a one-line License field (not "UNKNOWN"),
// else from the "License :: …" classifiers.
func Parse(r io.Reader) (model.Package, error) {
	h, err := readHeader(r)
	if err != nil {
		return model.Package{}, err
	}
	name, version := h.get("name"), h.get("version")
	if name == "" || version == "" {
		return model.Package{}, errors.New("metadata has no Name or no Version")
	}
	// The name as METADATA writes it; the ID is normalised (PEP 503).
	return model.Package{
		ID:        pypi.ID(pypi.Normalize(name), version),
		Name:      name,
		Version:   version,
		Ecosystem: pypi.Ecosystem,
		Licenses:  licenses(h),
	}, nil
}

func licenses(h header) []string {
	if l := h.get("license-expression"); l != "" {
		return []string{l}
	}
	if l := h.get("license"); l != "" && !strings.Contains(l, "\n") && !strings.EqualFold(l, "UNKNOWN") {
		return []string{l}
	}
	var out []string
	for _, c := range h["classifier"] {
		if !strings.HasPrefix(c, "License :: ") {
			continue
		}
		parts := strings.Split(c, " :: ")
		l := strings.TrimSpace(parts[len(parts)-1])
		if len(parts) < 3 && l == "OSI Approved" {
			continue
		}
		if l != "" && !contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// header maps lower-cased field names to their values in file order.
type header map[string][]string

func (h header) get(key string) string {
	if v := h[key]; len(v) > 0 {
		return strings.TrimSpace(v[0])
	}
	return ""
}

// readHeader reads the header block, up to the first blank line. Lines that
// start with blanks continue the previous field.
func readHeader(r io.Reader) (header, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	h := header{}
	var last string
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSuffix(sc.Text(), "\r")
		if n == 1 {
			line = strings.TrimPrefix(line, "\ufeff")
		}
		if line == "" {
			if len(h) == 0 || last == "description" {
				// Some tools leave blank lines inside a Description
				// header instead of indenting them; the fields after
				// it (Classifier…) still belong to the header.
				continue
			}
			break // the body (long description) follows
		}
		if line[0] == ' ' || line[0] == '\t' {
			if len(h) == 0 {
				return nil, fmt.Errorf("line %d: continuation line before any field", n)
			}
			if last == "" {
				continue
			}
			v := h[last]
			v[len(v)-1] += "\n" + strings.TrimSpace(line)
			continue
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok || key == "" || strings.ContainsAny(key, " \t") {
			if len(h) == 0 {
				return nil, fmt.Errorf("line %d: not a metadata field: %q", n, truncate(line))
			}
			// Tools have written stray unindented description lines;
			// they end no field and carry none.
			last = ""
			continue
		}
		last = strings.ToLower(key)
		h[last] = append(h[last], strings.TrimSpace(value))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read metadata: %w", err)
	}
	if len(h) == 0 {
		return nil, errors.New("empty metadata")
	}
	return h, nil
}

func truncate(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}
