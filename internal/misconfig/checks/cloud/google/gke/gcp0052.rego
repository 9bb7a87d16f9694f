# METADATA
# title: "Stackdriver Monitoring should be enabled"
# description: "A cluster whose monitoring service is not Cloud Monitoring for Kubernetes sends no cluster metrics."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0052
# custom:
#   id: GCP-0052
#   avd_id: AVD-GCP-0052
#   provider: google
#   service: gke
#   severity: LOW
#   recommended_actions: "Leave 'monitoring_service' unset or set it to monitoring.googleapis.com/kubernetes."
#   input:
#     selector:
#       - type: cloud
package builtin.google.gke.GCP0052

deny contains res if {
	some cluster in input.google.gke.clusters
	v := cluster.monitoringservice.value
	is_string(v)
	v != "monitoring.googleapis.com/kubernetes"
	res := result.new("Cluster does not use Cloud Monitoring for Kubernetes.", cluster.monitoringservice)
}
