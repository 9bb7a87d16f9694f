# METADATA
# title: "App Service authentication is activated"
# description: "Without App Service authentication the app accepts anonymous requests unless it authenticates them itself."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/azu-0003
# custom:
#   id: AZU-0003
#   avd_id: AVD-AZU-0003
#   provider: azure
#   service: appservice
#   severity: MEDIUM
#   recommended_actions: "Enable App Service authentication (auth_settings, sites/config authsettings)."
#   input:
#     selector:
#       - type: cloud
package builtin.azure.appservice.AZU0003

import data.lib.azure

deny contains res if {
	some service in input.azure.appservice.services
	azure.managed(service)
	service.authentication.enabled.value == false
	res := result.new("App service does not have authentication enabled.", service.authentication.enabled)
}
