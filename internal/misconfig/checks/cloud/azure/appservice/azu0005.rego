# METADATA
# title: "Web App uses the latest HTTP version"
# description: "HTTP/2 brings protocol fixes and performance over HTTP/1.1; App Service leaves it off by default."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/azu-0005
# custom:
#   id: AZU-0005
#   avd_id: AVD-AZU-0005
#   provider: azure
#   service: appservice
#   severity: LOW
#   recommended_actions: "Enable HTTP/2 (site_config.http2_enabled, siteConfig.http20Enabled)."
#   input:
#     selector:
#       - type: cloud
package builtin.azure.appservice.AZU0005

import data.lib.azure

deny contains res if {
	some service in input.azure.appservice.services
	azure.managed(service)
	service.site.enablehttp2.value == false
	res := result.new("App service does not have HTTP/2 enabled.", service.site.enablehttp2)
}
