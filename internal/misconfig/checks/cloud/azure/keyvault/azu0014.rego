# METADATA
# title: "Ensure that the expiration date is set on all keys"
# description: "A key vault key without an expiration date stays usable forever; an expiry forces rotation."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/azu-0014
# custom:
#   id: AZU-0014
#   avd_id: AVD-AZU-0014
#   provider: azure
#   service: keyvault
#   severity: MEDIUM
#   recommended_actions: "Set an expiration date on the key (expiration_date, attributes.exp)."
#   input:
#     selector:
#       - type: cloud
package builtin.azure.keyvault.AZU0014

import data.lib.azure

deny contains res if {
	some vault in input.azure.keyvault.vaults
	some key in vault.keys
	key.expirydate.value == ""
	res := result.new("Key should have an expiry date specified.", key.expirydate)
}
