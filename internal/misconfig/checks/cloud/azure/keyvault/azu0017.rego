# METADATA
# title: "Key Vault Secret should have an expiration date set"
# description: "A key vault secret without an expiration date stays valid forever; an expiry forces rotation."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/azu-0017
# custom:
#   id: AZU-0017
#   avd_id: AVD-AZU-0017
#   provider: azure
#   service: keyvault
#   severity: LOW
#   recommended_actions: "Set an expiration date on the secret (expiration_date, attributes.exp)."
#   input:
#     selector:
#       - type: cloud
package builtin.azure.keyvault.AZU0017

import data.lib.azure

deny contains res if {
	some vault in input.azure.keyvault.vaults
	some secret in vault.secrets
	secret.expirydate.value == ""
	res := result.new("Secret should have an expiry date specified.", secret.expirydate)
}
