package arm

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParseParameters: a deployment parameter file's values reach Parse
// (names case-insensitive, "ENV" setting "env"), a Key Vault reference is
// Unknown, and content that is not a parameter file is an error.
func TestParseParameters(t *testing.T) {
	ps, err := ParseParameters([]byte(`{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "ENV": {"value": "Dev"},
    "days": {"value": 30},
    "secret": {"reference": {"keyVault": {"id": "/subscriptions/x/kv"}, "secretName": "s"}}
  }
}`))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]any{"ENV": "Dev", "days": float64(30), "secret": Unknown{}}, ps); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
	tm, err := Parse([]byte(tmpl), ps)
	if err != nil {
		t.Fatal(err)
	}
	if tm.Resources[0].Name != "stDev" {
		t.Errorf("name = %q, want stDev from the parameter file", tm.Resources[0].Name)
	}

	for _, tt := range []struct{ in, want string }{
		{`[{"ParameterKey": "env", "ParameterValue": "x"}]`, `no "parameters" object`},
		{`{"resources": []}`, `no "parameters" object`},
		{`{"parameters": {"env": "Dev"}}`, `parameter "env" is not an object`},
		{`{"parameters": {"env": {"metadata": {}}}}`, `parameter "env" has neither "value" nor "reference"`},
		{`not json`, `no "parameters" object`},
	} {
		if _, err := ParseParameters([]byte(tt.in)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.in, err, tt.want)
		}
	}
}
