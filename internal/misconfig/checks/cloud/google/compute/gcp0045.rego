# METADATA
# title: "Instances should have Shielded VM integrity monitoring enabled"
# description: "Without integrity monitoring, changes to the boot sequence of the VM are not reported."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0045
# custom:
#   id: GCP-0045
#   avd_id: AVD-GCP-0045
#   provider: google
#   service: compute
#   severity: MEDIUM
#   recommended_actions: "Set 'shielded_instance_config { enable_integrity_monitoring = true }' (the default)."
#   input:
#     selector:
#       - type: cloud
package builtin.google.compute.GCP0045

deny contains res if {
	some instance in input.google.compute.instances
	instance.shieldedvm.integritymonitoringenabled.value == false
	res := result.new("Instance has Shielded VM integrity monitoring disabled.", instance.shieldedvm.integritymonitoringenabled)
}
