# METADATA
# title: "Storage containers in blob storage mode should not have public access"
# description: "A blob container whose access level is blob or container lets anyone on the internet read its blobs without credentials."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/azu-0007
# custom:
#   id: AZU-0007
#   avd_id: AVD-AZU-0007
#   provider: azure
#   service: storage
#   severity: HIGH
#   recommended_actions: "Keep the container's access level private (container_access_type = \"private\", publicAccess: None)."
#   input:
#     selector:
#       - type: cloud
package builtin.azure.storage.AZU0007

import data.lib.azure

deny contains res if {
	some account in input.azure.storage.accounts
	some container in account.containers
	access := container.publicaccess.value
	is_string(access)
	access != "off"
	res := result.new(sprintf("Container allows public access (%s).", [access]), container.publicaccess)
}
