# METADATA
# title: "Network Policy should be enabled on GKE clusters"
# description: "Without network policy enforcement every pod can reach every other pod."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0056
# custom:
#   id: GCP-0056
#   avd_id: AVD-GCP-0056
#   provider: google
#   service: gke
#   severity: MEDIUM
#   recommended_actions: "Set 'network_policy { enabled = true }' or use datapath_provider ADVANCED_DATAPATH."
#   input:
#     selector:
#       - type: cloud
package builtin.google.gke.GCP0056

deny contains res if {
	some cluster in input.google.gke.clusters
	cluster.enableautopilot.value == false
	cluster.networkpolicy.enabled.value == false
	is_string(cluster.datapathprovider.value)
	cluster.datapathprovider.value != "ADVANCED_DATAPATH"
	res := result.new("Cluster does not have a network policy enabled.", cluster.networkpolicy.enabled)
}
