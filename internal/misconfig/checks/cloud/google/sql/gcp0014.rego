# METADATA
# title: "Temporary file logging should be enabled for all temporary files."
# description: "PostgreSQL logs no temporary files unless log_temp_files is set; 0 logs every one."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0014
# custom:
#   id: GCP-0014
#   avd_id: AVD-GCP-0014
#   provider: google
#   service: sql
#   severity: MEDIUM
#   recommended_actions: "Add 'database_flags { name = \"log_temp_files\" value = \"0\" }'."
#   input:
#     selector:
#       - type: cloud
package builtin.google.sql.GCP0014

engine(instance) if {
	v := instance.databaseversion.value
	is_string(v)
	startswith(upper(v), "POSTGRES")
}

deny contains res if {
	some instance in input.google.sql.instances
	engine(instance)
	not instance.settings.flags.logtempfiles
	res := result.new("Database instance does not log temporary files.", instance.settings.flags)
}

deny contains res if {
	some instance in input.google.sql.instances
	engine(instance)
	v := instance.settings.flags.logtempfiles.value
	is_string(v)
	v != "0"
	res := result.new("Database instance does not log all temporary files.", instance.settings.flags.logtempfiles)
}
