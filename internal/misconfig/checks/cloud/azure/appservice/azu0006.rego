# METADATA
# title: "Web App uses latest TLS version"
# description: "An app that accepts TLS 1.0 or 1.1 lets clients connect with protocol versions that have known weaknesses."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/azu-0006
# custom:
#   id: AZU-0006
#   avd_id: AVD-AZU-0006
#   provider: azure
#   service: appservice
#   severity: HIGH
#   recommended_actions: "Set the minimum TLS version to 1.2 (site_config.minimum_tls_version, siteConfig.minTlsVersion)."
#   input:
#     selector:
#       - type: cloud
package builtin.azure.appservice.AZU0006

import data.lib.azure

deny contains res if {
	some service in input.azure.appservice.services
	azure.managed(service)
	version := service.site.minimumtlsversion.value
	is_string(version)
	not version in {"1.2", "1.3"}
	res := result.new(sprintf("App service accepts TLS versions older than 1.2 (%s).", [version]), service.site.minimumtlsversion)
}
