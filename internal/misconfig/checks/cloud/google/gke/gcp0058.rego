# METADATA
# title: "Kubernetes should have 'Automatic upgrade' enabled"
# description: "Without automatic upgrades node pools fall behind the control plane and miss security fixes."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0058
# custom:
#   id: GCP-0058
#   avd_id: AVD-GCP-0058
#   provider: google
#   service: gke
#   severity: LOW
#   recommended_actions: "Remove 'management.auto_upgrade = false' from the node pool."
#   input:
#     selector:
#       - type: cloud
package builtin.google.gke.GCP0058

deny contains res if {
	some cluster in input.google.gke.clusters
	some pool in cluster.nodepools
	pool.management.enableautoupgrade.value == false
	res := result.new("Node pool does not have automatic upgrades enabled.", pool.management.enableautoupgrade)
}
