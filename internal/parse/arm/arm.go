// Package arm reads Azure Resource Manager (ARM) deployment templates
// (JSON with a "$schema" naming deploymentTemplate.json) with their line
// numbers, and resolves the template expressions ("[...]" strings) whose
// values are known offline: parameters() (defaultValue, or a value given
// to Parse), variables(), concat(), format(), toLower(), toUpper(), if(),
// equals(), not(), and(), or(), bool(), int(), string(), true(), false(),
// empty(), createArray() and string literals. Anything else
// (resourceGroup(), resourceId(), reference(), uniqueString(), an unknown
// function, a value depending on an unknown one) is Unknown, never an
// error.
package arm

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/trawlsec/trawl/internal/parse/yamlmeta"
)

// MetadataKey is the key of the line information of every mapping
// ({"startline", "endline", "keylines": {key: [start, end]}}).
const MetadataKey = yamlmeta.MetadataKey

// Unknown is a value not known offline.
type Unknown struct{}

// Template is one parsed template.
type Template struct {
	// Resources in the order of their first line, nested resources
	// flattened after their parent.
	Resources []*Resource
}

// Resource is one resource whose condition is not known false.
type Resource struct {
	// Type is the full type ("Microsoft.Storage/storageAccounts"; a
	// nested resource's type is prefixed with its parent's).
	Type string
	// Name is the resolved full name ("account/default/container" for a
	// nested one), "" when not known.
	Name string
	// Object is the resolved resource mapping (properties, sku, kind,
	// identity, …): mappings keep MetadataKey, values are strings,
	// float64, bool, nil, []any, map[string]any or Unknown.
	Object map[string]any
	// StartLine and EndLine are the resource's lines.
	StartLine, EndLine int
}

// Properties is the resource's properties mapping (nil when absent or
// unknown).
func (r *Resource) Properties() map[string]any {
	m, _ := r.Object["properties"].(map[string]any)
	return m
}

// IsTemplate reports whether content looks like an ARM template: a JSON
// object naming deploymentTemplate.json (its "$schema"). It is a cheap
// byte check; Parse decides.
func IsTemplate(content []byte) bool {
	t := bytes.TrimLeft(bytes.TrimPrefix(content, []byte("\xef\xbb\xbf")), " \t\r\n")
	return len(t) > 0 && t[0] == '{' && bytes.Contains(content, []byte(`"$schema"`)) &&
		(bytes.Contains(content, []byte("eploymentTemplate.json")) || bytes.Contains(content, []byte("eploymenttemplate.json")))
}

// Parse decodes a template; params (by case-insensitive name, e.g. from
// ParseParameters) override the parameters' default values. Content that is not JSON (or YAML), over the yamlmeta caps, or
// whose first document has no "$schema" naming deploymentTemplate.json
// is an error.
func Parse(content []byte, params map[string]any) (*Template, error) {
	docs, err := yamlmeta.DecodeWith(content, yamlmeta.Options{KeyLines: true})
	if err != nil {
		return nil, err
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("empty template")
	}
	root, _ := docs[0].Value.(map[string]any)
	schema, _ := root["$schema"].(string)
	if !strings.Contains(strings.ToLower(schema), "deploymenttemplate.json") {
		return nil, fmt.Errorf("not an ARM template: no $schema naming deploymentTemplate.json")
	}
	r := newResolver(root, params)
	t := &Template{}
	var add func(v any, parentType, parentName string, depth int)
	add = func(v any, parentType, parentName string, depth int) {
		if depth > maxDepth {
			return
		}
		var list []any
		switch x := v.(type) {
		case []any:
			list = x
		case map[string]any: // languageVersion 2.0: symbolic names
			for k, y := range x {
				if k != MetadataKey {
					list = append(list, y)
				}
			}
		}
		for _, x := range list {
			m, ok := x.(map[string]any)
			if !ok {
				continue
			}
			typ, _ := r.resolve(m["type"], 0).(string)
			if typ == "" {
				continue
			}
			if c, ok := m["condition"]; ok && r.resolve(c, 0) == false {
				continue
			}
			name, _ := r.resolve(m["name"], 0).(string)
			if parentType != "" && !strings.HasPrefix(typ, parentType+"/") && !strings.Contains(typ, ".") {
				typ = parentType + "/" + typ
				if parentName != "" && name != "" {
					name = parentName + "/" + name
				} else {
					name = ""
				}
			}
			start, end := yamlmeta.Lines(m)
			obj, _ := r.resolve(without(m, "resources"), 0).(map[string]any)
			t.Resources = append(t.Resources, &Resource{Type: typ, Name: name, Object: obj, StartLine: start, EndLine: end})
			if sub, ok := m["resources"]; ok {
				add(sub, typ, name, depth+1)
			}
		}
	}
	add(root["resources"], "", "", 0)
	sort.SliceStable(t.Resources, func(i, j int) bool { return t.Resources[i].StartLine < t.Resources[j].StartLine })
	return t, nil
}

// without is m without key (m itself when it has none).
func without(m map[string]any, key string) map[string]any {
	if _, ok := m[key]; !ok {
		return m
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		if k != key {
			out[k] = v
		}
	}
	return out
}

// maxDepth caps the resolution's nesting (yamlmeta caps the document's).
const maxDepth = 512

// Caps on the values expressions build: larger ones are Unknown.
const (
	maxString = 1 << 20
	maxList   = 1 << 16
)

type resolver struct {
	params, vars map[string]any
	varVals      map[string]any
	busy         map[string]bool
	// nesting counts the variables being resolved (a long chain of
	// variables naming each other is Unknown past maxVarNesting).
	nesting int
}

const maxVarNesting = 64

func newResolver(root map[string]any, params map[string]any) *resolver {
	r := &resolver{params: map[string]any{}, vars: map[string]any{}, varVals: map[string]any{}, busy: map[string]bool{}}
	if vs, ok := root["variables"].(map[string]any); ok {
		for k, v := range vs {
			if k != MetadataKey {
				r.vars[strings.ToLower(k)] = v
			}
		}
	}
	given := make(map[string]any, len(params)) // names are case-insensitive
	for k, v := range params {
		given[strings.ToLower(k)] = v
	}
	ps, _ := root["parameters"].(map[string]any)
	for name, p := range ps {
		if name == MetadataKey {
			continue
		}
		key := strings.ToLower(name)
		if v, ok := given[key]; ok {
			r.params[key] = v
			continue
		}
		pm, _ := p.(map[string]any)
		if d, ok := pm["defaultValue"]; ok {
			// A default may itself be an expression; it is resolved
			// when used (parameters of parameters are not allowed, so
			// there is no cycle through them).
			r.params[key] = r.resolveLater(d)
		} else {
			r.params[key] = Unknown{}
		}
	}
	return r
}

// lazy is a parameter default not yet resolved.
type lazy struct{ v any }

func (r *resolver) resolveLater(v any) any { return lazy{v} }

func (r *resolver) param(name string) any {
	key := strings.ToLower(name)
	v, ok := r.params[key]
	if !ok {
		return Unknown{}
	}
	if l, ok := v.(lazy); ok {
		r.params[key] = Unknown{} // while resolving: a cycle is unknown
		v = r.resolve(l.v, 0)
		r.params[key] = v
	}
	return v
}

func (r *resolver) variable(name string) any {
	key := strings.ToLower(name)
	if v, ok := r.varVals[key]; ok {
		return v
	}
	raw, ok := r.vars[key]
	if !ok || r.busy[key] || r.nesting >= maxVarNesting {
		return Unknown{}
	}
	r.busy[key] = true
	r.nesting++
	v := r.resolve(raw, 0)
	r.nesting--
	delete(r.busy, key)
	r.varVals[key] = v
	return v
}

// resolve evaluates the expressions in v.
func (r *resolver) resolve(v any, depth int) any {
	if depth > maxDepth {
		return Unknown{}
	}
	switch x := v.(type) {
	case string:
		return r.str(x)
	case int: // yamlmeta keeps small integers as int
		return float64(x)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, y := range x {
			if k == MetadataKey {
				out[k] = y
				continue
			}
			out[k] = r.resolve(y, depth+1)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, y := range x {
			out[i] = r.resolve(y, depth+1)
		}
		return out
	}
	return v
}

// str is a string value: an expression when it is "[...]" ("[[" escapes
// a literal "[").
func (r *resolver) str(s string) any {
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		return s
	}
	if s[1] == '[' {
		return s[1:]
	}
	e, err := parseExpr(s[1 : len(s)-1])
	if err != nil {
		return Unknown{}
	}
	return r.eval(e, 0)
}
