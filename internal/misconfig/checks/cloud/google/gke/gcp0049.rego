# METADATA
# title: "Clusters should have IP aliasing enabled"
# description: "A routes-based cluster (no ip_allocation_policy) gives pods no VPC-native addresses, so firewall rules and private access cannot address them."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0049
# custom:
#   id: GCP-0049
#   avd_id: AVD-GCP-0049
#   provider: google
#   service: gke
#   severity: LOW
#   recommended_actions: "Add an 'ip_allocation_policy' block (VPC-native networking)."
#   input:
#     selector:
#       - type: cloud
package builtin.google.gke.GCP0049

deny contains res if {
	some cluster in input.google.gke.clusters
	cluster.enableautopilot.value == false
	cluster.ipallocationpolicy.enabled.value == false
	res := result.new("Cluster does not have IP aliasing enabled.", cluster.ipallocationpolicy.enabled)
}
