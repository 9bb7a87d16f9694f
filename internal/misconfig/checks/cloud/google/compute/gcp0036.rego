# METADATA
# title: "Instances should not override the project setting for OS Login"
# description: "Instance metadata that turns OS Login off bypasses the project's OS Login and its key revocation."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0036
# custom:
#   id: GCP-0036
#   avd_id: AVD-GCP-0036
#   provider: google
#   service: compute
#   severity: MEDIUM
#   recommended_actions: "Remove the instance's 'enable-oslogin' metadata, or set it to true."
#   input:
#     selector:
#       - type: cloud
package builtin.google.compute.GCP0036

deny contains res if {
	some instance in input.google.compute.instances
	instance.osloginoverride.value in {"false", "0"}
	res := result.new("Instance disables OS Login.", instance.osloginoverride)
}
