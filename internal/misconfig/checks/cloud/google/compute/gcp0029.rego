# METADATA
# title: "VPC flow logs should be enabled for all subnetworks"
# description: "Without flow logs there is no record of the traffic of a subnetwork to review."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0029
# custom:
#   id: GCP-0029
#   avd_id: AVD-GCP-0029
#   provider: google
#   service: compute
#   severity: LOW
#   recommended_actions: "Add a 'log_config' block to the google_compute_subnetwork."
#   input:
#     selector:
#       - type: cloud
package builtin.google.compute.GCP0029

proxy_only := {"REGIONAL_MANAGED_PROXY", "GLOBAL_MANAGED_PROXY", "INTERNAL_HTTPS_LOAD_BALANCER"}

deny contains res if {
	some network in input.google.compute.networks
	some subnet in network.subnetworks
	subnet.enableflowlogs.value == false
	not subnet.purpose.value in proxy_only
	res := result.new("Subnetwork does not have VPC flow logs enabled.", subnet.enableflowlogs)
}
