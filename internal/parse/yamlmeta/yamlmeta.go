// Package yamlmeta decodes YAML (or JSON) documents into generic values
// that keep their line numbers: every mapping carries "__defsec_metadata"
// {"startline", "endline"}, as Trivy's Kubernetes and defsec inputs do, so
// a check's result.new(msg, obj) points at obj's lines. It is the shared
// decoder of Kubernetes manifests and Compose files.
//
// Untrusted input is bounded: anchors expanded many times (billion
// laughs), deep nesting and files of very many documents are errors,
// never a crash, a hang or unbounded memory.
package yamlmeta

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"
)

// MetadataKey is the key of the line information in every mapping.
const MetadataKey = "__defsec_metadata"

// Caps on one file.
const (
	// MaxNodes caps the values of all the documents, aliases expanded.
	MaxNodes = 1 << 20
	// MaxAliasNodes caps the values reached through aliases: legitimate
	// anchors (a Compose x-defaults block merged into each service) stay
	// far below it, a billion-laughs document reaches it at once.
	MaxAliasNodes = 1 << 17
	// MaxDepth caps nesting (yaml.v3 itself stops at 10,000 levels).
	MaxDepth = 256
	// MaxDocuments caps the documents of one file ("---" separated).
	MaxDocuments = 10000
)

// ErrLimit is wrapped by the errors of documents over a cap.
var ErrLimit = errors.New("YAML limit exceeded")

// Document is one YAML document.
type Document struct {
	// Value is a map[string]any (with MetadataKey), []any, string,
	// float64, bool or nil.
	Value any
	// StartLine and EndLine (1-based) are the document's lines.
	StartLine, EndLine int
}

// Decode reads every non-null document of content (a UTF-8 BOM is
// skipped). A document that does not parse is an error with its line; a
// file over a cap is an error wrapping ErrLimit.
func Decode(content []byte) ([]Document, error) { return DecodeWith(content, Options{}) }

// Options change what DecodeWith keeps.
type Options struct {
	// Tag, when set, is called on the value of every node with a local
	// tag ("!Ref x", "!GetAtt [a, b]") with its lines; its result
	// replaces the value. Without it the tag is dropped.
	Tag func(tag string, v any, start, end int) any
	// KeyLines adds "keylines": {key: [startline, endline]} (the key's
	// line to its value's last) to every mapping's MetadataKey.
	KeyLines bool
}

// DecodeWith is Decode with options.
func DecodeWith(content []byte, o Options) ([]Document, error) {
	content = bytes.TrimPrefix(content, []byte("\xef\xbb\xbf"))
	dec := yaml.NewDecoder(bytes.NewReader(content))
	var out []Document
	c := &converter{budget: MaxNodes, aliasBudget: MaxAliasNodes, lines: bytes.Count(content, []byte("\n")) + 1, opts: o}
	for n := 0; ; n++ {
		if n == MaxDocuments {
			return nil, fmt.Errorf("more than %d documents: %w", MaxDocuments, ErrLimit)
		}
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
		root := doc.Content[0]
		v, end, err := c.value(root, 0, false)
		if err != nil {
			return nil, err
		}
		if v == nil {
			continue // "---" with nothing, or only null
		}
		out = append(out, Document{Value: v, StartLine: c.clamp(StartOf(root)), EndLine: end})
	}
}

// StartOf is the first line of a node: a mapping's or sequence's first
// entry (a flow mapping's own line is its '{').
func StartOf(n *yaml.Node) int {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return n.Line
	}
	if (n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode) && n.Style&yaml.FlowStyle == 0 && len(n.Content) > 0 {
		return StartOf(n.Content[0])
	}
	return n.Line
}

// Lines returns the line information of a decoded mapping (0, 0 when v is
// not one).
func Lines(v any) (start, end int) {
	m, _ := v.(map[string]any)
	md, _ := m[MetadataKey].(map[string]any)
	start, _ = md["startline"].(int)
	end, _ = md["endline"].(int)
	return start, end
}

type converter struct {
	budget, aliasBudget, lines int
	opts                       Options
}

// clamp keeps a line within the file: yaml.v3 places the implicit empty
// value of a last line ("?", "k:") on the line after it.
func (c *converter) clamp(line int) int { return min(max(line, 1), c.lines) }

// value converts a node; end is its last line. inAlias tells that the
// node is reached through an alias (its values count against
// aliasBudget).
func (c *converter) value(n *yaml.Node, depth int, inAlias bool) (any, int, error) {
	v, end, err := c.untagged(n, depth, inAlias)
	if err == nil && c.opts.Tag != nil && n.Kind != yaml.AliasNode && strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		v = c.opts.Tag(n.Tag, v, min(c.clamp(StartOf(n)), end), end)
	}
	return v, end, err
}

func (c *converter) untagged(n *yaml.Node, depth int, inAlias bool) (any, int, error) {
	c.budget--
	if inAlias {
		c.aliasBudget--
	}
	switch {
	case c.budget < 0:
		return nil, 0, fmt.Errorf("line %d: more than %d values: %w", n.Line, MaxNodes, ErrLimit)
	case c.aliasBudget < 0:
		return nil, 0, fmt.Errorf("line %d: aliases expand to more than %d values: %w", n.Line, MaxAliasNodes, ErrLimit)
	case depth > MaxDepth:
		return nil, 0, fmt.Errorf("line %d: nested more than %d levels: %w", n.Line, MaxDepth, ErrLimit)
	}
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil, n.Line, nil
		}
		v, _, err := c.value(n.Alias, depth+1, true)
		return v, n.Line, err
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, n.Line, nil
		}
		return c.value(n.Content[0], depth+1, inAlias)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2+1)
		var keyLines map[string]any
		if c.opts.KeyLines {
			keyLines = map[string]any{}
		}
		end := n.Line
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Tag == "!!merge" {
				mv, e, err := c.value(v, depth+1, inAlias)
				if err != nil {
					return nil, 0, err
				}
				end = max(end, e)
				merge(m, mv)
				continue
			}
			val, e, err := c.value(v, depth+1, inAlias)
			if err != nil {
				return nil, 0, err
			}
			end = max(end, e, k.Line)
			m[k.Value] = val
			if keyLines != nil {
				ks := c.clamp(k.Line)
				keyLines[k.Value] = []any{ks, max(ks, c.clamp(e))}
			}
		}
		end = c.clamp(end)
		m[MetadataKey] = map[string]any{"startline": min(c.clamp(StartOf(n)), end), "endline": end}
		if keyLines != nil {
			m[MetadataKey].(map[string]any)["keylines"] = keyLines
		}
		return m, end, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		end := n.Line
		for _, it := range n.Content {
			v, e, err := c.value(it, depth+1, inAlias)
			if err != nil {
				return nil, 0, err
			}
			end = max(end, e)
			s = append(s, v)
		}
		return s, c.clamp(end), nil
	case yaml.ScalarNode:
		end := n.Line
		if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 && n.Value != "" {
			// The text starts on the line after the indicator.
			end += strings.Count(strings.TrimRight(n.Value, "\n"), "\n") + 1
		}
		return scalar(n), c.clamp(end), nil
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
