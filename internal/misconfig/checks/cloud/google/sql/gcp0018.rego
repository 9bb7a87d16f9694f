# METADATA
# title: "Ensure that Postgres errors are logged"
# description: "A log_min_messages above ERROR (LOG, FATAL, PANIC) keeps errors out of the PostgreSQL log."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0018
# custom:
#   id: GCP-0018
#   avd_id: AVD-GCP-0018
#   provider: google
#   service: sql
#   severity: LOW
#   recommended_actions: "Set the 'log_min_messages' flag to ERROR or a lower level (the default is WARNING)."
#   input:
#     selector:
#       - type: cloud
package builtin.google.sql.GCP0018

engine(instance) if {
	v := instance.databaseversion.value
	is_string(v)
	startswith(upper(v), "POSTGRES")
}

deny contains res if {
	some instance in input.google.sql.instances
	engine(instance)
	instance.settings.flags.logminmessages.value in {"log", "fatal", "panic"}
	res := result.new("Database instance does not log errors.", instance.settings.flags.logminmessages)
}
