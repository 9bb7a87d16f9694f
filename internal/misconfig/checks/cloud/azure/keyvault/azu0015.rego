# METADATA
# title: "Key vault Secret should have a content type set"
# description: "A content type tells the clients of a secret how to interpret its value (a password, a certificate, a connection string)."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/azu-0015
# custom:
#   id: AZU-0015
#   avd_id: AVD-AZU-0015
#   provider: azure
#   service: keyvault
#   severity: LOW
#   recommended_actions: "Set the secret's content type (content_type, contentType)."
#   input:
#     selector:
#       - type: cloud
package builtin.azure.keyvault.AZU0015

import data.lib.azure

deny contains res if {
	some vault in input.azure.keyvault.vaults
	some secret in vault.secrets
	secret.contenttype.value == ""
	res := result.new("Secret does not have a content-type specified.", secret.contenttype)
}
