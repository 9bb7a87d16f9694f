package terraform

import (
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
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
		in, ok := inputs[name]
		if !ok {
			in = input{value: cty.DynamicVal, rng: v.DefRange}
			if d, ok := v.Attrs["default"]; ok {
				val, _ := d.Expr.Value(nil)
				in = input{value: safe(val), rng: d.Range}
			}
		}
		s.vars[name] = l.checkVariable(v, in)
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
	kind, insts := l.expansion(c.Attrs, ctx, file, line, "module."+name)
	vals := make([]cty.Value, len(insts))
	var out []*Resource
	for i, in := range insts {
		ictx := ctx
		if in.vars != nil {
			ictx = ctx.NewChild()
			ictx.Variables = in.vars
		}
		inputs := map[string]input{}
		for n, a := range c.Attrs {
			switch n {
			case "source", "version", "count", "for_each", "providers", "depends_on":
				continue
			}
			v, _ := a.Expr.Value(ictx)
			inputs[n] = input{value: safe(v), rng: a.Range}
		}
		addr := prefix + "module." + name + in.key
		childVia := append([]Call{{Address: addr, Range: Range{File: file, Start: c.Start, End: c.End}}}, via...)
		outputs, rs := l.eval(child, inputs, addr+".", childKey, childVia, depth+1, append(stack[:len(stack):len(stack)], dir), collect)
		vals[i] = outputs
		out = append(out, rs...)
	}
	if downloaded || strings.Contains(dir, ".terraform/modules") {
		for _, r := range out {
			r.Downloaded = true
		}
	}
	return collectValue(kind, insts, vals), out
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

// instance is one instance of a count or for_each: its address key
// ("", "[0]", "[\"a\"]") and the count/each variables of its scope.
type instance struct {
	key  string
	name string // the key as a string ("0", "a"), for the value
	vars map[string]cty.Value
}

// expansion is the instances of a block with count or for_each (capped
// at MaxInstances, with a warning naming what); kind is 'c' for count,
// 'e' for for_each, 0 for a single instance.
func (l *loader) expansion(attrs map[string]*hcl.Attribute, ctx *hcl.EvalContext, file string, line int, what string) (byte, []instance) {
	if a, ok := attrs["count"]; ok {
		v, _ := a.Expr.Value(ctx)
		n := 1
		if v = safe(v); v.IsKnown() && !v.IsNull() && v.Type() == cty.Number {
			bf := v.AsBigFloat()
			if i, acc := bf.Int64(); acc == 0 || bf.IsInt() {
				n = int(max(i, 0))
			}
		}
		if n > l.opts.MaxInstances {
			l.warn(file, line, "%s: count %d exceeds the cap of %d; only the first %d evaluated", what, n, l.opts.MaxInstances, l.opts.MaxInstances)
			n = l.opts.MaxInstances
		}
		out := make([]instance, n)
		for i := range out {
			out[i] = instance{key: "[" + strconv.Itoa(i) + "]", name: strconv.Itoa(i),
				vars: map[string]cty.Value{"count": cty.ObjectVal(map[string]cty.Value{"index": cty.NumberIntVal(int64(i))})}}
		}
		return 'c', out
	}
	if a, ok := attrs["for_each"]; ok {
		v, _ := a.Expr.Value(ctx)
		keys, elems, known := iterate(safe(v))
		if !known {
			keys, elems = []string{""}, []cty.Value{cty.DynamicVal}
		}
		if len(keys) > l.opts.MaxInstances {
			l.warn(file, line, "%s: for_each of %d elements exceeds the cap of %d; only the first %d evaluated", what, len(keys), l.opts.MaxInstances, l.opts.MaxInstances)
			keys, elems = keys[:l.opts.MaxInstances], elems[:l.opts.MaxInstances]
		}
		out := make([]instance, len(keys))
		for i, k := range keys {
			kv := cty.StringVal(k)
			if !known {
				kv = cty.UnknownVal(cty.String)
			}
			out[i] = instance{key: "[" + strconv.Quote(k) + "]", name: k,
				vars: map[string]cty.Value{"each": cty.ObjectVal(map[string]cty.Value{"key": kv, "value": elems[i]})}}
		}
		return 'e', out
	}
	return 0, []instance{{}}
}

// collectValue is the value of a block's instances: a tuple for count,
// an object by key for for_each, the one value otherwise.
func collectValue(kind byte, insts []instance, vals []cty.Value) cty.Value {
	switch kind {
	case 'c':
		return cty.TupleVal(vals)
	case 'e':
		m := make(map[string]cty.Value, len(vals))
		for i, v := range vals {
			m[insts[i].name] = v
		}
		return cty.ObjectVal(m)
	}
	return vals[0]
}

// expand evaluates a resource block's instances (count, for_each).
func (l *loader) expand(b *node, ctx *hcl.EvalContext, prefix string, via []Call, collect bool) instances {
	typ, name := b.Labels[0], b.Labels[1]
	local := typ + "." + name
	if b.Type == "data" {
		local = "data." + local
	}
	kind, insts := l.expansion(b.Attrs, ctx, b.DefRange.Filename, b.DefRange.Start.Line, local)
	var out instances
	vals := make([]cty.Value, len(insts))
	for i, in := range insts {
		c := ctx
		if in.vars != nil {
			c = ctx.NewChild()
			c.Variables = in.vars
		}
		blk := l.body(b, c, true)
		vals[i] = blk.value()
		if collect {
			out.resources = append(out.resources, &Resource{Mode: b.Type, Type: typ, Name: name, Local: local, Address: prefix + local + in.key, Module: prefix, Via: via, Block: blk})
		}
	}
	out.value = collectValue(kind, insts, vals)
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

// checkVariable is a variable's value converted to its declared type
// (with the type's optional attribute defaults) and checked against its
// validation blocks. A value that does not fit the type, or that a
// validation's condition rejects, is a warning at the line the value was
// written and the variable is unknown: Terraform would refuse it.
func (l *loader) checkVariable(v *node, in input) cty.Value {
	name := v.Labels[0]
	val := in.value
	if ta, ok := v.Attrs["type"]; ok {
		ty, defaults, ok := l.typeOf(ta, name)
		if ok && ty != cty.DynamicPseudoType && !val.IsNull() {
			if defaults != nil && val.IsWhollyKnown() {
				val = defaults.Apply(val)
			}
			c, err := convert.Convert(val, ty)
			if err != nil {
				l.warn(in.rng.Filename, in.rng.Start.Line, "var.%s: the value does not fit its type %s (%s); left unknown", name, typeexpr.TypeString(ty), err)
				return cty.UnknownVal(ty)
			}
			val = c
		}
	}
	if !val.IsWhollyKnown() {
		return val
	}
	for _, b := range v.Blocks {
		cond, ok := b.Attrs["condition"]
		if b.Type != "validation" || !ok {
			continue
		}
		ctx := &hcl.EvalContext{Variables: map[string]cty.Value{"var": cty.ObjectVal(map[string]cty.Value{name: val})}, Functions: functions()}
		res, diags := cond.Expr.Value(ctx)
		if diags.HasErrors() || !res.IsKnown() || res.IsNull() || res.Type() != cty.Bool || res.True() {
			continue
		}
		msg := "validation failed"
		if em, ok := b.Attrs["error_message"]; ok {
			if m, d := em.Expr.Value(ctx); !d.HasErrors() && m.IsKnown() && !m.IsNull() && m.Type() == cty.String {
				msg = m.AsString()
			}
		}
		l.warn(in.rng.Filename, in.rng.Start.Line, "var.%s: the value fails its validation (%s); left unknown", name, msg)
		return cty.UnknownVal(val.Type())
	}
	return val
}

// typeOf reads a variable's type constraint: an expression in .tf, a
// string holding one in .tf.json. One it cannot read is a warning; ok is
// false then.
func (l *loader) typeOf(a *hcl.Attribute, name string) (cty.Type, *typeexpr.Defaults, bool) {
	expr := a.Expr
	if isJSONName(a.Range.Filename) {
		v, diags := expr.Value(nil)
		if diags.HasErrors() || !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
			l.warn(a.Range.Filename, a.Range.Start.Line, "var.%s: type is not a string", name)
			return cty.NilType, nil, false
		}
		e, diags := hclsyntax.ParseExpression([]byte(v.AsString()), a.Range.Filename, a.Range.Start)
		if diags.HasErrors() {
			l.warn(a.Range.Filename, a.Range.Start.Line, "var.%s: type %q does not parse", name, v.AsString())
			return cty.NilType, nil, false
		}
		expr = e
	}
	ty, defaults, diags := typeexpr.TypeConstraintWithDefaults(expr)
	if diags.HasErrors() {
		l.warn(a.Range.Filename, a.Range.Start.Line, "var.%s: type: %s", name, diagText(firstError(diags)))
		return cty.NilType, nil, false
	}
	return ty, defaults, true
}
