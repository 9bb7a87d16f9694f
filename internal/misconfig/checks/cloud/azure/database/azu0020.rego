# METADATA
# title: "SSL should be enforced on database connections where applicable"
# description: "A MySQL, PostgreSQL or MariaDB server that does not enforce SSL accepts unencrypted connections."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/azu-0020
# custom:
#   id: AZU-0020
#   avd_id: AVD-AZU-0020
#   provider: azure
#   service: database
#   severity: MEDIUM
#   recommended_actions: "Enable SSL enforcement (ssl_enforcement_enabled = true, sslEnforcement: Enabled)."
#   input:
#     selector:
#       - type: cloud
package builtin.azure.database.AZU0020

import data.lib.azure

deny contains res if {
	some server in azure.servers(["postgresql", "mysql", "mariadb"])
	azure.managed(server)
	server.enablesslenforcement.value == false
	res := result.new("Database server does not enforce SSL.", server.enablesslenforcement)
}
