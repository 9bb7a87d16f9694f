# METADATA
# title: "A security group should not allow unrestricted ingress to the RDP port from any IP address."
# description: "An inbound rule that allows port 3389 from any address exposes Remote Desktop to the internet, a common target of brute-force attacks."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/azu-0048
# custom:
#   id: AZU-0048
#   avd_id: AVD-AZU-0048
#   provider: azure
#   service: network
#   severity: CRITICAL
#   recommended_actions: "Restrict RDP to known addresses, or use Azure Bastion."
#   input:
#     selector:
#       - type: cloud
package builtin.azure.network.AZU0048

import data.lib.azure

deny contains res if {
	some group in input.azure.network.securitygroups
	some rule in group.rules
	azure.inbound_allow(rule)
	lower(rule.protocol.value) != "icmp"
	some ports in rule.destinationports
	azure.port_in(ports, 3389)
	some addr in rule.sourceaddresses
	azure.open_address(addr.value)
	res := result.new("Security group rule allows ingress to the RDP port from any IP address.", addr)
}
