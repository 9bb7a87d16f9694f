# METADATA
# title: "Ensure databases are not publicly accessible"
# description: "A database server with public network access can be reached from the internet (subject to its firewall rules); private endpoints keep it off the internet."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/azu-0022
# custom:
#   id: AZU-0022
#   avd_id: AVD-AZU-0022
#   provider: azure
#   service: database
#   severity: MEDIUM
#   recommended_actions: "Disable public network access (public_network_access_enabled = false, publicNetworkAccess: Disabled)."
#   input:
#     selector:
#       - type: cloud
package builtin.azure.database.AZU0022

import data.lib.azure

deny contains res if {
	some server in azure.servers(["mssql", "mysql", "postgresql", "mariadb"])
	azure.managed(server)
	server.enablepublicnetworkaccess.value == true
	res := result.new("Database server has public network access enabled.", server.enablepublicnetworkaccess)
}
