package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"testing"
)

// TestContribTemplates renders every shipped template over the test report,
// compares with its golden file and checks the output parses.
func TestContribTemplates(t *testing.T) {
	env := map[string]string{"AWS_REGION": "eu-west-1", "AWS_ACCOUNT_ID": "123456789012"}
	tests := []struct {
		name  string
		parse func([]byte) error
	}{
		{"junit", wellFormedXML},
		{"html", wellFormedXML},
		{"gitlab", validJSON},
		{"gitlab-codequality", validJSON},
		{"asff", validJSON},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := testOptions()
			opts.Template = "@contrib/" + tc.name + ".tpl"
			opts.Getenv = func(k string) string { return env[k] }
			out := render(t, "template", testReport(), opts)
			golden(t, "contrib-"+tc.name+".golden", out)
			if err := tc.parse(out); err != nil {
				t.Errorf("%s output does not parse: %v\n%s", tc.name, err, out)
			}
			// An empty report renders too.
			empty := render(t, "template", reports()["empty"], opts)
			if err := tc.parse(empty); err != nil {
				t.Errorf("%s output of an empty report does not parse: %v\n%s", tc.name, err, empty)
			}
		})
	}
}

func validJSON(b []byte) error {
	var v any
	return json.Unmarshal(b, &v)
}

func wellFormedXML(b []byte) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	d.AutoClose = nil
	d.Entity = map[string]string{}
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// TestTrivyTemplateFields: templates written for Trivy may range over
// result fields trawl does not have.
func TestTrivyTemplateFields(t *testing.T) {
	opts := Options{Template: `{{ range . }}{{ .Target }} {{ len .Misconfigurations }} {{ range .Licenses }}x{{ end }}{{ end }}`}
	var buf bytes.Buffer
	if err := WriteTemplate(&buf, reports()["empty"], opts); err != nil {
		t.Fatal(err)
	}
	r := testReport()
	r.Results = r.Results[:1]
	buf.Reset()
	if err := WriteTemplate(&buf, r, opts); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), r.Results[0].Target+" 0 "; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
