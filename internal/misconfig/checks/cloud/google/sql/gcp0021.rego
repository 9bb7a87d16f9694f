# METADATA
# title: "Ensure that logging of long statements is disabled."
# description: "log_min_duration_statement other than -1 writes whole SQL statements, which may hold sensitive data, to the log."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0021
# custom:
#   id: GCP-0021
#   avd_id: AVD-GCP-0021
#   provider: google
#   service: sql
#   severity: LOW
#   recommended_actions: "Remove the 'log_min_duration_statement' flag or set it to -1."
#   input:
#     selector:
#       - type: cloud
package builtin.google.sql.GCP0021

engine(instance) if {
	v := instance.databaseversion.value
	is_string(v)
	startswith(upper(v), "POSTGRES")
}

deny contains res if {
	some instance in input.google.sql.instances
	engine(instance)
	v := instance.settings.flags.logmindurationstatement.value
	is_string(v)
	v != "-1"
	res := result.new("Database instance logs statements by duration.", instance.settings.flags.logmindurationstatement)
}
