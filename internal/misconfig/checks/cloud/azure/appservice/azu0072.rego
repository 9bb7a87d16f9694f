# METADATA
# title: "Web App Accepting Traffic Other Than HTTPS"
# description: "A web app that is not HTTPS-only serves plain HTTP as well, so user data can be read or altered in transit."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/azu-0072
# custom:
#   id: AZU-0072
#   avd_id: AVD-AZU-0072
#   provider: azure
#   service: appservice
#   severity: MEDIUM
#   recommended_actions: "Set https_only = true (httpsOnly: true) on the web app."
#   input:
#     selector:
#       - type: cloud
package builtin.azure.appservice.AZU0072

import data.lib.azure

deny contains res if {
	some service in input.azure.appservice.services
	azure.managed(service)
	service.httpsonly.value == false
	res := result.new("App service does not have HTTPS enforced.", service.httpsonly)
}
