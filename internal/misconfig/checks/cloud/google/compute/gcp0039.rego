# METADATA
# title: "SSL policies should enforce secure versions of TLS"
# description: "An SSL policy whose minimum version is below TLS 1.2 (the default is TLS 1.0) lets clients negotiate outdated protocols."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0039
# custom:
#   id: GCP-0039
#   avd_id: AVD-GCP-0039
#   provider: google
#   service: compute
#   severity: CRITICAL
#   recommended_actions: "Set 'min_tls_version = \"TLS_1_2\"' on the google_compute_ssl_policy."
#   input:
#     selector:
#       - type: cloud
package builtin.google.compute.GCP0039

deny contains res if {
	some policy in input.google.compute.sslpolicies
	policy.minimumtlsversion.value in {"TLS_1_0", "TLS_1_1"}
	res := result.new(sprintf("SSL policy allows %s.", [policy.minimumtlsversion.value]), policy.minimumtlsversion)
}
