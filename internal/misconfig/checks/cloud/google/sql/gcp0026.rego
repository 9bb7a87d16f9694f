# METADATA
# title: "Disable local_infile setting in MySQL"
# description: "With local_infile on, LOAD DATA LOCAL can be abused to read files of the client host."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0026
# custom:
#   id: GCP-0026
#   avd_id: AVD-GCP-0026
#   provider: google
#   service: sql
#   severity: HIGH
#   recommended_actions: "Remove the 'local_infile' flag or set it to off."
#   input:
#     selector:
#       - type: cloud
package builtin.google.sql.GCP0026

engine(instance) if {
	v := instance.databaseversion.value
	is_string(v)
	startswith(upper(v), "MYSQL")
}

deny contains res if {
	some instance in input.google.sql.instances
	engine(instance)
	instance.settings.flags.localinfile.value == "on"
	res := result.new("Database instance has local_infile enabled.", instance.settings.flags.localinfile)
}
