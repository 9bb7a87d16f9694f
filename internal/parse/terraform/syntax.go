package terraform

import (
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
)

// node is a block of either Terraform syntax (native .tf or JSON
// .tf.json), as the evaluator reads it: attributes with their
// expressions and nested blocks.
type node struct {
	Type   string
	Labels []string
	// DefRange is the block's header, for warnings.
	DefRange hcl.Range
	// Start is the line of the block's header (resource blocks: of its
	// opening brace), End the line of its closing brace.
	Start, End int
	// NestedStart is the line a nested block of this type starts on.
	NestedStart int
	Attrs       map[string]*hcl.Attribute
	Blocks      []*node
}

// attrNames are the node's attribute names, sorted.
func (n *node) attrNames() []string {
	out := make([]string, 0, len(n.Attrs))
	for k := range n.Attrs {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// fromNative converts a native syntax block.
func fromNative(b *hclsyntax.Block) *node {
	n := &node{
		Type: b.Type, Labels: b.Labels, DefRange: b.DefRange(),
		Start: b.Body.SrcRange.Start.Line, End: b.Body.SrcRange.End.Line,
		NestedStart: b.TypeRange.Start.Line,
		Attrs:       make(map[string]*hcl.Attribute, len(b.Body.Attributes)),
	}
	for name, a := range b.Body.Attributes {
		n.Attrs[name] = a.AsHCLAttribute()
	}
	for _, c := range b.Body.Blocks {
		n.Blocks = append(n.Blocks, fromNative(c))
	}
	return n
}

// topSchema are the top-level blocks of a Terraform file the evaluator
// reads; others (provider, terraform, moved, …) are ignored.
var topSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
	{Type: "variable", LabelNames: []string{"name"}},
	{Type: "locals"},
	{Type: "resource", LabelNames: []string{"type", "name"}},
	{Type: "data", LabelNames: []string{"type", "name"}},
	{Type: "module", LabelNames: []string{"name"}},
	{Type: "output", LabelNames: []string{"name"}},
}}

// labelled are the nested block types that carry one label in JSON
// syntax ("dynamic": {"ingress": {…}}).
var labelled = map[string]bool{"dynamic": true, "provisioner": true}

// maxJSONDepth bounds the nesting of JSON blocks read.
const maxJSONDepth = 32

// fromJSON converts a block of a JSON file. Without the providers'
// schemas, a property whose value is an object, or an array of objects,
// is read as nested blocks (Terraform's JSON form of a block); a single
// object stays an attribute too, since it may be a map ("tags"). Locals
// and variables keep all their properties as attributes.
func fromJSON(b *hcl.Block, depth int) *node {
	n := &node{
		Type: b.Type, Labels: b.Labels, DefRange: b.DefRange,
		Start: b.DefRange.Start.Line, End: b.Body.MissingItemRange().End.Line,
		NestedStart: b.DefRange.Start.Line,
		Attrs:       map[string]*hcl.Attribute{},
	}
	attrs, _ := b.Body.JustAttributes()
	switch {
	case depth == 0 && (b.Type == "locals" || b.Type == "module" || b.Type == "output"), depth >= maxJSONDepth:
		n.Attrs = attrs
		return n
	case depth == 0 && b.Type == "variable":
		// Only "validation" is a block; a default may be an object.
		for name, a := range attrs {
			if name != "validation" {
				n.Attrs[name] = a
			}
		}
		if v, ok := attrs["validation"]; ok {
			attrs = hcl.Attributes{"validation": v}
		} else {
			return n
		}
	}
	schema := &hcl.BodySchema{}
	names := make([]string, 0, len(attrs))
	for name := range attrs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		a := attrs[name]
		single, many := jsonBlockShape(a.Expr)
		switch {
		case labelled[name] && single:
			schema.Blocks = append(schema.Blocks, hcl.BlockHeaderSchema{Type: name, LabelNames: []string{"type"}})
		case single || many:
			schema.Blocks = append(schema.Blocks, hcl.BlockHeaderSchema{Type: name})
			if single {
				n.Attrs[name] = a
			}
		default:
			n.Attrs[name] = a
		}
	}
	content, _, _ := b.Body.PartialContent(schema)
	if content != nil {
		for _, c := range content.Blocks {
			n.Blocks = append(n.Blocks, fromJSON(c, depth+1))
		}
	}
	return n
}

// jsonBlockShape reports whether a JSON expression is an object (single)
// or a non-empty array of objects (many).
func jsonBlockShape(e hcl.Expression) (single, many bool) {
	if _, diags := hcl.ExprMap(e); !diags.HasErrors() {
		return true, false
	}
	items, diags := hcl.ExprList(e)
	if diags.HasErrors() || len(items) == 0 {
		return false, false
	}
	for _, it := range items {
		if _, d := hcl.ExprMap(it); d.HasErrors() {
			return false, false
		}
	}
	return false, true
}

// parseFile parses a .tf or .tf.json file into its top-level blocks.
func parseFile(src []byte, name string) ([]*node, hcl.Diagnostics) {
	if isJSONName(name) {
		f, diags := hcljson.Parse(src, name)
		if diags.HasErrors() {
			return nil, diags
		}
		content, _, diags := f.Body.PartialContent(topSchema)
		if diags.HasErrors() {
			return nil, diags
		}
		out := make([]*node, 0, len(content.Blocks))
		for _, b := range content.Blocks {
			out = append(out, fromJSON(b, 0))
		}
		return out, nil
	}
	f, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, diags
	}
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		return nil, nil
	}
	out := make([]*node, 0, len(body.Blocks))
	for _, b := range body.Blocks {
		out = append(out, fromNative(b))
	}
	return out, nil
}

func isJSONName(name string) bool { return strings.HasSuffix(name, ".json") }

// parseVarsFile parses a .tfvars or .tfvars.json file's body.
func parseVarsFile(src []byte, name string) (hcl.Body, hcl.Diagnostics) {
	if isJSONName(name) {
		f, diags := hcljson.Parse(src, name)
		if diags.HasErrors() {
			return nil, diags
		}
		return f.Body, nil
	}
	f, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, diags
	}
	return f.Body, nil
}
