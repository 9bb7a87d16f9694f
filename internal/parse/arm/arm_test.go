package arm

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

const tmpl = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "env": {"type": "string", "defaultValue": "Prod"},
    "noDefault": {"type": "string"},
    "days": {"type": "int", "defaultValue": 7},
    "loc": {"type": "string", "defaultValue": "[resourceGroup().location]"},
    "name": {"type": "string", "defaultValue": "[concat('st', parameters('env'))]"}
  },
  "variables": {
    "prefix": "[toLower(parameters('env'))]",
    "obj": {"tls": "TLS1_2", "list": ["a", "b"]},
    "loop1": "[variables('loop2')]",
    "loop2": "[variables('loop1')]"
  },
  "resources": [
    {
      "type": "Microsoft.Storage/storageAccounts",
      "name": "[parameters('name')]",
      "properties": {
        "lit": "plain",
        "escaped": "[[not an expression]",
        "param": "[parameters('env')]",
        "paramCase": "[PARAMETERS('ENV')]",
        "noDefault": "[parameters('noDefault')]",
        "location": "[parameters('loc')]",
        "var": "[variables('prefix')]",
        "varProp": "[variables('obj').tls]",
        "varIndex": "[variables('obj').list[1]]",
        "varKey": "[variables('obj')['tls']]",
        "loop": "[variables('loop1')]",
        "concat": "[concat(variables('prefix'), '-', 1)]",
        "concatList": "[concat(variables('obj').list, createArray('c'))]",
        "format": "[format('{0}-{1}-{{x}}', 'a', parameters('env'))]",
        "upper": "[toUpper('abc')]",
        "quote": "[concat('it''s', ' ok')]",
        "ifTrue": "[if(equals(parameters('env'), 'Prod'), 'yes', 'no')]",
        "ifUnknown": "[if(equals(parameters('noDefault'), 'x'), 'yes', 'no')]",
        "not": "[not(equals(1, 2))]",
        "andFalse": "[and(equals(parameters('noDefault'), 'x'), false())]",
        "orTrue": "[or(equals(parameters('noDefault'), 'x'), true())]",
        "orUnknown": "[or(equals(parameters('noDefault'), 'x'), false())]",
        "bool": "[bool('true')]",
        "number": 7,
        "numberEquals": "[equals(parameters('days'), 7)]",
        "rid": "[resourceId('Microsoft.Network/virtualNetworks', 'v')]",
        "rg": "[resourceGroup().location]",
        "unknownFn": "[someFunction('x')]",
        "concatUnknown": "[concat('a', uniqueString(resourceGroup().id))]",
        "bad": "[concat('a']",
        "notExpr": "[concat('a'",
        "nested": {"minimumTlsVersion": "[variables('obj').tls]"}
      },
      "resources": [
        {"type": "blobServices/containers", "name": "default/data", "properties": {"publicAccess": "Blob"}}
      ]
    },
    {
      "condition": "[equals(parameters('env'), 'Dev')]",
      "type": "Microsoft.Storage/storageAccounts",
      "name": "skipped"
    },
    {
      "condition": "[equals(parameters('noDefault'), 'Dev')]",
      "type": "Microsoft.KeyVault/vaults",
      "name": "kept"
    }
  ]
}`

func TestParse(t *testing.T) {
	tm, err := Parse([]byte(tmpl), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(tm.Resources) != 3 {
		t.Fatalf("got %d resources, want 3 (the one whose condition is false dropped)", len(tm.Resources))
	}
	r := tm.Resources[0]
	if r.Type != "Microsoft.Storage/storageAccounts" || r.Name != "stProd" || r.StartLine != 18 || r.EndLine != 56 {
		t.Errorf("resource = %s %q lines %d-%d", r.Type, r.Name, r.StartLine, r.EndLine)
	}
	p := r.Properties()
	want := map[string]any{
		"lit": "plain", "escaped": "[not an expression]", "param": "Prod", "paramCase": "Prod",
		"noDefault": Unknown{}, "location": Unknown{}, "var": "prod", "varProp": "TLS1_2", "varIndex": "b",
		"varKey": "TLS1_2", "loop": Unknown{}, "concat": "prod-1", "concatList": []any{"a", "b", "c"},
		"format": "a-Prod-{x}", "upper": "ABC", "quote": "it's ok", "ifTrue": "yes", "ifUnknown": Unknown{},
		"not": true, "andFalse": false, "orTrue": true, "orUnknown": Unknown{}, "bool": true,
		"number": 7.0, "numberEquals": true,
		"rid": Unknown{}, "rg": Unknown{}, "unknownFn": Unknown{}, "concatUnknown": Unknown{}, "bad": Unknown{}, "notExpr": "[concat('a'",
	}
	for k, w := range want {
		if diff := cmp.Diff(w, p[k]); diff != "" {
			t.Errorf("%s (-want +got):\n%s", k, diff)
		}
	}
	if n, _ := p["nested"].(map[string]any); n["minimumTlsVersion"] != "TLS1_2" {
		t.Errorf("nested = %v", p["nested"])
	}
	if md, _ := p[MetadataKey].(map[string]any); md == nil || md["keylines"].(map[string]any)["param"] == nil {
		t.Errorf("properties lost their line information: %v", p[MetadataKey])
	}
	c := tm.Resources[1]
	if c.Type != "Microsoft.Storage/storageAccounts/blobServices/containers" || c.Name != "stProd/default/data" || c.StartLine != 56 {
		t.Errorf("nested resource = %s %q line %d", c.Type, c.Name, c.StartLine)
	}
	if tm.Resources[2].Name != "kept" {
		t.Errorf("a resource whose condition is unknown must be kept, got %q", tm.Resources[2].Name)
	}
}

func TestParseParams(t *testing.T) {
	tm, err := Parse([]byte(tmpl), map[string]any{"env": "Dev"})
	if err != nil {
		t.Fatal(err)
	}
	if tm.Resources[0].Name != "stDev" {
		t.Errorf("name = %q, want the given parameter value", tm.Resources[0].Name)
	}
	var names []string
	for _, r := range tm.Resources {
		names = append(names, r.Name)
	}
	if !cmp.Equal(names, []string{"stDev", "stDev/default/data", "skipped", "kept"}) {
		t.Errorf("resources = %v", names)
	}
}

func TestParseErrors(t *testing.T) {
	for name, in := range map[string]string{
		"malformed":    `{"$schema": "https://x/deploymentTemplate.json#", "resources": [`,
		"no schema":    `{"resources": []}`,
		"other schema": `{"$schema": "https://json.schemastore.org/package.json", "resources": []}`,
		"empty":        ``,
	} {
		if _, err := Parse([]byte(in), nil); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestIsTemplate(t *testing.T) {
	for in, want := range map[string]bool{
		`{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"}`:             true,
		`{"$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#"}`: true,
		`{"$schema": "https://json.schemastore.org/tsconfig"}`:                                                       false,
		`$schema: deploymentTemplate.json`:                                                                           false,
	} {
		if got := IsTemplate([]byte(in)); got != want {
			t.Errorf("IsTemplate(%s) = %v, want %v", in, got, want)
		}
	}
}

func TestExpression(t *testing.T) {
	r := newResolver(map[string]any{}, nil)
	for _, tc := range []struct {
		in   string
		want any
	}{
		{"'a'", "a"},
		{"''''", "'"},
		{"concat('a', 'b', 'c')", "abc"},
		{"concat(1, true())", "1true"},
		{"concat(1, true)", nil},
		{"format('{0:N}', 'x')", "x"},
		{"format('{1}', 'x')", Unknown{}},
		{"toLower('AbC')", "abc"},
		{"if(true(), 'a', concat('b'", nil}, // syntax error
		{"if(true(), 'a', unknownFn())", "a"},
		{"if(equals('a', 'a'), 1, 2)", 1.0},
		{"equals(createArray('a'), createArray('a'))", true},
		{"not('x')", Unknown{}},
		{"and(true(), true())", true},
		{"or(false(), false())", false},
		{"int('42')", 42.0},
		{"string(3)", "3"},
		{"empty('')", true},
		{"resourceGroup().location", Unknown{}},
		{"resourceId('a', 'b')", Unknown{}},
		{"createArray('a', 'b')[1]", "b"},
		{"createArray('a')[5]", Unknown{}},
		{"parameters('missing')", Unknown{}},
		{"x", nil},
		{"concat('a') trailing", nil},
	} {
		e, err := parseExpr(tc.in)
		if tc.want == nil {
			if err == nil {
				t.Errorf("%s: no syntax error", tc.in)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if diff := cmp.Diff(tc.want, r.eval(e, 0)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.in, diff)
		}
	}
}

// FuzzExpression: any expression text parses or fails, and evaluates,
// without a panic or a hang.
func FuzzExpression(f *testing.F) {
	for _, s := range []string{
		"concat('a', parameters('p'))", "if(equals(variables('v'), 'x'), 'a', 'b')", "format('{0}', 1)",
		"resourceGroup().location", "createArray('a')[0]", "'it''s'", "toLower(toUpper('x'))", "or(and(true(), false()), not(true()))",
	} {
		f.Add(s)
	}
	r := newResolver(map[string]any{
		"variables":  map[string]any{"v": "[concat(variables('v'), 'x')]", "w": "x"},
		"parameters": map[string]any{"p": map[string]any{"defaultValue": "[parameters('p')]"}},
	}, nil)
	f.Fuzz(func(t *testing.T, s string) {
		if e, err := parseExpr(s); err == nil {
			_ = r.eval(e, 0)
		}
		_ = r.str("[" + s + "]")
	})
}
