package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestARMParams: --arm-params values override the parameters' defaults of
// the ARM templates (the storage account fails AZU-0008 only with the
// parameter file that sets supportsHttpsTrafficOnly false, later files
// winning), a parameter file in the scanned folder is not applied, and a
// file that is not a parameter file is a one-line error naming it.
func TestARMParams(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "azuredeploy.json"), `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "parameters": {"https": {"type": "bool", "defaultValue": true}},
  "resources": [{
    "type": "Microsoft.Storage/storageAccounts",
    "name": "st",
    "properties": {
      "supportsHttpsTrafficOnly": "[parameters('https')]",
      "minimumTlsVersion": "TLS1_2",
      "networkAcls": {"defaultAction": "Deny"}
    }
  }]
}
`)
	const params = `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "contentVersion": "1.0.0.0", "parameters": {"https": {"value": %s}}}`
	// In the scanned folder: never applied by itself.
	writeFile(t, filepath.Join(dir, "azuredeploy.parameters.json"), strings.Replace(params, "%s", "false", 1))
	other := t.TempDir()
	off := filepath.Join(other, "off.parameters.json")
	writeFile(t, off, strings.Replace(params, "%s", "false", 1))
	on := filepath.Join(other, "on.parameters.json")
	writeFile(t, on, strings.Replace(params, "%s", "true", 1))
	vault := filepath.Join(other, "vault.parameters.json")
	writeFile(t, vault, `{"parameters": {"https": {"reference": {"keyVault": {"id": "/subscriptions/x/kv"}, "secretName": "https"}}}}`)
	cache := t.TempDir()
	for _, tt := range []struct {
		name string
		args []string
		want map[string]string
	}{
		{"defaults", nil, map[string]string{"azuredeploy.json": "azure-arm "}},
		{"false", []string{"--arm-params", off}, map[string]string{"azuredeploy.json": "azure-arm AZU-0008"}},
		{"true", []string{"--arm-params", on}, map[string]string{"azuredeploy.json": "azure-arm "}},
		{"later wins", []string{"--arm-params", on, "--arm-params", off}, map[string]string{"azuredeploy.json": "azure-arm AZU-0008"}},
		{"key vault reference unknown", []string{"--arm-params", off, "--arm-params", vault}, map[string]string{"azuredeploy.json": "azure-arm "}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := configTargets(t, append(append([]string{"--cache-dir", cache}, tt.args...), dir)...)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("targets (-want +got):\n%s", diff)
			}
		})
	}

	for _, tt := range []struct{ file, content, want string }{
		{"template.json", `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": []}`, "no \"parameters\" object"},
		{"list.json", `[{"ParameterKey": "https", "ParameterValue": "false"}]`, "no \"parameters\" object"},
		{"novalue.json", `{"parameters": {"https": {"metadata": {}}}}`, `parameter "https" has neither "value" nor "reference"`},
		{"missing.json", "", "no such file"},
	} {
		p := filepath.Join(other, tt.file)
		if tt.content != "" {
			writeFile(t, p, tt.content)
		}
		_, errOut, code := run(t, "config", "--quiet", "--cache-dir", cache, "--arm-params", p, dir)
		if code == 0 || !strings.Contains(errOut, "--arm-params "+p+": ") || !strings.Contains(errOut, tt.want) || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
			t.Errorf("%s: exit %d, stderr %q, want one line naming it with %q", tt.file, code, errOut, tt.want)
		}
	}
}
