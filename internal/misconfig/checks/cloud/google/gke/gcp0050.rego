# METADATA
# title: "Checks for service account defined for GKE nodes"
# description: "Nodes without a service_account run as the Compute Engine default service account, which has the Editor role."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0050
# custom:
#   id: GCP-0050
#   avd_id: AVD-GCP-0050
#   provider: google
#   service: gke
#   severity: MEDIUM
#   recommended_actions: "Set 'node_config.service_account' to a dedicated, minimally privileged service account."
#   input:
#     selector:
#       - type: cloud
package builtin.google.gke.GCP0050

# node_configs are the node configurations of the default pool (unless
# removed or Autopilot) and of every node pool.
node_configs contains nc if {
	some cluster in input.google.gke.clusters
	cluster.enableautopilot.value == false
	cluster.removedefaultnodepool.value == false
	nc := cluster.nodeconfig
}

node_configs contains nc if {
	some cluster in input.google.gke.clusters
	some pool in cluster.nodepools
	nc := pool.nodeconfig
}

deny contains res if {
	some nc in node_configs
	nc.serviceaccount.value == ""
	res := result.new("Nodes use the default service account.", nc.serviceaccount)
}
