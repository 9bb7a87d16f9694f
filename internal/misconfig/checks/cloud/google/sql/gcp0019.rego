# METADATA
# title: "Cross-database ownership chaining should be disabled"
# description: "With cross db ownership chaining, users of one SQL Server database can reach objects of other databases."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0019
# custom:
#   id: GCP-0019
#   avd_id: AVD-GCP-0019
#   provider: google
#   service: sql
#   severity: MEDIUM
#   recommended_actions: "Remove the 'cross db ownership chaining' flag or set it to off."
#   input:
#     selector:
#       - type: cloud
package builtin.google.sql.GCP0019

engine(instance) if {
	v := instance.databaseversion.value
	is_string(v)
	startswith(upper(v), "SQLSERVER")
}

deny contains res if {
	some instance in input.google.sql.instances
	engine(instance)
	instance.settings.flags["cross db ownership chaining"].value == "on"
	res := result.new("Database instance has cross database ownership chaining enabled.", instance.settings.flags["cross db ownership chaining"])
}
