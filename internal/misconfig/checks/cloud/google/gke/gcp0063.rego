# METADATA
# title: "Kubernetes should have 'Automatic repair' enabled"
# description: "Without automatic repair, nodes failing their health checks stay in the pool."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0063
# custom:
#   id: GCP-0063
#   avd_id: AVD-GCP-0063
#   provider: google
#   service: gke
#   severity: LOW
#   recommended_actions: "Remove 'management.auto_repair = false' from the node pool."
#   input:
#     selector:
#       - type: cloud
package builtin.google.gke.GCP0063

deny contains res if {
	some cluster in input.google.gke.clusters
	some pool in cluster.nodepools
	pool.management.enableautorepair.value == false
	res := result.new("Node pool does not have automatic repair enabled.", pool.management.enableautorepair)
}
