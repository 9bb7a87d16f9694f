# METADATA
# title: "Password authentication should be disabled on Azure virtual machines"
# description: "A Linux virtual machine that accepts passwords over SSH is open to password guessing; SSH keys are stronger."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/azu-0039
# custom:
#   id: AZU-0039
#   avd_id: AVD-AZU-0039
#   provider: azure
#   service: compute
#   severity: HIGH
#   recommended_actions: "Disable password authentication and use SSH keys."
#   input:
#     selector:
#       - type: cloud
package builtin.azure.compute.AZU0039

import data.lib.azure

deny contains res if {
	some vm in input.azure.compute.linuxvirtualmachines
	azure.managed(vm)
	vm.osprofilelinuxconfig.disablepasswordauthentication.value == false
	res := result.new("Linux virtual machine allows password authentication.", vm.osprofilelinuxconfig.disablepasswordauthentication)
}
