# METADATA
# title: "Storage accounts should be configured to only accept transfers that are over secure connections"
# description: "A storage account that does not require secure transfer accepts requests over plain HTTP, which can be read or altered in transit."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/azu-0008
# custom:
#   id: AZU-0008
#   avd_id: AVD-AZU-0008
#   provider: azure
#   service: storage
#   severity: HIGH
#   recommended_actions: "Require secure transfer (https_traffic_only_enabled = true, supportsHttpsTrafficOnly: true)."
#   input:
#     selector:
#       - type: cloud
package builtin.azure.storage.AZU0008

import data.lib.azure

deny contains res if {
	some account in input.azure.storage.accounts
	azure.managed(account)
	account.enforcehttps.value == false
	res := result.new("Account does not enforce HTTPS.", account.enforcehttps)
}
