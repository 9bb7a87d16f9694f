# METADATA
# title: "Contained database authentication should be disabled"
# description: "Contained database users are managed inside a database, out of sight of the server's administrators."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0023
# custom:
#   id: GCP-0023
#   avd_id: AVD-GCP-0023
#   provider: google
#   service: sql
#   severity: MEDIUM
#   recommended_actions: "Remove the 'contained database authentication' flag or set it to off."
#   input:
#     selector:
#       - type: cloud
package builtin.google.sql.GCP0023

engine(instance) if {
	v := instance.databaseversion.value
	is_string(v)
	startswith(upper(v), "SQLSERVER")
}

deny contains res if {
	some instance in input.google.sql.instances
	engine(instance)
	instance.settings.flags["contained database authentication"].value == "on"
	res := result.new("Database instance has contained database authentication enabled.", instance.settings.flags["contained database authentication"])
}
