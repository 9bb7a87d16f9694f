# METADATA
# title: "Instances should have Shielded VM secure boot enabled"
# description: "Without secure boot (off by default) the VM boots components whose signatures are not verified."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0067
# custom:
#   id: GCP-0067
#   avd_id: AVD-GCP-0067
#   provider: google
#   service: compute
#   severity: MEDIUM
#   recommended_actions: "Set 'shielded_instance_config { enable_secure_boot = true }'."
#   input:
#     selector:
#       - type: cloud
package builtin.google.compute.GCP0067

deny contains res if {
	some instance in input.google.compute.instances
	instance.shieldedvm.securebootenabled.value == false
	res := result.new("Instance has Shielded VM secure boot disabled.", instance.shieldedvm.securebootenabled)
}
