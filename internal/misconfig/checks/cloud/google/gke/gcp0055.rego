# METADATA
# title: "Shielded GKE nodes not enabled."
# description: "Shielded GKE nodes give nodes a verifiable identity and integrity, so a compromised node cannot impersonate another."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0055
# custom:
#   id: GCP-0055
#   avd_id: AVD-GCP-0055
#   provider: google
#   service: gke
#   severity: HIGH
#   recommended_actions: "Remove 'enable_shielded_nodes = false' (the default is true)."
#   input:
#     selector:
#       - type: cloud
package builtin.google.gke.GCP0055

deny contains res if {
	some cluster in input.google.gke.clusters
	cluster.enableshieldednodes.value == false
	res := result.new("Cluster has shielded nodes disabled.", cluster.enableshieldednodes)
}
