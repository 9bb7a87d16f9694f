# METADATA
# title: "Clusters should be configured with Labels"
# description: "Labels map clusters to teams, environments and costs."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0051
# custom:
#   id: GCP-0051
#   avd_id: AVD-GCP-0051
#   provider: google
#   service: gke
#   severity: LOW
#   recommended_actions: "Set 'resource_labels' on the google_container_cluster."
#   input:
#     selector:
#       - type: cloud
package builtin.google.gke.GCP0051

deny contains res if {
	some cluster in input.google.gke.clusters
	is_object(cluster.resourcelabels.value)
	count(cluster.resourcelabels.value) == 0
	res := result.new("Cluster has no resource labels.", cluster.resourcelabels)
}
