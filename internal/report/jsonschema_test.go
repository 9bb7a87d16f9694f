package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"
)

// schemaValidator is a small JSON Schema (draft-04/07) validator for the
// official schemas vendored in testdata/schema. It implements the keywords
// those schemas use to constrain instances: type, enum, const, required,
// properties, patternProperties, additionalProperties, items, min/maxItems,
// uniqueItems, min/maxLength, pattern, minimum/maximum, allOf, anyOf, oneOf,
// not and $ref (local pointers and sibling files). format is not checked;
// patterns RE2 cannot compile are skipped and reported.
type schemaValidator struct {
	dir     string
	docs    map[string]any
	regexps map[string]*regexp.Regexp
	skipped map[string]bool
}

func newSchemaValidator(dir string) *schemaValidator {
	return &schemaValidator{dir: dir, docs: map[string]any{}, regexps: map[string]*regexp.Regexp{}, skipped: map[string]bool{}}
}

func (v *schemaValidator) doc(file string) (any, error) {
	if d, ok := v.docs[file]; ok {
		return d, nil
	}
	b, err := os.ReadFile(filepath.Join(v.dir, file))
	if err != nil {
		return nil, err
	}
	var d any
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	v.docs[file] = d
	return d, nil
}

// Validate checks instance (JSON bytes) against schema file and returns
// every violation found.
func (v *schemaValidator) Validate(file string, instance []byte) ([]string, error) {
	root, err := v.doc(file)
	if err != nil {
		return nil, err
	}
	var inst any
	dec := json.NewDecoder(bytes.NewReader(instance))
	dec.UseNumber()
	if err := dec.Decode(&inst); err != nil {
		return nil, fmt.Errorf("instance is not JSON: %w", err)
	}
	var errs []string
	v.validate(file, root, inst, "$", &errs)
	return errs, nil
}

func (v *schemaValidator) resolve(file, ref string) (string, any, error) {
	target, pointer, _ := strings.Cut(ref, "#")
	if target != "" {
		file = target
	}
	node, err := v.doc(file)
	if err != nil {
		return "", nil, err
	}
	for _, tok := range strings.Split(strings.Trim(pointer, "/"), "/") {
		if tok == "" {
			continue
		}
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		m, ok := node.(map[string]any)
		if !ok {
			return "", nil, fmt.Errorf("bad $ref %q", ref)
		}
		if node, ok = m[tok]; !ok {
			return "", nil, fmt.Errorf("unresolved $ref %q", ref)
		}
	}
	return file, node, nil
}

func (v *schemaValidator) match(file string, schema, inst any) bool {
	var errs []string
	v.validate(file, schema, inst, "", &errs)
	return len(errs) == 0
}

func jsonType(x any) string {
	switch n := x.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case json.Number:
		if _, err := n.Int64(); err == nil {
			return "integer"
		}
		if f, err := n.Float64(); err == nil && f == math.Trunc(f) {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "unknown"
}

func typeOK(want string, got string) bool {
	return want == got || (want == "number" && got == "integer")
}

// canonical renders x for enum/const/uniqueItems comparisons.
func canonical(x any) string {
	if n, ok := x.(json.Number); ok {
		f, _ := n.Float64()
		return fmt.Sprintf("n:%g", f)
	}
	b, _ := json.Marshal(x)
	return string(b)
}

func num(x any) (float64, bool) {
	switch n := x.(type) {
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case float64:
		return n, true
	}
	return 0, false
}

func (v *schemaValidator) validate(file string, schemaNode, inst any, path string, errs *[]string) {
	fail := func(format string, args ...any) {
		*errs = append(*errs, path+": "+fmt.Sprintf(format, args...))
	}
	s, ok := schemaNode.(map[string]any)
	if !ok {
		if b, isBool := schemaNode.(bool); isBool && !b {
			fail("not allowed")
		}
		return
	}
	if ref, ok := s["$ref"].(string); ok {
		f, target, err := v.resolve(file, ref)
		if err != nil {
			fail("%v", err)
			return
		}
		v.validate(f, target, inst, path, errs)
		return
	}
	got := jsonType(inst)
	switch t := s["type"].(type) {
	case string:
		if !typeOK(t, got) {
			fail("type %s, want %s", got, t)
			return
		}
	case []any:
		okType := false
		for _, x := range t {
			okType = okType || typeOK(fmt.Sprint(x), got)
		}
		if !okType {
			fail("type %s, want one of %v", got, t)
			return
		}
	}
	if enum, ok := s["enum"].([]any); ok {
		found := false
		for _, e := range enum {
			found = found || canonical(e) == canonical(inst)
		}
		if !found {
			fail("value %s not in enum", canonical(inst))
		}
	}
	if c, ok := s["const"]; ok && canonical(c) != canonical(inst) {
		fail("value %s, want const %s", canonical(inst), canonical(c))
	}
	for _, key := range []string{"allOf", "anyOf", "oneOf"} {
		subs, ok := s[key].([]any)
		if !ok {
			continue
		}
		n := 0
		for i, sub := range subs {
			if key == "allOf" {
				v.validate(file, sub, inst, fmt.Sprintf("%s(allOf %d)", path, i), errs)
				continue
			}
			if v.match(file, sub, inst) {
				n++
			}
		}
		switch {
		case key == "anyOf" && n == 0:
			fail("matches none of anyOf")
		case key == "oneOf" && n != 1:
			fail("matches %d of oneOf, want exactly 1", n)
		}
	}
	if not, ok := s["not"]; ok && v.match(file, not, inst) {
		fail("matches not")
	}
	switch x := inst.(type) {
	case map[string]any:
		v.validateObject(file, s, x, path, errs)
	case []any:
		if items, ok := s["items"]; ok {
			if list, isList := items.([]any); isList {
				for i := range min(len(list), len(x)) {
					v.validate(file, list[i], x[i], fmt.Sprintf("%s[%d]", path, i), errs)
				}
			} else {
				for i, el := range x {
					v.validate(file, items, el, fmt.Sprintf("%s[%d]", path, i), errs)
				}
			}
		}
		if n, ok := num(s["minItems"]); ok && float64(len(x)) < n {
			fail("%d items, want at least %v", len(x), n)
		}
		if n, ok := num(s["maxItems"]); ok && float64(len(x)) > n {
			fail("%d items, want at most %v", len(x), n)
		}
		if u, _ := s["uniqueItems"].(bool); u {
			seen := map[string]bool{}
			for _, el := range x {
				c := canonical(el)
				if seen[c] {
					fail("duplicate item %s", c)
				}
				seen[c] = true
			}
		}
	case string:
		if n, ok := num(s["minLength"]); ok && float64(utf8.RuneCountInString(x)) < n {
			fail("string shorter than %v", n)
		}
		if n, ok := num(s["maxLength"]); ok && float64(utf8.RuneCountInString(x)) > n {
			fail("string longer than %v", n)
		}
		if p, ok := s["pattern"].(string); ok {
			if re := v.regexp(p); re != nil && !re.MatchString(x) {
				fail("%q does not match %q", x, p)
			}
		}
	case json.Number:
		f, _ := x.Float64()
		if n, ok := num(s["minimum"]); ok && f < n {
			fail("%v below minimum %v", f, n)
		}
		if n, ok := num(s["maximum"]); ok && f > n {
			fail("%v above maximum %v", f, n)
		}
	}
}

func (v *schemaValidator) validateObject(file string, s, x map[string]any, path string, errs *[]string) {
	if req, ok := s["required"].([]any); ok {
		for _, r := range req {
			if _, present := x[fmt.Sprint(r)]; !present {
				*errs = append(*errs, fmt.Sprintf("%s: missing required %q", path, r))
			}
		}
	}
	props, _ := s["properties"].(map[string]any)
	patterns, _ := s["patternProperties"].(map[string]any)
	keys := make([]string, 0, len(x))
	for k := range x {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		matched := false
		if p, ok := props[k]; ok {
			v.validate(file, p, x[k], path+"."+k, errs)
			matched = true
		}
		for pat, p := range patterns {
			if re := v.regexp(pat); re != nil && re.MatchString(k) {
				v.validate(file, p, x[k], path+"."+k, errs)
				matched = true
			}
		}
		if matched {
			continue
		}
		switch ap := s["additionalProperties"].(type) {
		case bool:
			if !ap {
				*errs = append(*errs, fmt.Sprintf("%s: property %q not allowed", path, k))
			}
		case map[string]any:
			v.validate(file, ap, x[k], path+"."+k, errs)
		}
	}
}

func (v *schemaValidator) regexp(p string) *regexp.Regexp {
	if re, ok := v.regexps[p]; ok {
		return re
	}
	re, err := regexp.Compile(p)
	if err != nil {
		v.skipped[p] = true
		re = nil
	}
	v.regexps[p] = re
	return re
}

// TestSchemaValidatorRejects makes sure the validator is not vacuous.
func TestSchemaValidatorRejects(t *testing.T) {
	v := newSchemaValidator(filepath.Join("testdata", "schema"))
	bad := []struct{ file, doc string }{
		{"bom-1.6.schema.json", `{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"lib","name":"x"}]}`},
		{"bom-1.6.schema.json", `{"bomFormat":"CycloneDX","specVersion":"1.6","serialNumber":"urn:uuid:nope"}`},
		{"bom-1.6.schema.json", `{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":"x","licenses":[{"license":{"id":"NotALicense"}}]}]}`},
		{"bom-1.6.schema.json", `{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library"}]}`},
		{"sarif-2.1.0-rtm.5.json", `{"version":"2.1.0","runs":[{"tool":{"driver":{}}}]}`},
		{"sarif-2.1.0-rtm.5.json", `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m"},"level":"fatal"}]}]}`},
	}
	for i, tc := range bad {
		errs, err := v.Validate(tc.file, []byte(tc.doc))
		if err != nil {
			t.Fatal(err)
		}
		if len(errs) == 0 {
			t.Errorf("case %d: invalid document accepted by %s", i, tc.file)
		}
	}
	// Mutations of real output are caught deep inside the documents.
	mutations := []struct{ format, schema, from, to string }{
		{"cyclonedx", "bom-1.6.schema.json", `"type": "library"`, `"type": "librarx"`},
		{"cyclonedx", "bom-1.6.schema.json", `"status": "affected"`, `"status": "maybe"`},
		{"cyclonedx", "bom-1.6.schema.json", `"id": "MIT"`, `"id": "MIT-ish"`},
		{"cyclonedx", "bom-1.6.schema.json", `"alg": "SHA-1"`, `"alg": "SHA-0"`},
		{"sarif", "sarif-2.1.0-rtm.5.json", `"level": "warning"`, `"level": "fatal"`},
		{"sarif", "sarif-2.1.0-rtm.5.json", `"startLine": 3`, `"startLine": 0`},
	}
	for _, m := range mutations {
		out := string(render(t, m.format, testReport(), testOptions()))
		if !strings.Contains(out, m.from) {
			t.Fatalf("%s output lacks %s", m.format, m.from)
		}
		errs, err := v.Validate(m.schema, []byte(strings.Replace(out, m.from, m.to, 1)))
		if err != nil {
			t.Fatal(err)
		}
		if len(errs) == 0 {
			t.Errorf("%s with %s accepted", m.format, m.to)
		}
	}
	good := []struct{ file, doc string }{
		{"bom-1.6.schema.json", `{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[{"type":"library","name":"x","licenses":[{"license":{"id":"MIT"}}]}]}`},
		{"sarif-2.1.0-rtm.5.json", `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m"},"level":"error"}]}]}`},
	}
	for i, tc := range good {
		errs, err := v.Validate(tc.file, []byte(tc.doc))
		if err != nil {
			t.Fatal(err)
		}
		if len(errs) > 0 {
			t.Errorf("case %d: valid document rejected: %v", i, errs)
		}
	}
}
