package terraform

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/zclconf/go-cty/cty"
)

// MaxPlanDepth bounds the nesting of a plan JSON document.
const MaxPlanDepth = 64

// IsPlanJSON reports whether content is the JSON output of `terraform
// show -json PLAN` (Trivy's rule): a top-level object with the keys
// "format_version" and "terraform_version". It reads the top-level keys
// only, skipping their values.
func IsPlanJSON(content []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(content))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return false
	}
	var format, version bool
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return false
		}
		k, _ := t.(string)
		format = format || k == "format_version"
		version = version || k == "terraform_version"
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return false
		}
	}
	return format && version
}

// ParsePlan reads a plan's JSON (`terraform show -json PLAN`): the
// resources of planned_values (root module and child_modules, values
// concrete), at the lines of the JSON, with the references of
// configuration's expressions (so that, as in a module folder, an
// aws_s3_bucket_public_access_block whose bucket is not yet known is
// still linked to its bucket). Attributes the plan leaves unknown are
// absent from planned_values; those with references are unknown values.
// A document that is not a plan is an error naming the file.
func ParsePlan(name string, content []byte) (*Config, error) {
	root, err := decodeJSON(content)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if root.kind != 'o' || root.get("format_version") == nil {
		return nil, fmt.Errorf("%s: not a Terraform plan (no format_version)", name)
	}
	p := &planReader{file: name, refs: map[string]map[string][]string{}}
	if c := root.get("configuration"); c != nil {
		p.configRefs(c.get("root_module"), "", 0)
	}
	cfg := &Config{Files: []string{name}}
	if pv := root.get("planned_values"); pv != nil {
		p.module(pv.get("root_module"), cfg, 0)
	}
	return cfg, nil
}

type planReader struct {
	file string
	// refs: module path ("", "module.a.") + local address → attribute →
	// references.
	refs map[string]map[string][]string
}

// instanceKeys are the instance keys of a module address.
var instanceKeys = regexp.MustCompile(`\[[^\]]*\]`)

func (p *planReader) module(m *jnode, cfg *Config, depth int) {
	if m == nil || m.kind != 'o' || depth > MaxPlanDepth {
		return
	}
	prefix := ""
	if a := m.get("address"); a != nil && a.kind == 's' && a.str != "" {
		prefix = a.str + "."
	}
	if rs := m.get("resources"); rs != nil {
		for _, r := range rs.items {
			if res := p.resource(r, prefix); res != nil {
				cfg.Resources = append(cfg.Resources, res)
			}
		}
	}
	if cs := m.get("child_modules"); cs != nil {
		for _, c := range cs.items {
			p.module(c, cfg, depth+1)
		}
	}
}

func (p *planReader) resource(r *jnode, prefix string) *Resource {
	if r.kind != 'o' {
		return nil
	}
	str := func(k string) string {
		if v := r.get(k); v != nil && v.kind == 's' {
			return v.str
		}
		return ""
	}
	typ, name, addr := str("type"), str("name"), str("address")
	if typ == "" || name == "" || addr == "" {
		return nil
	}
	mode, local := "resource", typ+"."+name
	if str("mode") == "data" {
		mode, local = "data", "data."+local
	}
	values := r.get("values")
	if values == nil || values.kind != 'o' {
		values = &jnode{kind: 'o', start: r.start, end: r.end}
	}
	blk := p.block(mode, values, 0)
	blk.Labels = []string{typ, name}
	blk.Range = Range{File: p.file, Start: r.start, End: r.end}
	for attr, refs := range p.refs[instanceKeys.ReplaceAllString(prefix, "")+local] {
		a := blk.Attrs[attr]
		if a == nil {
			// Unknown until applied (an id, an arn): a value of the
			// resource not known, with the resource's lines.
			a = &Attribute{Name: attr, Value: cty.DynamicVal, Range: blk.Range}
			blk.Attrs[attr] = a
		}
		a.Refs = refs
	}
	return &Resource{Mode: mode, Type: typ, Name: name, Local: local, Address: addr, Module: prefix, Block: blk}
}

// block is a values object as a block: arrays of objects are nested
// blocks (a single object is an attribute and a block, as in .tf.json),
// null values are left out (unset: the check sees the default).
func (p *planReader) block(typ string, v *jnode, depth int) *Block {
	b := &Block{Type: typ, Range: Range{File: p.file, Start: v.start, End: v.end}, Attrs: map[string]*Attribute{}}
	for i, k := range v.keys {
		e := v.vals[i]
		if e.kind == 'z' {
			continue
		}
		many := e.kind == 'a' && len(e.items) > 0
		for _, it := range e.items {
			many = many && it.kind == 'o'
		}
		if depth < MaxPlanDepth && (many || e.kind == 'o') {
			items := e.items
			if e.kind == 'o' {
				items = []*jnode{e}
			}
			for _, it := range items {
				c := p.block(k, it, depth+1)
				if e.kind == 'o' {
					c.Range.Start = v.keyLines[i]
				}
				b.Blocks = append(b.Blocks, c)
			}
			if many {
				continue
			}
		}
		b.Attrs[k] = &Attribute{Name: k, Value: e.cty(), Range: Range{File: p.file, Start: v.keyLines[i], End: e.end}}
	}
	return b
}

// configRefs records the references of configuration's expressions.
func (p *planReader) configRefs(m *jnode, prefix string, depth int) {
	if m == nil || m.kind != 'o' || depth > MaxPlanDepth {
		return
	}
	if rs := m.get("resources"); rs != nil {
		for _, r := range rs.items {
			a, ex := r.get("address"), r.get("expressions")
			if a == nil || a.kind != 's' || ex == nil || ex.kind != 'o' {
				continue
			}
			for i, attr := range ex.keys {
				refs := ex.vals[i].get("references")
				if refs == nil {
					continue
				}
				var out []string
				for _, ref := range refs.items {
					if ref.kind == 's' {
						if r := refAddress(ref.str); r != "" && !contains(out, r) {
							out = append(out, r)
						}
					}
				}
				if len(out) > 0 {
					key := prefix + a.str
					if p.refs[key] == nil {
						p.refs[key] = map[string][]string{}
					}
					p.refs[key][attr] = out
				}
			}
		}
	}
	if calls := m.get("module_calls"); calls != nil && calls.kind == 'o' {
		for i, n := range calls.keys {
			p.configRefs(calls.vals[i].get("module"), prefix+"module."+n+".", depth+1)
		}
	}
}

// refAddress is a plan reference ("aws_s3_bucket.b.id",
// "aws_s3_bucket.b[0]", "data.x.y.z") as a module-local address
// ("aws_s3_bucket.b", "data.x.y"), as refs gives them for .tf files.
func refAddress(ref string) string {
	parts := strings.Split(instanceKeys.ReplaceAllString(ref, ""), ".")
	want := 2
	if parts[0] == "data" {
		want = 3
	}
	if len(parts) < want {
		return ""
	}
	return strings.Join(parts[:want], ".")
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

// jnode is a JSON value with the lines it spans.
type jnode struct {
	// kind: 'o' object, 'a' array, 's' string, 'n' number, 'b' bool,
	// 'z' null.
	kind       byte
	start, end int
	keys       []string
	keyLines   []int
	vals       []*jnode
	items      []*jnode
	str        string
	num        json.Number
	b          bool
}

// get is the value of key k of an object (the last one), or nil.
func (n *jnode) get(k string) *jnode {
	if n == nil || n.kind != 'o' {
		return nil
	}
	for i := len(n.keys) - 1; i >= 0; i-- {
		if n.keys[i] == k {
			return n.vals[i]
		}
	}
	return nil
}

func (n *jnode) cty() cty.Value {
	switch n.kind {
	case 's':
		return cty.StringVal(n.str)
	case 'n':
		if v, err := cty.ParseNumberVal(n.num.String()); err == nil {
			return v
		}
		return cty.DynamicVal
	case 'b':
		return cty.BoolVal(n.b)
	case 'o':
		m := make(map[string]cty.Value, len(n.keys))
		for i, k := range n.keys {
			m[k] = n.vals[i].cty()
		}
		return cty.ObjectVal(m)
	case 'a':
		vs := make([]cty.Value, len(n.items))
		for i, it := range n.items {
			vs[i] = it.cty()
		}
		return cty.TupleVal(vs)
	}
	return cty.NullVal(cty.DynamicPseudoType)
}

// decodeJSON reads one JSON value with the lines of every value and key.
func decodeJSON(content []byte) (*jnode, error) {
	d := &jdecoder{src: content, dec: json.NewDecoder(bytes.NewReader(content))}
	d.dec.UseNumber()
	for i, c := range content {
		if c == '\n' {
			d.nl = append(d.nl, i)
		}
	}
	n, err := d.value(0)
	if err != nil {
		return nil, err
	}
	if _, err := d.dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("line %d: data after the JSON value", d.line(int(d.dec.InputOffset())))
	}
	return n, nil
}

type jdecoder struct {
	src []byte
	dec *json.Decoder
	nl  []int // offsets of the newlines
}

// line is the 1-based line of byte offset off.
func (d *jdecoder) line(off int) int { return sort.SearchInts(d.nl, off) + 1 }

// next reads a token and the line it starts on.
func (d *jdecoder) next() (json.Token, int, error) {
	off := int(d.dec.InputOffset())
	for off < len(d.src) && strings.IndexByte(" \t\r\n:,", d.src[off]) >= 0 {
		off++
	}
	t, err := d.dec.Token()
	if err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, 0, fmt.Errorf("line %d: %w", d.line(int(se.Offset)), err)
		}
		if errors.Is(err, io.EOF) {
			return nil, 0, errors.New("unexpected end of JSON")
		}
		return nil, 0, err
	}
	return t, d.line(off), nil
}

func (d *jdecoder) value(depth int) (*jnode, error) {
	t, line, err := d.next()
	if err != nil {
		return nil, err
	}
	return d.from(t, line, depth)
}

func (d *jdecoder) from(t json.Token, line, depth int) (*jnode, error) {
	n := &jnode{start: line, end: line}
	switch v := t.(type) {
	case json.Delim:
		if depth >= MaxPlanDepth {
			return nil, fmt.Errorf("line %d: nested deeper than %d", line, MaxPlanDepth)
		}
		switch v {
		case '{':
			n.kind = 'o'
			for d.dec.More() {
				kt, kl, err := d.next()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				val, err := d.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.keys, n.keyLines, n.vals = append(n.keys, k), append(n.keyLines, kl), append(n.vals, val)
			}
		case '[':
			n.kind = 'a'
			for d.dec.More() {
				it, err := d.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.items = append(n.items, it)
			}
		default:
			return nil, fmt.Errorf("line %d: unexpected %q", line, v)
		}
		_, end, err := d.next()
		if err != nil {
			return nil, err
		}
		n.end = end
	case string:
		n.kind, n.str = 's', v
	case json.Number:
		n.kind, n.num = 'n', v
	case bool:
		n.kind, n.b = 'b', v
	case nil:
		n.kind = 'z'
	}
	return n, nil
}
