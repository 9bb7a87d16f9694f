# METADATA
# title: "Disable project-wide SSH keys for all instances"
# description: "An instance that accepts project-wide SSH keys can be reached with any of them, so one leaked key opens every such instance."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0030
# custom:
#   id: GCP-0030
#   avd_id: AVD-GCP-0030
#   provider: google
#   service: compute
#   severity: MEDIUM
#   recommended_actions: "Set metadata 'block-project-ssh-keys = true' on the google_compute_instance."
#   input:
#     selector:
#       - type: cloud
package builtin.google.compute.GCP0030

deny contains res if {
	some instance in input.google.compute.instances
	v := instance.blockprojectsshkeys.value
	is_string(v)
	not v in {"true", "1"}
	res := result.new("Instance does not block project-wide SSH keys.", instance.blockprojectsshkeys)
}
