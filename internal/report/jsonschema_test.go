package report

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// schemaValidator validates documents against the official schemas
// vendored in testdata/schema with a maintained JSON Schema implementation
// (github.com/santhosh-tekuri/jsonschema/v6), format assertions on: a
// "date-time" that is not one, a malformed URI or IRI, is a violation.
// References between the vendored files (bom-1.6 → spdx, jsf) resolve
// locally; nothing is fetched.
type schemaValidator struct {
	dir      string
	compiled map[string]*jsonschema.Schema
}

func newSchemaValidator(dir string) *schemaValidator {
	return &schemaValidator{dir: dir, compiled: map[string]*jsonschema.Schema{}}
}

// localLoader serves any schema URL from the vendored file of the same base
// name.
type localLoader struct{ dir string }

func (l localLoader) Load(url string) (any, error) {
	name := url[strings.LastIndexAny(url, "/\\")+1:]
	f, err := os.Open(filepath.Join(l.dir, name))
	if err != nil {
		return nil, fmt.Errorf("schema %s is not vendored: %w", url, err)
	}
	defer f.Close()
	return jsonschema.UnmarshalJSON(f)
}

func (v *schemaValidator) schema(file string) (*jsonschema.Schema, error) {
	if s, ok := v.compiled[file]; ok {
		return s, nil
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	c.UseLoader(localLoader{dir: v.dir})
	s, err := c.Compile(filepath.Join(v.dir, file))
	if err != nil {
		return nil, fmt.Errorf("compiling %s: %w", file, err)
	}
	v.compiled[file] = s
	return s, nil
}

// Validate checks instance (JSON bytes) against schema file and returns
// every violation found.
func (v *schemaValidator) Validate(file string, instance []byte) ([]string, error) {
	s, err := v.schema(file)
	if err != nil {
		return nil, err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(instance))
	if err != nil {
		return nil, fmt.Errorf("instance: %w", err)
	}
	err = s.Validate(inst)
	if err == nil {
		return nil, nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return nil, err
	}
	var out []string
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			out = append(out, "/"+strings.Join(e.InstanceLocation, "/")+": "+e.Error())
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	return out, nil
}

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
		// format assertions: what the in-house validator let through
		{"cyclonedx", "bom-1.6.schema.json", `"timestamp": "2026-01-02T03:04:05Z"`, `"timestamp": "yesterday"`},
		{"sarif", "sarif-2.1.0-rtm.5.json", `"informationUri": "https://`, `"informationUri": "not a uri ://`},
		{"sarif", "sarif-2.1.0-rtm.5.json", `"uri": "`, `"uri": "%zz`},
		{"sarif", "sarif-2.1.0-rtm.5.json", `"helpUri": "https://`, `"helpUri": "::::`},
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
