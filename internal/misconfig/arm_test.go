package misconfig

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/pkg/inventory"
)

func findingLines(r *Result) []string {
	var got []string
	for _, m := range r.Misconfigurations {
		cm := m.CauseMetadata
		got = append(got, fmt.Sprintf("%s %s %d-%d %s %s %s", m.ID, cm.Resource, cm.StartLine, cm.EndLine, cm.Provider, cm.Service, m.Type))
	}
	return got
}

// TestARM: findings of the cloud checks on an ARM template point at the
// property's lines (or the resource's when it is not set), name the
// resource, the Azure provider and service; a value from a parameter
// without default is unknown and fails nothing (AZU-0011), one with a
// default is resolved (AZU-0008).
func TestARM(t *testing.T) {
	const tmpl = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "parameters": {
    "https": {"type": "bool", "defaultValue": false},
    "tls": {"type": "string"}
  },
  "resources": [
    {
      "type": "Microsoft.Storage/storageAccounts",
      "name": "st",
      "properties": {
        "supportsHttpsTrafficOnly": "[parameters('https')]",
        "minimumTlsVersion": "[parameters('tls')]",
        "networkAcls": {"defaultAction": "Deny"}
      }
    },
    {
      "type": "Microsoft.Storage/storageAccounts/blobServices/containers",
      "name": "st/default/data",
      "properties": {"publicAccess": "Blob"}
    },
    {
      "type": "Microsoft.KeyVault/vaults",
      "name": "kv",
      "properties": {
        "enablePurgeProtection": true,
        "networkAcls": {"defaultAction": "Deny"}
      }
    }
  ]
}`
	e := newEngine(t, Options{})
	r, err := e.Scan(context.Background(), inventory.ConfigFile{Type: TypeAzureARM, FilePath: "azuredeploy.json", Content: []byte(tmpl)})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"AZU-0007 Microsoft.Storage/storageAccounts/blobServices/containers/st/default/data 20-20 Azure storage Azure ARM Security Check",
		"AZU-0008 Microsoft.Storage/storageAccounts/st 12-12 Azure storage Azure ARM Security Check",
	}
	if diff := cmp.Diff(want, findingLines(r)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

// TestARMErrors: a file that is not an ARM template (malformed JSON, no
// deploymentTemplate $schema) is an error naming it, never a panic.
func TestARMErrors(t *testing.T) {
	e := newEngine(t, Options{})
	for _, in := range []string{
		`{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": [`,
		`{"resources": []}`,
	} {
		_, err := e.Scan(context.Background(), inventory.ConfigFile{Type: TypeAzureARM, FilePath: "bad.json", Content: []byte(in)})
		if err == nil || !strings.HasPrefix(err.Error(), "bad.json: ") {
			t.Errorf("%q: error %v, want one naming bad.json", in, err)
		}
	}
}

// TestTerraformAzure: findings on azurerm resources point at the
// attribute's lines (the resource's when unset); a secret of a key vault
// declared elsewhere is still checked.
func TestTerraformAzure(t *testing.T) {
	const tf = `resource "azurerm_storage_account" "st" {
  name                       = "st"
  https_traffic_only_enabled = false

  network_rules {
    default_action = "Deny"
  }
}

resource "azurerm_key_vault_secret" "s" {
  name            = "s"
  value           = "x"
  key_vault_id    = "/subscriptions/x/vaults/elsewhere"
  content_type    = "password"
}
`
	e := newEngine(t, Options{})
	frs, _, err := e.ScanTerraform(context.Background(), []inventory.ConfigFile{{Type: TypeTerraform, FilePath: "main.tf", Content: []byte(tf)}}, TerraformOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(frs) != 1 {
		t.Fatalf("got %d file results", len(frs))
	}
	want := []string{
		"AZU-0008 azurerm_storage_account.st 3-3 Azure storage Terraform Security Check",
		"AZU-0017 azurerm_key_vault_secret.s 10-15 Azure keyvault Terraform Security Check",
	}
	if diff := cmp.Diff(want, findingLines(frs[0].Result)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}
