# METADATA
# title: "Ensure that Cloud SQL Database Instances are not publicly exposed"
# description: "An instance with a public IPv4 address (the default), or one whose authorized networks include /0, can be reached from the internet."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0017
# custom:
#   id: GCP-0017
#   avd_id: AVD-GCP-0017
#   provider: google
#   service: sql
#   severity: HIGH
#   recommended_actions: "Set 'ip_configuration { ipv4_enabled = false }' with a private network, and never authorize 0.0.0.0/0."
#   input:
#     selector:
#       - type: cloud
package builtin.google.sql.GCP0017

public_cidr(v) if {
	is_string(v)
	endswith(v, "/0")
}

deny contains res if {
	some instance in input.google.sql.instances
	instance.settings.ipconfiguration.enableipv4.value == true
	res := result.new("Database instance has a public IPv4 address.", instance.settings.ipconfiguration.enableipv4)
}

deny contains res if {
	some instance in input.google.sql.instances
	some net in instance.settings.ipconfiguration.authorizednetworks
	public_cidr(net.cidr.value)
	res := result.new(sprintf("Database instance authorizes %s.", [net.cidr.value]), net.cidr)
}
