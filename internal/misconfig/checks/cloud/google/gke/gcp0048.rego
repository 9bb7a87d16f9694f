# METADATA
# title: "Legacy metadata endpoints enabled."
# description: "Node metadata 'disable-legacy-endpoints = false' re-enables the v0.1 and v1beta1 metadata endpoints, which do not require the Metadata-Flavor header."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0048
# custom:
#   id: GCP-0048
#   avd_id: AVD-GCP-0048
#   provider: google
#   service: gke
#   severity: HIGH
#   recommended_actions: "Remove 'disable-legacy-endpoints' from the node metadata or set it to true."
#   input:
#     selector:
#       - type: cloud
package builtin.google.gke.GCP0048

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
	nc.legacyendpoints.value in {"false", "0"}
	res := result.new("Node pool has legacy metadata endpoints enabled.", nc.legacyendpoints)
}
