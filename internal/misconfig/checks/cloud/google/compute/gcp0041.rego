# METADATA
# title: "Instances should have Shielded VM VTPM enabled"
# description: "Turning off the virtual TPM removes measured boot and the protection of secrets it offers."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0041
# custom:
#   id: GCP-0041
#   avd_id: AVD-GCP-0041
#   provider: google
#   service: compute
#   severity: MEDIUM
#   recommended_actions: "Set 'shielded_instance_config { enable_vtpm = true }' (the default)."
#   input:
#     selector:
#       - type: cloud
package builtin.google.compute.GCP0041

deny contains res if {
	some instance in input.google.compute.instances
	instance.shieldedvm.vtpmenabled.value == false
	res := result.new("Instance has Shielded VM vTPM disabled.", instance.shieldedvm.vtpmenabled)
}
