# METADATA
# title: "Instances should not use the default service account"
# description: "The Compute Engine default service account has the Editor role on the project, far more than an instance needs."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0044
# custom:
#   id: GCP-0044
#   avd_id: AVD-GCP-0044
#   provider: google
#   service: compute
#   severity: CRITICAL
#   recommended_actions: "Set 'service_account.email' to a dedicated, minimally privileged service account."
#   input:
#     selector:
#       - type: cloud
package builtin.google.compute.GCP0044

deny contains res if {
	some instance in input.google.compute.instances
	instance.serviceaccount.isdefault.value == true
	res := result.new("Instance uses the default service account.", instance.serviceaccount.isdefault)
}
