package terraform

import (
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// state is what one module instance has evaluated so far.
type state struct {
	vars, locals map[string]cty.Value
	// resources: type → name → value (an object, a tuple for count, an
	// object of instances for for_each); data likewise under "data".
	resources map[string]map[string]cty.Value
	data      map[string]map[string]cty.Value
	modules   map[string]cty.Value
}

func (s *state) context(m *module, root string) *hcl.EvalContext {
	vars := map[string]cty.Value{
		"var":       cty.ObjectVal(s.vars),
		"local":     cty.ObjectVal(s.locals),
		"module":    cty.ObjectVal(s.modules),
		"path":      cty.ObjectVal(map[string]cty.Value{"module": cty.StringVal(m.dir), "root": cty.StringVal(root), "cwd": cty.StringVal(".")}),
		"terraform": cty.ObjectVal(map[string]cty.Value{"workspace": cty.StringVal("default")}),
	}
	data := map[string]cty.Value{}
	for t, byName := range s.data {
		data[t] = cty.ObjectVal(byName)
	}
	vars["data"] = cty.ObjectVal(data)
	for t, byName := range s.resources {
		vars[t] = cty.ObjectVal(byName)
	}
	return &hcl.EvalContext{Variables: vars, Functions: functions()}
}

// eval evaluates module m with its input values; prefix is the module
// path of its addresses ("module.a.module.b."), key its key in
// modules.json ("a.b"), via the calls that reached it (innermost
// first). With collect, the resource instances of m and
// its modules are returned.
func (l *loader) eval(m *module, inputs map[string]input, prefix, key string, via []Call, depth int, stack []string, collect bool) (cty.Value, []*Resource) {
	s := &state{vars: map[string]cty.Value{}, locals: map[string]cty.Value{},
		resources: map[string]map[string]cty.Value{}, data: map[string]map[string]cty.Value{}, modules: map[string]cty.Value{}}
	for _, v := range m.variables {
		name := v.Labels[0]
		if in, ok := inputs[name]; ok {
			s.vars[name] = in.value
			continue
		}
		s.vars[name] = cty.DynamicVal
		if d, ok := v.Attrs["default"]; ok {
			val, _ := d.Expr.Value(nil)
			s.vars[name] = safe(val)
		}
	}
	order := l.localOrder(m)
	var out []*Resource
	for pass := 0; pass < passes; pass++ {
		if l.ctx.Err() != nil {
			break
		}
		last := pass == passes-1
		ctx := s.context(m, l.root)
		for _, a := range order {
			v, _ := a.Expr.Value(ctx)
			s.locals[a.Name] = safe(v)
			ctx = s.context(m, l.root)
		}
		for _, b := range m.resources {
			insts := l.expand(b, ctx, prefix, via, last && collect)
			target := s.resources
			if b.Type == "data" {
				target = s.data
			}
			if target[b.Labels[0]] == nil {
				target[b.Labels[0]] = map[string]cty.Value{}
			}
			target[b.Labels[0]][b.Labels[1]] = insts.value
			if last && collect {
				out = append(out, insts.resources...)
			}
		}
		if pass == 0 {
			continue
		}
		for _, c := range m.calls {
			outputs, rs := l.call(m, c, s.context(m, l.root), prefix, key, via, depth, stack, last && collect)
			s.modules[c.Labels[0]] = outputs
			out = append(out, rs...)
		}
	}
	ctx := s.context(m, l.root)
	outputs := map[string]cty.Value{}
	for _, o := range m.outputs {
		outputs[o.Labels[0]] = cty.DynamicVal
		if a, ok := o.Attrs["value"]; ok {
			v, _ := a.Expr.Value(ctx)
			outputs[o.Labels[0]] = safe(v)
		}
	}
	return cty.ObjectVal(outputs), out
}

// call evaluates a module block: its source folder (local, or from
// .terraform/modules), its inputs, and the module.
func (l *loader) call(m *module, c *node, ctx *hcl.EvalContext, prefix, key string, via []Call, depth int, stack []string, collect bool) (cty.Value, []*Resource) {
	name := c.Labels[0]
	line := c.DefRange.Start.Line
	file := c.DefRange.Filename
	childKey := name
	if key != "" {
		childKey = key + "." + name
	}
	src := staticString(c, "source")
	var dir string
	downloaded := false
	switch {
	case isLocalSource(src):
		d, ok := joinDir(m.dir, src)
		if !ok {
			l.warn(file, line, "module %q: source %q is outside the scanned folder; not evaluated", name, src)
			return cty.DynamicVal, nil
		}
		dir = d
		if cd, ok := l.cached[childKey]; ok && strings.HasPrefix(m.dir, l.root+"/.terraform/") {
			dir = cd
		}
	case src == "":
		l.warn(file, line, "module %q: no static source; not evaluated", name)
		return cty.DynamicVal, nil
	default:
		d, ok := l.cached[childKey]
		if !ok {
			l.warn(file, line, "module %q: source %q is not available offline (no entry in .terraform/modules; run terraform init); its resources are not checked", name, src)
			return cty.DynamicVal, nil
		}
		dir, downloaded = d, true
	}
	if depth+1 > l.opts.MaxDepth {
		l.warn(file, line, "module %q: nested deeper than %d modules; not evaluated", name, l.opts.MaxDepth)
		return cty.DynamicVal, nil
	}
	for _, s := range stack {
		if s == dir {
			l.warn(file, line, "module %q: source %q calls itself (module cycle %s → %s); not evaluated", name, src, strings.Join(stack, " → "), dir)
			return cty.DynamicVal, nil
		}
	}
	child := l.parse(dir)
	if len(child.files) == 0 {
		l.warn(file, line, "module %q: no .tf files in %s", name, dir)
		return cty.DynamicVal, nil
	}
	inputs := map[string]input{}
	for n, a := range c.Attrs {
		switch n {
		case "source", "version", "count", "for_each", "providers", "depends_on":
			continue
		}
		v, _ := a.Expr.Value(ctx)
		inputs[n] = input{value: safe(v), rng: a.Range}
	}
	addr := prefix + "module." + name
	childVia := append([]Call{{Address: addr, Range: Range{File: file, Start: c.Start, End: c.End}}}, via...)
	outputs, rs := l.eval(child, inputs, addr+".", childKey, childVia, depth+1, append(stack[:len(stack):len(stack)], dir), collect)
	if downloaded || strings.Contains(dir, ".terraform/modules") {
		for _, r := range rs {
			r.Downloaded = true
		}
	}
	return outputs, rs
}

// localOrder sorts the locals of m so that each comes after the locals
// it refers to; locals in a reference cycle are warned about once and
// left out (they stay unknown).
func (l *loader) localOrder(m *module) []*hcl.Attribute {
	byName := map[string]*hcl.Attribute{}
	for _, a := range m.locals {
		byName[a.Name] = a
	}
	const (
		visiting = 1
		done     = 2
	)
	mark := map[string]int{}
	bad := map[string]bool{}
	var order []*hcl.Attribute
	var visit func(n string, path []string) bool
	visit = func(n string, path []string) bool {
		switch mark[n] {
		case done:
			return !bad[n]
		case visiting:
			a := byName[n]
			cycle := append(path[indexOf(path, n):], n)
			l.warn(a.Range.Filename, a.Range.Start.Line, "local.%s: reference cycle (%s); left unknown", n, "local."+strings.Join(cycle, " → local."))
			for _, c := range cycle {
				bad[c] = true
			}
			return false
		}
		mark[n] = visiting
		ok := true
		for _, t := range byName[n].Expr.Variables() {
			if t.RootName() != "local" || len(t) < 2 {
				continue
			}
			if at, isAttr := t[1].(hcl.TraverseAttr); isAttr {
				if _, exists := byName[at.Name]; exists && !visit(at.Name, append(path, n)) {
					ok = false
				}
			}
		}
		mark[n] = done
		if !ok || bad[n] {
			bad[n] = true
			return false
		}
		order = append(order, byName[n])
		return true
	}
	for _, a := range m.locals {
		visit(a.Name, nil)
	}
	return order
}

func indexOf(s []string, x string) int {
	for i, v := range s {
		if v == x {
			return i
		}
	}
	return 0
}

type instances struct {
	value     cty.Value
	resources []*Resource
}

// expand evaluates a resource block's instances (count, for_each).
func (l *loader) expand(b *node, ctx *hcl.EvalContext, prefix string, via []Call, collect bool) instances {
	typ, name := b.Labels[0], b.Labels[1]
	local := typ + "." + name
	if b.Type == "data" {
		local = "data." + local
	}
	file, line := b.DefRange.Filename, b.DefRange.Start.Line
	one := func(key string, vars map[string]cty.Value) (cty.Value, *Resource) {
		c := ctx
		if vars != nil {
			c = ctx.NewChild()
			c.Variables = vars
		}
		blk := l.body(b, c, true)
		var r *Resource
		if collect {
			r = &Resource{Mode: b.Type, Type: typ, Name: name, Local: local, Address: prefix + local + key, Module: prefix, Via: via, Block: blk}
		}
		return blk.value(), r
	}
	var out instances
	if a, ok := b.Attrs["count"]; ok {
		v, _ := a.Expr.Value(ctx)
		n := 1
		if v = safe(v); v.IsKnown() && !v.IsNull() && v.Type() == cty.Number {
			bf := v.AsBigFloat()
			if i, acc := bf.Int64(); acc == 0 || bf.IsInt() {
				n = int(max(i, 0))
			}
		}
		if n > l.opts.MaxInstances {
			l.warn(file, line, "%s: count %d exceeds the cap of %d; only the first %d evaluated", local, n, l.opts.MaxInstances, l.opts.MaxInstances)
			n = l.opts.MaxInstances
		}
		vals := make([]cty.Value, 0, n)
		for i := 0; i < n; i++ {
			v, r := one("["+strconv.Itoa(i)+"]", map[string]cty.Value{"count": cty.ObjectVal(map[string]cty.Value{"index": cty.NumberIntVal(int64(i))})})
			vals = append(vals, v)
			if r != nil {
				out.resources = append(out.resources, r)
			}
		}
		out.value = cty.TupleVal(vals)
		return out
	}
	if a, ok := b.Attrs["for_each"]; ok {
		v, _ := a.Expr.Value(ctx)
		keys, elems, known := iterate(safe(v))
		if !known {
			keys, elems = []string{""}, []cty.Value{cty.DynamicVal}
		}
		if len(keys) > l.opts.MaxInstances {
			l.warn(file, line, "%s: for_each of %d elements exceeds the cap of %d; only the first %d evaluated", local, len(keys), l.opts.MaxInstances, l.opts.MaxInstances)
			keys, elems = keys[:l.opts.MaxInstances], elems[:l.opts.MaxInstances]
		}
		vals := map[string]cty.Value{}
		for i, k := range keys {
			kv := cty.StringVal(k)
			if !known {
				kv = cty.UnknownVal(cty.String)
			}
			v, r := one("["+strconv.Quote(k)+"]", map[string]cty.Value{"each": cty.ObjectVal(map[string]cty.Value{"key": kv, "value": elems[i]})})
			vals[k] = v
			if r != nil {
				out.resources = append(out.resources, r)
			}
		}
		out.value = cty.ObjectVal(vals)
		return out
	}
	v, r := one("", nil)
	out.value = v
	if r != nil {
		out.resources = []*Resource{r}
	}
	return out
}

// iterate lists the keys and elements of a for_each value (a map,
// object, set or list of strings); known is false when it cannot.
func iterate(v cty.Value) (keys []string, elems []cty.Value, known bool) {
	if !v.IsWhollyKnown() || v.IsNull() {
		return nil, nil, false
	}
	t := v.Type()
	switch {
	case t.IsMapType() || t.IsObjectType():
		m := v.AsValueMap()
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			elems = append(elems, m[k])
		}
		return keys, elems, true
	case t.IsSetType() || t.IsListType() || t.IsTupleType():
		for _, e := range v.AsValueSlice() {
			if e.Type() != cty.String || e.IsNull() {
				return nil, nil, false
			}
			keys = append(keys, e.AsString())
			elems = append(elems, e)
		}
		return keys, elems, true
	}
	return nil, nil, false
}

// metaArgs are a resource's meta-arguments, not attributes.
var metaArgs = map[string]bool{"count": true, "for_each": true, "depends_on": true, "provider": true}

// body evaluates a block: attributes, nested blocks and dynamic blocks.
func (l *loader) body(n *node, ctx *hcl.EvalContext, resource bool) *Block {
	blk := &Block{Type: n.Type, Labels: n.Labels, Range: Range{File: n.DefRange.Filename, Start: n.Start, End: n.End}, Attrs: map[string]*Attribute{}}
	for name, a := range n.Attrs {
		if resource && metaArgs[name] {
			continue
		}
		v, _ := a.Expr.Value(ctx)
		blk.Attrs[name] = &Attribute{Name: name, Value: safe(v), Range: rangeOf(a.Range), Refs: refs(a.Expr)}
	}
	for _, nb := range n.Blocks {
		if resource && (nb.Type == "lifecycle" || nb.Type == "provisioner" || nb.Type == "connection") {
			continue
		}
		if nb.Type != "dynamic" {
			child := l.body(nb, ctx, false)
			child.Range.Start = nb.NestedStart
			blk.Blocks = append(blk.Blocks, child)
			continue
		}
		blk.Blocks = append(blk.Blocks, l.dynamic(nb, ctx)...)
	}
	return blk
}

// dynamic expands a dynamic block into the blocks it generates (capped).
func (l *loader) dynamic(nb *node, ctx *hcl.EvalContext) []*Block {
	if len(nb.Labels) != 1 {
		return nil
	}
	typ := nb.Labels[0]
	iter := typ
	if a, ok := nb.Attrs["iterator"]; ok {
		if kw := hcl.ExprAsKeyword(a.Expr); kw != "" {
			iter = kw
		}
	}
	var content *node
	for _, c := range nb.Blocks {
		if c.Type == "content" {
			content = c
		}
	}
	fe, ok := nb.Attrs["for_each"]
	if content == nil || !ok {
		return nil
	}
	v, _ := fe.Expr.Value(ctx)
	v = safe(v)
	var keys []cty.Value
	var elems []cty.Value
	switch {
	case !v.IsWhollyKnown() || v.IsNull():
		// Unknown: one block of unknown values, as Terraform plans it.
		keys, elems = []cty.Value{cty.DynamicVal}, []cty.Value{cty.DynamicVal}
	case v.Type().IsMapType() || v.Type().IsObjectType():
		m := v.AsValueMap()
		names := make([]string, 0, len(m))
		for k := range m {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			keys, elems = append(keys, cty.StringVal(k)), append(elems, m[k])
		}
	case v.CanIterateElements():
		i := 0
		for it := v.ElementIterator(); it.Next(); i++ {
			_, e := it.Element()
			keys, elems = append(keys, cty.NumberIntVal(int64(i))), append(elems, e)
		}
	}
	if len(keys) > l.opts.MaxInstances {
		r := nb.DefRange
		l.warn(r.Filename, r.Start.Line, "dynamic %q: %d elements exceed the cap of %d; only the first %d evaluated", typ, len(keys), l.opts.MaxInstances, l.opts.MaxInstances)
		keys, elems = keys[:l.opts.MaxInstances], elems[:l.opts.MaxInstances]
	}
	var out []*Block
	for i := range keys {
		c := ctx.NewChild()
		c.Variables = map[string]cty.Value{iter: cty.ObjectVal(map[string]cty.Value{"key": keys[i], "value": elems[i]})}
		child := l.body(content, c, false)
		child.Type, child.Labels = typ, nil
		child.Range = Range{File: nb.DefRange.Filename, Start: nb.NestedStart, End: nb.End}
		out = append(out, child)
	}
	return out
}

// refs are the objects an expression refers to.
func refs(e hcl.Expression) []string {
	var out []string
	for _, t := range e.Variables() {
		root := t.RootName()
		parts := []string{root}
		want := 2
		if root == "data" {
			want = 3
		}
		for _, step := range t[1:] {
			if len(parts) == want {
				break
			}
			at, ok := step.(hcl.TraverseAttr)
			if !ok {
				break
			}
			parts = append(parts, at.Name)
		}
		if len(parts) == want {
			out = append(out, strings.Join(parts, "."))
		}
	}
	return out
}

// value is a block as an object: its attributes, its nested blocks as
// tuples by type, and "id"/"arn" unknown unless set.
func (b *Block) value() cty.Value {
	m := map[string]cty.Value{"id": cty.UnknownVal(cty.String), "arn": cty.UnknownVal(cty.String)}
	for n, a := range b.Attrs {
		m[n] = a.Value
	}
	byType := map[string][]cty.Value{}
	for _, c := range b.Blocks {
		byType[c.Type] = append(byType[c.Type], c.value())
	}
	for t, vs := range byType {
		if _, clash := b.Attrs[t]; !clash {
			m[t] = cty.TupleVal(vs)
		}
	}
	return cty.ObjectVal(m)
}
