# METADATA
# title: "Ensure that logging of checkpoints is enabled."
# description: "Checkpoint logs help diagnose performance problems and denial of service."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0025
# custom:
#   id: GCP-0025
#   avd_id: AVD-GCP-0025
#   provider: google
#   service: sql
#   severity: MEDIUM
#   recommended_actions: "Add 'database_flags { name = \"log_checkpoints\" value = \"on\" }'."
#   input:
#     selector:
#       - type: cloud
package builtin.google.sql.GCP0025

engine(instance) if {
	v := instance.databaseversion.value
	is_string(v)
	startswith(upper(v), "POSTGRES")
}

deny contains res if {
	some instance in input.google.sql.instances
	engine(instance)
	not instance.settings.flags.logcheckpoints
	res := result.new("Database instance does not log checkpoints.", instance.settings.flags)
}

deny contains res if {
	some instance in input.google.sql.instances
	engine(instance)
	is_string(instance.settings.flags.logcheckpoints.value)
	instance.settings.flags.logcheckpoints.value != "on"
	res := result.new("Database instance does not log checkpoints.", instance.settings.flags.logcheckpoints)
}
