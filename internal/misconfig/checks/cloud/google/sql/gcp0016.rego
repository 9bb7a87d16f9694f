# METADATA
# title: "Ensure that logging of connections is enabled."
# description: "PostgreSQL connection logs show who connected and when, which helps spot abuse and denial of service."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0016
# custom:
#   id: GCP-0016
#   avd_id: AVD-GCP-0016
#   provider: google
#   service: sql
#   severity: MEDIUM
#   recommended_actions: "Add 'database_flags { name = \"log_connections\" value = \"on\" }'."
#   input:
#     selector:
#       - type: cloud
package builtin.google.sql.GCP0016

engine(instance) if {
	v := instance.databaseversion.value
	is_string(v)
	startswith(upper(v), "POSTGRES")
}

deny contains res if {
	some instance in input.google.sql.instances
	engine(instance)
	not instance.settings.flags.logconnections
	res := result.new("Database instance does not log connections.", instance.settings.flags)
}

deny contains res if {
	some instance in input.google.sql.instances
	engine(instance)
	is_string(instance.settings.flags.logconnections.value)
	instance.settings.flags.logconnections.value != "on"
	res := result.new("Database instance does not log connections.", instance.settings.flags.logconnections)
}
