# METADATA
# title: "GKE Control Plane should not be publicly accessible"
# description: "A master authorized network of 0.0.0.0/0 lets the whole internet reach the cluster's API endpoint."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0053
# custom:
#   id: GCP-0053
#   avd_id: AVD-GCP-0053
#   provider: google
#   service: gke
#   severity: HIGH
#   recommended_actions: "Restrict 'master_authorized_networks_config.cidr_blocks' to the addresses that need the API."
#   input:
#     selector:
#       - type: cloud
package builtin.google.gke.GCP0053

public_cidr(v) if {
	is_string(v)
	endswith(v, "/0")
}

deny contains res if {
	some cluster in input.google.gke.clusters
	some cidr in cluster.masterauthorizednetworks.cidrs
	public_cidr(cidr.value)
	res := result.new(sprintf("Cluster control plane is reachable from %s.", [cidr.value]), cidr)
}
