// Package pypi holds what every Python package format shares: the PyPI
// ecosystem name, PEP 503 name normalisation and package IDs.
package pypi

import (
	"strings"

	"github.com/trawlsec/trawl/pkg/model"
)

// Ecosystem is the OSV ecosystem of Python packages.
const Ecosystem = model.EcosystemPyPI

// Normalize returns the PEP 503 normalised form of a project name: lower
// case, with every run of "-", "_" and "." replaced by one "-".
func Normalize(name string) string {
	name = strings.TrimSpace(name)
	var b strings.Builder
	b.Grow(len(name))
	sep := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c == '-' || c == '_' || c == '.' {
			sep = true
			continue
		}
		if sep {
			b.WriteByte('-')
		}
		sep = false
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	if sep {
		b.WriteByte('-')
	}
	return b.String()
}

// ID returns the package ID: normalised-name@version.
func ID(name, version string) string { return name + "@" + version }
