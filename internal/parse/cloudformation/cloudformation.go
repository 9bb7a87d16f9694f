// Package cloudformation reads AWS CloudFormation templates (YAML or
// JSON) with their line numbers and resolves the intrinsic functions whose
// values are known offline: Ref (parameters with their defaults or
// --cf-params values, a few pseudo parameters), Fn::Sub, Fn::If with the
// template's Conditions (Fn::Equals, Fn::Not, Fn::And, Fn::Or), Fn::Join,
// Fn::Select, Fn::Split and Fn::FindInMap, in their long ("Fn::Join") and
// short ("!Join") forms. Anything else (Fn::GetAtt, Fn::ImportValue, a Ref
// to a resource, a value depending on an unknown one) is Unknown, never
// an error.
package cloudformation

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/trawlsec/trawl/internal/parse/yamlmeta"
)

// MetadataKey is the key of the line information of every mapping
// ({"startline", "endline", "keylines": {key: [start, end]}}).
const MetadataKey = yamlmeta.MetadataKey

// Unknown is a value not known offline. Ref is the logical ID of the
// resource a Ref (or Fn::GetAtt) names, "" otherwise.
type Unknown struct{ Ref string }

// Template is one parsed template.
type Template struct {
	// Resources in the order of their first line.
	Resources []*Resource
	// Globals is the resolved Globals mapping of a SAM template
	// (Transform: AWS::Serverless-2016-10-31), nil when absent: the
	// properties every AWS::Serverless::Function (Globals.Function),
	// Api, HttpApi and SimpleTable has unless it sets them itself.
	Globals map[string]any
}

// Resource is one entry of Resources whose Condition is not known false.
type Resource struct {
	// ID is the logical ID; Type the resource type (AWS::S3::Bucket).
	ID, Type string
	// Properties is the resolved Properties mapping (nil when absent):
	// mappings keep MetadataKey, values are strings, float64, bool, nil,
	// []any, map[string]any or Unknown.
	Properties map[string]any
	// StartLine and EndLine are the resource's lines.
	StartLine, EndLine int
}

// IsTemplate reports whether content looks like a CloudFormation
// template: an AWSTemplateFormatVersion key, or a Resources key and an
// "AWS::" type. It is a cheap byte check; Parse decides.
func IsTemplate(content []byte) bool {
	if bytes.Contains(content, []byte("AWSTemplateFormatVersion")) {
		return true
	}
	return bytes.Contains(content, []byte("Resources")) && bytes.Contains(content, []byte("AWS::")) &&
		bytes.Contains(content, []byte("Type"))
}

// Parse decodes a template; params override the parameters' defaults.
// Content that is not YAML/JSON, over the yamlmeta caps, or whose first
// document is not a template (no Resources mapping of typed entries) is
// an error.
func Parse(content []byte, params map[string]any) (*Template, error) {
	docs, err := yamlmeta.DecodeWith(content, yamlmeta.Options{Tag: shortForm, KeyLines: true})
	if err != nil {
		return nil, err
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("empty template")
	}
	root, _ := docs[0].Value.(map[string]any)
	res, _ := root["Resources"].(map[string]any)
	if res == nil {
		return nil, fmt.Errorf("not a CloudFormation template: no Resources mapping")
	}
	r := &resolver{
		params: map[string]any{}, mappings: mapOf(root["Mappings"]),
		conds: mapOf(root["Conditions"]), condVals: map[string]any{}, busy: map[string]bool{},
	}
	for name, p := range mapOf(root["Parameters"]) {
		if name == MetadataKey {
			continue
		}
		if v, ok := params[name]; ok {
			r.params[name] = v
		} else if d, ok := mapOf(p)["Default"]; ok {
			r.params[name] = d
		} else {
			r.params[name] = Unknown{}
		}
	}
	t := &Template{}
	if g, ok := r.resolve(root["Globals"], 0).(map[string]any); ok {
		t.Globals = g
	}
	for id, v := range res {
		m, ok := v.(map[string]any)
		if id == MetadataKey || !ok {
			continue
		}
		typ, _ := m["Type"].(string)
		if typ == "" {
			continue
		}
		if c, ok := m["Condition"].(string); ok && r.condition(c) == false {
			continue
		}
		start, end := yamlmeta.Lines(m)
		out := &Resource{ID: id, Type: typ, StartLine: start, EndLine: end}
		if p, ok := r.resolve(m["Properties"], 0).(map[string]any); ok {
			out.Properties = p
		}
		t.Resources = append(t.Resources, out)
	}
	if len(t.Resources) == 0 {
		return nil, fmt.Errorf("not a CloudFormation template: no typed resource")
	}
	sort.Slice(t.Resources, func(i, j int) bool {
		if t.Resources[i].StartLine != t.Resources[j].StartLine {
			return t.Resources[i].StartLine < t.Resources[j].StartLine
		}
		return t.Resources[i].ID < t.Resources[j].ID
	})
	return t, nil
}

// shortForm turns "!Ref x" into {"Ref": x} and "!Join [...]" into
// {"Fn::Join": [...]}, with the node's lines.
func shortForm(tag string, v any, start, end int) any {
	name := strings.TrimPrefix(tag, "!")
	key := "Fn::" + name
	switch name {
	case "Ref", "Condition":
		key = name
	case "GetAtt":
		if s, ok := v.(string); ok {
			a, b, _ := strings.Cut(s, ".")
			v = []any{a, b}
		}
	}
	return map[string]any{key: v, MetadataKey: map[string]any{"startline": start, "endline": end}}
}

func mapOf(v any) map[string]any { m, _ := v.(map[string]any); return m }

// noValue is AWS::NoValue: the property is removed.
type noValue struct{}

// pseudo are the pseudo parameters known offline; the others
// (AWS::AccountId, AWS::Region, AWS::StackName, …) are Unknown.
var pseudo = map[string]any{"AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com", "AWS::NoValue": noValue{}}

// maxDepth caps the resolution's nesting (yamlmeta caps the document's).
const maxDepth = 512

type resolver struct {
	params, mappings, conds map[string]any
	condVals                map[string]any
	busy                    map[string]bool
}

// function is the intrinsic function a mapping is, if any: exactly one
// key besides the metadata, "Ref", "Condition" or "Fn::*".
func function(m map[string]any) (string, any, bool) {
	if len(m) > 2 || (len(m) == 2 && m[MetadataKey] == nil) {
		return "", nil, false
	}
	for k, v := range m {
		if k != MetadataKey && (k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::")) {
			return k, v, true
		}
	}
	return "", nil, false
}

func (r *resolver) resolve(v any, depth int) any {
	if depth > maxDepth {
		return Unknown{}
	}
	switch v := v.(type) {
	case map[string]any:
		if fn, arg, ok := function(v); ok && fn != "Condition" {
			return r.call(fn, arg, depth+1)
		}
		out := make(map[string]any, len(v))
		for k, x := range v {
			if k == MetadataKey {
				out[k] = x
				continue
			}
			if rv := r.resolve(x, depth+1); rv != (noValue{}) {
				out[k] = rv
			}
		}
		return out
	case []any:
		out := make([]any, 0, len(v))
		for _, x := range v {
			if rv := r.resolve(x, depth+1); rv != (noValue{}) {
				out = append(out, rv)
			}
		}
		return out
	}
	return v
}

func isUnknown(v any) bool { _, ok := v.(Unknown); return ok }

func (r *resolver) call(fn string, arg any, depth int) any {
	switch fn {
	case "Ref":
		name, ok := r.resolve(arg, depth).(string)
		if !ok {
			return Unknown{}
		}
		if p, ok := r.params[name]; ok {
			return p
		}
		if p, ok := pseudo[name]; ok {
			return p
		}
		if strings.HasPrefix(name, "AWS::") {
			return Unknown{}
		}
		return Unknown{Ref: name}
	case "Fn::GetAtt":
		if l, ok := r.resolve(arg, depth).([]any); ok && len(l) > 0 {
			if s, ok := l[0].(string); ok {
				return Unknown{Ref: s}
			}
		}
		return Unknown{}
	case "Fn::Sub":
		return r.sub(arg, depth)
	case "Fn::If":
		l, ok := arg.([]any)
		if !ok || len(l) != 3 {
			return Unknown{}
		}
		name, _ := l[0].(string)
		switch r.condition(name) {
		case true:
			return r.resolve(l[1], depth)
		case false:
			return r.resolve(l[2], depth)
		}
		return Unknown{}
	case "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or":
		return r.cond(map[string]any{fn: arg}, depth)
	case "Fn::Join":
		l, ok := r.resolve(arg, depth).([]any)
		if !ok || len(l) != 2 {
			return Unknown{}
		}
		sep, ok := l[0].(string)
		parts, ok2 := l[1].([]any)
		if !ok || !ok2 {
			return Unknown{}
		}
		var ss []string
		for _, p := range parts {
			s, ok := scalarString(p)
			if !ok {
				return Unknown{}
			}
			ss = append(ss, s)
		}
		return strings.Join(ss, sep)
	case "Fn::Select":
		l, ok := r.resolve(arg, depth).([]any)
		if !ok || len(l) != 2 {
			return Unknown{}
		}
		is, _ := scalarString(l[0])
		i, err := strconv.Atoi(is)
		list, ok := l[1].([]any)
		if err != nil || !ok || i < 0 || i >= len(list) {
			return Unknown{}
		}
		return list[i]
	case "Fn::Split":
		l, ok := r.resolve(arg, depth).([]any)
		if !ok || len(l) != 2 {
			return Unknown{}
		}
		sep, ok := l[0].(string)
		s, ok2 := l[1].(string)
		if !ok || !ok2 || sep == "" {
			return Unknown{}
		}
		var out []any
		for _, p := range strings.Split(s, sep) {
			out = append(out, p)
		}
		return out
	case "Fn::FindInMap":
		l, ok := r.resolve(arg, depth).([]any)
		if !ok || len(l) < 3 {
			return Unknown{}
		}
		var v any = r.mappings
		for _, k := range l[:3] {
			ks, ok := k.(string)
			m, ok2 := v.(map[string]any)
			if !ok || !ok2 || ks == MetadataKey {
				return Unknown{}
			}
			if v, ok = m[ks]; !ok {
				return Unknown{}
			}
		}
		return r.resolve(v, depth)
	}
	return Unknown{}
}

// scalarString is a known scalar as text.
func scalarString(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case int:
		return strconv.Itoa(v), true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(v), true
	}
	return "", false
}

// sub is Fn::Sub: "${Name}" is a variable of the second argument, a
// parameter or a pseudo parameter; "${Res.Attr}" and unknown names make
// the result Unknown; "${!Text}" is "${Text}".
func (r *resolver) sub(arg any, depth int) any {
	var tmpl any = arg
	vars := map[string]any{}
	if l, ok := arg.([]any); ok {
		if len(l) != 2 {
			return Unknown{}
		}
		tmpl = l[0]
		for k, v := range mapOf(l[1]) {
			if k != MetadataKey {
				vars[k] = r.resolve(v, depth)
			}
		}
	}
	s, ok := r.resolve(tmpl, depth).(string)
	if !ok {
		return Unknown{}
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s[i:])
			return b.String()
		}
		name := s[i+2 : i+j]
		s = s[i+j+1:]
		if lit, ok := strings.CutPrefix(name, "!"); ok {
			b.WriteString("${" + lit + "}")
			continue
		}
		v, ok := vars[name]
		if !ok {
			v = r.call("Ref", name, depth)
		}
		str, ok := scalarString(v)
		if !ok {
			return Unknown{}
		}
		b.WriteString(str)
	}
}

// condition is the value of a named condition: true, false or Unknown.
func (r *resolver) condition(name string) any {
	if v, ok := r.condVals[name]; ok {
		return v
	}
	expr, ok := r.conds[name]
	if !ok || r.busy[name] {
		return Unknown{}
	}
	r.busy[name] = true
	v := r.cond(expr, 0)
	r.busy[name] = false
	r.condVals[name] = v
	return v
}

// cond evaluates a condition expression to true, false or Unknown.
func (r *resolver) cond(e any, depth int) any {
	m, ok := e.(map[string]any)
	if !ok || depth > maxDepth {
		if b, ok := e.(bool); ok {
			return b
		}
		return Unknown{}
	}
	fn, arg, ok := function(m)
	if !ok {
		return Unknown{}
	}
	l, _ := arg.([]any)
	switch fn {
	case "Condition":
		name, _ := arg.(string)
		return r.condition(name)
	case "Fn::Equals":
		if len(l) != 2 {
			return Unknown{}
		}
		a, ok1 := scalarString(r.resolve(l[0], depth+1))
		b, ok2 := scalarString(r.resolve(l[1], depth+1))
		if !ok1 || !ok2 {
			return Unknown{}
		}
		return a == b
	case "Fn::Not":
		if len(l) != 1 {
			return Unknown{}
		}
		if b, ok := r.cond(l[0], depth+1).(bool); ok {
			return !b
		}
		return Unknown{}
	case "Fn::And", "Fn::Or":
		// A deciding operand decides even next to unknown ones.
		decide := fn == "Fn::Or"
		unknown := false
		for _, x := range l {
			b, ok := r.cond(x, depth+1).(bool)
			if !ok {
				unknown = true
				continue
			}
			if b == decide {
				return decide
			}
		}
		if unknown || len(l) == 0 {
			return Unknown{}
		}
		return !decide
	}
	return Unknown{}
}
