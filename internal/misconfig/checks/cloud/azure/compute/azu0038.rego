# METADATA
# title: "Enable disk encryption on managed disk"
# description: "A managed disk whose encryption settings are disabled is not encrypted with Azure Disk Encryption."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/azu-0038
# custom:
#   id: AZU-0038
#   avd_id: AVD-AZU-0038
#   provider: azure
#   service: compute
#   severity: HIGH
#   recommended_actions: "Do not disable the managed disk's encryption settings."
#   input:
#     selector:
#       - type: cloud
package builtin.azure.compute.AZU0038

import data.lib.azure

deny contains res if {
	some disk in input.azure.compute.manageddisks
	azure.managed(disk)
	disk.encryption.enabled.value == false
	res := result.new("Managed disk is not encrypted.", disk.encryption.enabled)
}
