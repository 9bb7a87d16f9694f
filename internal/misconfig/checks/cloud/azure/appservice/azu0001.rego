# METADATA
# title: "Web App accepts incoming client certificate"
# description: "With incoming client certificates required (mutual TLS), only clients holding a valid certificate can call the app."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/azu-0001
# custom:
#   id: AZU-0001
#   avd_id: AVD-AZU-0001
#   provider: azure
#   service: appservice
#   severity: LOW
#   recommended_actions: "Enable incoming client certificates (client_certificate_enabled, clientCertEnabled)."
#   input:
#     selector:
#       - type: cloud
package builtin.azure.appservice.AZU0001

import data.lib.azure

deny contains res if {
	some service in input.azure.appservice.services
	azure.managed(service)
	service.enableclientcert.value == false
	res := result.new("App service does not have client certificates enabled.", service.enableclientcert)
}
