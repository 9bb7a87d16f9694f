# METADATA
# title: "A firewall rule should not allow unrestricted ingress from any IP address."
# description: "An enabled allow rule whose source ranges include 0.0.0.0/0 or ::/0 exposes the targets to the whole internet."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0027
# custom:
#   id: GCP-0027
#   avd_id: AVD-GCP-0027
#   provider: google
#   service: compute
#   severity: CRITICAL
#   recommended_actions: "Restrict 'source_ranges' to the addresses that need access."
#   input:
#     selector:
#       - type: cloud
package builtin.google.compute.GCP0027

public_cidr(v) if {
	is_string(v)
	endswith(v, "/0")
}

deny contains res if {
	some network in input.google.compute.networks
	some rule in network.firewall.ingressrules
	rule.isallow.value == true
	rule.enforced.value == true
	some cidr in rule.sourceranges
	public_cidr(cidr.value)
	res := result.new(sprintf("Firewall rule allows ingress from %s.", [cidr.value]), cidr)
}
