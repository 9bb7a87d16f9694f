# METADATA
# title: "Disable serial port connectivity for all instances"
# description: "Interactive serial console access is not filtered by firewall rules."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0032
# custom:
#   id: GCP-0032
#   avd_id: AVD-GCP-0032
#   provider: google
#   service: compute
#   severity: MEDIUM
#   recommended_actions: "Remove metadata 'serial-port-enable' or set it to false."
#   input:
#     selector:
#       - type: cloud
package builtin.google.compute.GCP0032

deny contains res if {
	some instance in input.google.compute.instances
	instance.serialport.value in {"true", "1"}
	res := result.new("Instance has serial port access enabled.", instance.serialport)
}
