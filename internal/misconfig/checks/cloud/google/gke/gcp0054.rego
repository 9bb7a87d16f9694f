# METADATA
# title: "Ensure Container-Optimized OS (cos) is used for Kubernetes Engine Clusters Node image"
# description: "Container-Optimized OS is the hardened, minimal node image GKE recommends."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0054
# custom:
#   id: GCP-0054
#   avd_id: AVD-GCP-0054
#   provider: google
#   service: gke
#   severity: LOW
#   recommended_actions: "Set 'node_config.image_type' to COS_CONTAINERD (the default)."
#   input:
#     selector:
#       - type: cloud
package builtin.google.gke.GCP0054

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
	v := nc.imagetype.value
	is_string(v)
	not startswith(upper(v), "COS")
	res := result.new(sprintf("Nodes use the %s image instead of Container-Optimized OS.", [v]), nc.imagetype)
}
