# METADATA
# title: "Web App has registration with AD enabled"
# description: "A managed identity lets the app authenticate to other Azure services without credentials kept in its configuration."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/azu-0002
# custom:
#   id: AZU-0002
#   avd_id: AVD-AZU-0002
#   provider: azure
#   service: appservice
#   severity: LOW
#   recommended_actions: "Give the app a managed identity (identity block / identity.type)."
#   input:
#     selector:
#       - type: cloud
package builtin.azure.appservice.AZU0002

import data.lib.azure

deny contains res if {
	some service in input.azure.appservice.services
	azure.managed(service)
	service.identity.type.value == ""
	res := result.new("App service does not have an identity type.", service.identity.type)
}
