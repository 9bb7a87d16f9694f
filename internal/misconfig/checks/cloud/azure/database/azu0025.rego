# METADATA
# title: "Database auditing rentention period should be longer than 90 days"
# description: "Audit logs kept for less than 90 days may be gone before an incident is noticed; a retention of 0 keeps them forever."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/azu-0025
# custom:
#   id: AZU-0025
#   avd_id: AVD-AZU-0025
#   provider: azure
#   service: database
#   severity: MEDIUM
#   recommended_actions: "Set the auditing retention to at least 90 days (or 0, unlimited)."
#   input:
#     selector:
#       - type: cloud
package builtin.azure.database.AZU0025

import data.lib.azure

deny contains res if {
	some server in input.azure.database.mssqlservers
	some policy in server.extendedauditingpolicies
	days := policy.retentionindays.value
	is_number(days)
	days != 0
	days < 90
	res := result.new(sprintf("Server has a retention period of %v days, less than 90.", [days]), policy.retentionindays)
}
