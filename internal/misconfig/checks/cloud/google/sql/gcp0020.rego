# METADATA
# title: "Ensure that logging of lock waits is enabled."
# description: "Long lock waits point at contention or a denial of service and should be logged."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0020
# custom:
#   id: GCP-0020
#   avd_id: AVD-GCP-0020
#   provider: google
#   service: sql
#   severity: MEDIUM
#   recommended_actions: "Add 'database_flags { name = \"log_lock_waits\" value = \"on\" }'."
#   input:
#     selector:
#       - type: cloud
package builtin.google.sql.GCP0020

engine(instance) if {
	v := instance.databaseversion.value
	is_string(v)
	startswith(upper(v), "POSTGRES")
}

deny contains res if {
	some instance in input.google.sql.instances
	engine(instance)
	not instance.settings.flags.loglockwaits
	res := result.new("Database instance does not log lock waits.", instance.settings.flags)
}

deny contains res if {
	some instance in input.google.sql.instances
	engine(instance)
	is_string(instance.settings.flags.loglockwaits.value)
	instance.settings.flags.loglockwaits.value != "on"
	res := result.new("Database instance does not log lock waits.", instance.settings.flags.loglockwaits)
}
