# METADATA
# title: "Auditing should be enabled on Azure SQL Databases"
# description: "Without an auditing policy, database activity is not recorded, so anomalies and suspected violations cannot be investigated."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/azu-0027
# custom:
#   id: AZU-0027
#   avd_id: AVD-AZU-0027
#   provider: azure
#   service: database
#   severity: MEDIUM
#   recommended_actions: "Add an extended auditing policy to the SQL server."
#   input:
#     selector:
#       - type: cloud
package builtin.azure.database.AZU0027

import data.lib.azure

deny contains res if {
	some server in input.azure.database.mssqlservers
	azure.managed(server)
	count(server.extendedauditingpolicies) == 0
	res := result.new("Server does not have an extended audit policy configured.", server)
}
