# METADATA
# title: "Key vault should have the network acl block specified"
# description: "A key vault without network ACLs whose default action is Deny can be reached from any network; only the listed networks (and, if wanted, trusted Azure services) should."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/azu-0013
# custom:
#   id: AZU-0013
#   avd_id: AVD-AZU-0013
#   provider: azure
#   service: keyvault
#   severity: CRITICAL
#   recommended_actions: "Add network ACLs with default action Deny to the key vault."
#   input:
#     selector:
#       - type: cloud
package builtin.azure.keyvault.AZU0013

import data.lib.azure

deny contains res if {
	some vault in input.azure.keyvault.vaults
	azure.managed(vault)
	action := vault.networkacls.defaultaction.value
	is_string(action)
	action != "Deny"
	res := result.new("Vault network ACL does not block access by default.", vault.networkacls.defaultaction)
}
