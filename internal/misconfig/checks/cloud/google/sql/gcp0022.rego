# METADATA
# title: "Ensure that logging of disconnections is enabled."
# description: "PostgreSQL disconnection logs give session lengths, which help spot abuse and denial of service."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0022
# custom:
#   id: GCP-0022
#   avd_id: AVD-GCP-0022
#   provider: google
#   service: sql
#   severity: MEDIUM
#   recommended_actions: "Add 'database_flags { name = \"log_disconnections\" value = \"on\" }'."
#   input:
#     selector:
#       - type: cloud
package builtin.google.sql.GCP0022

engine(instance) if {
	v := instance.databaseversion.value
	is_string(v)
	startswith(upper(v), "POSTGRES")
}

deny contains res if {
	some instance in input.google.sql.instances
	engine(instance)
	not instance.settings.flags.logdisconnections
	res := result.new("Database instance does not log disconnections.", instance.settings.flags)
}

deny contains res if {
	some instance in input.google.sql.instances
	engine(instance)
	is_string(instance.settings.flags.logdisconnections.value)
	instance.settings.flags.logdisconnections.value != "on"
	res := result.new("Database instance does not log disconnections.", instance.settings.flags.logdisconnections)
}
