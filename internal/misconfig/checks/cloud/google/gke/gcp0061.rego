# METADATA
# title: "Master authorized networks should be configured on GKE clusters"
# description: "Without master authorized networks any address can try to reach the cluster's API endpoint."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0061
# custom:
#   id: GCP-0061
#   avd_id: AVD-GCP-0061
#   provider: google
#   service: gke
#   severity: HIGH
#   recommended_actions: "Add a 'master_authorized_networks_config' block with the CIDR ranges that need the API."
#   input:
#     selector:
#       - type: cloud
package builtin.google.gke.GCP0061

deny contains res if {
	some cluster in input.google.gke.clusters
	cluster.masterauthorizednetworks.enabled.value == false
	res := result.new("Cluster does not have master authorized networks enabled.", cluster.masterauthorizednetworks.enabled)
}
