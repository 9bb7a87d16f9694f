# METADATA
# title: "Stackdriver Logging should be enabled"
# description: "A cluster whose logging service is not Cloud Logging for Kubernetes does not collect container logs."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0060
# custom:
#   id: GCP-0060
#   avd_id: AVD-GCP-0060
#   provider: google
#   service: gke
#   severity: LOW
#   recommended_actions: "Leave 'logging_service' unset or set it to logging.googleapis.com/kubernetes."
#   input:
#     selector:
#       - type: cloud
package builtin.google.gke.GCP0060

deny contains res if {
	some cluster in input.google.gke.clusters
	v := cluster.loggingservice.value
	is_string(v)
	v != "logging.googleapis.com/kubernetes"
	res := result.new("Cluster does not use Cloud Logging for Kubernetes.", cluster.loggingservice)
}
