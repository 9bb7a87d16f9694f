# METADATA
# title: "Trusted Microsoft Services should have bypass access to Storage accounts"
# description: "Network rules that do not let the trusted Microsoft services bypass them break services such as Azure Backup and Monitor that reach the account from networks the rules cannot list."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/azu-0010
# custom:
#   id: AZU-0010
#   avd_id: AVD-AZU-0010
#   provider: azure
#   service: storage
#   severity: HIGH
#   recommended_actions: "Add AzureServices to the network rules' bypass."
#   input:
#     selector:
#       - type: cloud
package builtin.azure.storage.AZU0010

import data.lib.azure

deny contains res if {
	some account in input.azure.storage.accounts
	some rule in account.networkrules
	not bypasses(rule)
	not unknown_bypass(rule)
	res := result.new("Network rules do not allow bypass for Microsoft Services.", rule)
}

bypasses(rule) if {
	some b in rule.bypass
	lower(b.value) == "azureservices"
}

unknown_bypass(rule) if {
	some b in rule.bypass
	b.value == null
}
