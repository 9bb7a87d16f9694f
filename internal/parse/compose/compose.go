// Package compose reads Docker Compose files as written, keeping line
// numbers: every mapping carries "__defsec_metadata" {"startline",
// "endline"} (internal/parse/yamlmeta), as Kubernetes inputs do, so a
// check's result.new(msg, service) points at the service's lines.
//
// Nothing is resolved: no ${VAR} interpolation, no extends/include, no
// merging of override files, no normalisation of short and long syntaxes
// (ports, volumes, environment keep the form they are written in). The
// checks read the file as its author wrote it.
package compose

import (
	"fmt"

	"github.com/trawlsec/trawl/internal/parse/yamlmeta"
)

// File is one Compose document.
type File struct {
	// Object is the document (services, networks, volumes, secrets, …)
	// with yamlmeta.MetadataKey in every mapping.
	Object map[string]any
	// StartLine and EndLine (1-based) are the document's lines.
	StartLine, EndLine int
}

// Parse reads the documents of a Compose file (usually one). Each must be
// a mapping; when it has "services", that must be a mapping of mappings
// (or nulls). Anything else is an error naming the line, as are YAML
// errors and files over yamlmeta's caps.
func Parse(content []byte) ([]File, error) {
	docs, err := yamlmeta.Decode(content)
	if err != nil {
		return nil, err
	}
	out := make([]File, 0, len(docs))
	for _, d := range docs {
		obj, ok := d.Value.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("line %d: a Compose file is a mapping, not a %s", d.StartLine, kind(d.Value))
		}
		if svcs, ok := obj["services"]; ok && svcs != nil {
			m, ok := svcs.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("line %d: services is a %s, want a mapping of services", d.StartLine, kind(svcs))
			}
			for name, s := range m {
				if name == yamlmeta.MetadataKey || s == nil {
					continue
				}
				if _, ok := s.(map[string]any); !ok {
					start, _ := yamlmeta.Lines(m)
					return nil, fmt.Errorf("line %d: service %q is a %s, want a mapping", start, name, kind(s))
				}
			}
		}
		out = append(out, File{Object: obj, StartLine: d.StartLine, EndLine: d.EndLine})
	}
	return out, nil
}

func kind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "mapping"
	case []any:
		return "list"
	case nil:
		return "null"
	}
	return "scalar"
}
