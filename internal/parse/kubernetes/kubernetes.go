// Package kubernetes reads Kubernetes manifests (multi-document YAML, or
// JSON) into one generic document per resource, keeping line numbers:
// every mapping carries "__defsec_metadata" {"startline", "endline"} as
// Trivy's Kubernetes input does, so a check's result.new(msg, container)
// points at the container's lines. "kind: List" documents are expanded
// into their items.
package kubernetes

import (
	"github.com/trawlsec/trawl/internal/parse/yamlmeta"
)

// MetadataKey is the key of the line information in every mapping.
const MetadataKey = yamlmeta.MetadataKey

// Resource is one Kubernetes object of a manifest.
type Resource struct {
	// Object is the resource (apiVersion, kind, metadata, spec, …) with
	// MetadataKey in every mapping.
	Object map[string]any
	// StartLine and EndLine (1-based) are the resource's lines.
	StartLine, EndLine int
}

// Parse reads the resources of a manifest: every document (or List item)
// that is a mapping with string apiVersion and kind. Other documents are
// skipped. A document that does not parse is an error with its line; a
// file over one of yamlmeta's caps (anchors expanded too often, nesting,
// documents) is an error.
func Parse(content []byte) ([]Resource, error) {
	docs, err := yamlmeta.Decode(content)
	if err != nil {
		return nil, err
	}
	var out []Resource
	for _, d := range docs {
		obj, ok := d.Value.(map[string]any)
		if !ok {
			continue
		}
		if isResource(obj) && obj["kind"] == "List" {
			items, _ := obj["items"].([]any)
			for _, it := range items {
				if m, ok := it.(map[string]any); ok && isResource(m) {
					out = append(out, resourceOf(m))
				}
			}
			continue
		}
		if isResource(obj) {
			out = append(out, Resource{Object: obj, StartLine: d.StartLine, EndLine: d.EndLine})
		}
	}
	return out, nil
}

func isResource(m map[string]any) bool {
	a, ok1 := m["apiVersion"].(string)
	k, ok2 := m["kind"].(string)
	return ok1 && ok2 && a != "" && k != ""
}

func resourceOf(m map[string]any) Resource {
	s, e := yamlmeta.Lines(m)
	return Resource{Object: m, StartLine: s, EndLine: e}
}
