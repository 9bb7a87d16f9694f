# METADATA
# title: "Legacy ABAC permissions are enabled."
# description: "Legacy ABAC grants broad, static permissions that bypass Kubernetes RBAC."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0062
# custom:
#   id: GCP-0062
#   avd_id: AVD-GCP-0062
#   provider: google
#   service: gke
#   severity: HIGH
#   recommended_actions: "Remove 'enable_legacy_abac = true'."
#   input:
#     selector:
#       - type: cloud
package builtin.google.gke.GCP0062

deny contains res if {
	some cluster in input.google.gke.clusters
	cluster.enablelegacyabac.value == true
	res := result.new("Cluster has legacy ABAC enabled.", cluster.enablelegacyabac)
}
