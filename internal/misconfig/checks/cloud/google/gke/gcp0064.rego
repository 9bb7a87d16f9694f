# METADATA
# title: "Legacy client authentication methods utilized."
# description: "Basic authentication (a master_auth username) and client certificates are long-lived credentials that cannot be revoked per user."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0064
# custom:
#   id: GCP-0064
#   avd_id: AVD-GCP-0064
#   provider: google
#   service: gke
#   severity: HIGH
#   recommended_actions: "Remove 'master_auth.username' and set 'client_certificate_config.issue_client_certificate = false'."
#   input:
#     selector:
#       - type: cloud
package builtin.google.gke.GCP0064

deny contains res if {
	some cluster in input.google.gke.clusters
	cluster.masterauth.clientcertificate.issuecertificate.value == true
	res := result.new("Cluster issues client certificates for master authentication.", cluster.masterauth.clientcertificate.issuecertificate)
}

deny contains res if {
	some cluster in input.google.gke.clusters
	v := cluster.masterauth.username.value
	is_string(v)
	v != ""
	res := result.new("Cluster allows basic authentication.", cluster.masterauth.username)
}
