# METADATA
# title: "Clusters should be set to private"
# description: "Nodes of a cluster without private nodes get external addresses."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0059
# custom:
#   id: GCP-0059
#   avd_id: AVD-GCP-0059
#   provider: google
#   service: gke
#   severity: MEDIUM
#   recommended_actions: "Set 'private_cluster_config { enable_private_nodes = true }'."
#   input:
#     selector:
#       - type: cloud
package builtin.google.gke.GCP0059

deny contains res if {
	some cluster in input.google.gke.clusters
	cluster.privatecluster.enableprivatenodes.value == false
	res := result.new("Cluster does not have private nodes.", cluster.privatecluster.enableprivatenodes)
}
