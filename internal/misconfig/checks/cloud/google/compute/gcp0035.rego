# METADATA
# title: "A firewall rule should not allow unrestricted egress to any IP address."
# description: "An enabled allow rule whose destination ranges include 0.0.0.0/0 or ::/0 lets the targets connect anywhere on the internet."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0035
# custom:
#   id: GCP-0035
#   avd_id: AVD-GCP-0035
#   provider: google
#   service: compute
#   severity: CRITICAL
#   recommended_actions: "Restrict 'destination_ranges' to the addresses that need to be reached."
#   input:
#     selector:
#       - type: cloud
package builtin.google.compute.GCP0035

public_cidr(v) if {
	is_string(v)
	endswith(v, "/0")
}

deny contains res if {
	some network in input.google.compute.networks
	some rule in network.firewall.egressrules
	rule.isallow.value == true
	rule.enforced.value == true
	some cidr in rule.destinationranges
	public_cidr(cidr.value)
	res := result.new(sprintf("Firewall rule allows egress to %s.", [cidr.value]), cidr)
}
