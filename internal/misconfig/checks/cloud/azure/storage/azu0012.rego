# METADATA
# title: "The default action on Storage account network rules should be set to deny"
# description: "Network rules whose default action is Allow, or no network rules at all, let any network reach the storage account; only the listed networks should."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/azu-0012
# custom:
#   id: AZU-0012
#   avd_id: AVD-AZU-0012
#   provider: azure
#   service: storage
#   severity: CRITICAL
#   recommended_actions: "Set the network rules' default action to Deny and list the networks that need access."
#   input:
#     selector:
#       - type: cloud
package builtin.azure.storage.AZU0012

import data.lib.azure

deny contains res if {
	some account in input.azure.storage.accounts
	some rule in account.networkrules
	rule.allowbydefault.value == true
	res := result.new("Network rules allow access by default.", rule.allowbydefault)
}

deny contains res if {
	some account in input.azure.storage.accounts
	azure.managed(account)
	count(account.networkrules) == 0
	res := result.new("Storage account has no network rules, so it allows access from any network.", account)
}
