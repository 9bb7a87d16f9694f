# METADATA
# title: "Instances should not have IP forwarding enabled"
# description: "With IP forwarding an instance can send and receive packets not addressed to it and route traffic for others."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0043
# custom:
#   id: GCP-0043
#   avd_id: AVD-GCP-0043
#   provider: google
#   service: compute
#   severity: HIGH
#   recommended_actions: "Remove 'can_ip_forward' or set it to false."
#   input:
#     selector:
#       - type: cloud
package builtin.google.compute.GCP0043

deny contains res if {
	some instance in input.google.compute.instances
	instance.canipforward.value == true
	res := result.new("Instance has IP forwarding enabled.", instance.canipforward)
}
