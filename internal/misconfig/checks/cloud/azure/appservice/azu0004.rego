# METADATA
# title: "Ensure the Function App can only be accessed via HTTPS. The default is false."
# description: "A function app that is not HTTPS-only serves its endpoints over plain HTTP as well, unencrypted and unauthenticated."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/azu-0004
# custom:
#   id: AZU-0004
#   avd_id: AVD-AZU-0004
#   provider: azure
#   service: appservice
#   severity: CRITICAL
#   recommended_actions: "Set https_only = true (httpsOnly: true) on the function app."
#   input:
#     selector:
#       - type: cloud
package builtin.azure.appservice.AZU0004

import data.lib.azure

deny contains res if {
	some app in input.azure.appservice.functionapps
	azure.managed(app)
	app.httpsonly.value == false
	res := result.new("Function app does not have HTTPS enforced.", app.httpsonly)
}
