// Package kubernetes reads Kubernetes manifests (multi-document YAML, or
// JSON) into one generic document per resource, keeping line numbers:
// every mapping carries "__defsec_metadata" {"startline", "endline"} as
// Trivy's Kubernetes input does, so a check's result.new(msg, container)
// points at the container's lines. "kind: List" documents are expanded
// into their items.
package kubernetes

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"gopkg.in/yaml.v3"
)

// MetadataKey is the key of the line information in every mapping.
const MetadataKey = "__defsec_metadata"

// Caps against YAML bombs (anchors expanded many times) and deep nesting.
const (
	MaxNodes = 1 << 20
	MaxDepth = 256
)

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
// skipped. A document that does not parse is an error with its line.
func Parse(content []byte) ([]Resource, error) {
	content = bytes.TrimPrefix(content, []byte("\xef\xbb\xbf"))
	dec := yaml.NewDecoder(bytes.NewReader(content))
	var out []Resource
	budget := MaxNodes
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if len(doc.Content) == 0 {
			continue
		}
		c := &converter{budget: budget}
		root := doc.Content[0]
		v, end, err := c.value(root, 0)
		if err != nil {
			return nil, err
		}
		budget = c.budget
		obj, ok := v.(map[string]any)
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
			out = append(out, Resource{Object: obj, StartLine: startOf(root), EndLine: end})
		}
	}
}

func isResource(m map[string]any) bool {
	a, ok1 := m["apiVersion"].(string)
	k, ok2 := m["kind"].(string)
	return ok1 && ok2 && a != "" && k != ""
}

func resourceOf(m map[string]any) Resource {
	meta, _ := m[MetadataKey].(map[string]any)
	s, _ := meta["startline"].(int)
	e, _ := meta["endline"].(int)
	return Resource{Object: m, StartLine: s, EndLine: e}
}

// startOf is the first line of a node: a mapping's or sequence's first
// entry (a flow mapping's own line is its '{').
func startOf(n *yaml.Node) int {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return n.Line
	}
	if (n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode) && n.Style&yaml.FlowStyle == 0 && len(n.Content) > 0 {
		return startOf(n.Content[0])
	}
	return n.Line
}

type converter struct{ budget int }

var errBomb = fmt.Errorf("document too large or too deeply nested (more than %d nodes or %d levels)", MaxNodes, MaxDepth)

// value converts a node; end is its last line.
func (c *converter) value(n *yaml.Node, depth int) (any, int, error) {
	c.budget--
	if c.budget < 0 || depth > MaxDepth {
		return nil, 0, fmt.Errorf("line %d: %w", n.Line, errBomb)
	}
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil, n.Line, nil
		}
		v, _, err := c.value(n.Alias, depth+1)
		return v, n.Line, err
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, n.Line, nil
		}
		return c.value(n.Content[0], depth+1)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2+1)
		end := n.Line
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Tag == "!!merge" {
				mv, e, err := c.value(v, depth+1)
				if err != nil {
					return nil, 0, err
				}
				end = max(end, e)
				merge(m, mv)
				continue
			}
			val, e, err := c.value(v, depth+1)
			if err != nil {
				return nil, 0, err
			}
			end = max(end, e, k.Line)
			m[k.Value] = val
		}
		m[MetadataKey] = map[string]any{"startline": startOf(n), "endline": end}
		return m, end, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		end := n.Line
		for _, it := range n.Content {
			v, e, err := c.value(it, depth+1)
			if err != nil {
				return nil, 0, err
			}
			end = max(end, e)
			s = append(s, v)
		}
		return s, end, nil
	case yaml.ScalarNode:
		end := n.Line
		if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			end += strings.Count(strings.TrimRight(n.Value, "\n"), "\n") + 1
		}
		return scalar(n), end, nil
	}
	return nil, n.Line, nil
}

// merge applies a YAML merge key ("<<: *base", or a list of them): keys
// already set win.
func merge(m map[string]any, v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if _, ok := m[k]; !ok && k != MetadataKey {
				m[k] = x
			}
		}
	case []any:
		for _, x := range v {
			merge(m, x)
		}
	}
}

// scalar is a scalar's value: strings, ints, floats, booleans and null as
// YAML 1.2 core types; anything else (timestamps, binary, custom tags) is
// its text.
func scalar(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool", "!!int", "!!float":
		var v any
		if err := n.Decode(&v); err == nil {
			switch x := v.(type) {
			case int64:
				return float64(x)
			case uint64:
				return float64(x)
			}
			return v
		}
	}
	return n.Value
}
