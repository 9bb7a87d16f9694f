# METADATA
# title: "Node metadata value disables metadata concealment."
# description: "A workload_metadata_config that exposes the node metadata (EXPOSE, GCE_METADATA) lets pods read the node's credentials and kube-env."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0057
# custom:
#   id: GCP-0057
#   avd_id: AVD-GCP-0057
#   provider: google
#   service: gke
#   severity: HIGH
#   recommended_actions: "Set 'workload_metadata_config.mode = \"GKE_METADATA\"' (or node_metadata SECURE / GKE_METADATA_SERVER)."
#   input:
#     selector:
#       - type: cloud
package builtin.google.gke.GCP0057

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
	nc.workloadmetadataconfig.nodemetadata.value in {"EXPOSE", "UNSPECIFIED"}
	res := result.new("Node metadata is exposed to pods.", nc.workloadmetadataconfig.nodemetadata)
}

deny contains res if {
	some nc in node_configs
	nc.workloadmetadataconfig.mode.value in {"GCE_METADATA", "MODE_UNSPECIFIED"}
	res := result.new("Node metadata is exposed to pods.", nc.workloadmetadataconfig.mode)
}
