# METADATA
# title: "Key vault should have purge protection enabled"
# description: "Without purge protection, a deleted vault or its objects can be purged at once, before the soft-delete retention period ends, so a mistake or an attacker can destroy keys for good."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/azu-0016
# custom:
#   id: AZU-0016
#   avd_id: AVD-AZU-0016
#   provider: azure
#   service: keyvault
#   severity: MEDIUM
#   recommended_actions: "Enable purge protection, with a soft-delete retention between 7 and 90 days."
#   input:
#     selector:
#       - type: cloud
package builtin.azure.keyvault.AZU0016

import data.lib.azure

deny contains res if {
	some vault in input.azure.keyvault.vaults
	azure.managed(vault)
	vault.enablepurgeprotection.value == false
	res := result.new("Vault does not have purge protection enabled.", vault.enablepurgeprotection)
}

deny contains res if {
	some vault in input.azure.keyvault.vaults
	azure.managed(vault)
	vault.enablepurgeprotection.value == true
	days := vault.softdeleteretentiondays.value
	is_number(days)
	not valid_days(days)
	res := result.new(sprintf("Soft-delete retention of %v days is outside 7 to 90 days.", [days]), vault.softdeleteretentiondays)
}

valid_days(days) if {
	days >= 7
	days <= 90
}
