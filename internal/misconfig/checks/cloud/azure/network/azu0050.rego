# METADATA
# title: "Security group should not allow unrestricted ingress to SSH port from any IP address."
# description: "An inbound rule that allows port 22 from any address exposes SSH to the internet."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/azu-0050
# custom:
#   id: AZU-0050
#   avd_id: AVD-AZU-0050
#   provider: azure
#   service: network
#   severity: CRITICAL
#   recommended_actions: "Restrict SSH to known addresses, or use Azure Bastion."
#   input:
#     selector:
#       - type: cloud
package builtin.azure.network.AZU0050

import data.lib.azure

deny contains res if {
	some group in input.azure.network.securitygroups
	some rule in group.rules
	azure.inbound_allow(rule)
	lower(rule.protocol.value) != "icmp"
	some ports in rule.destinationports
	azure.port_in(ports, 22)
	some addr in rule.sourceaddresses
	azure.open_address(addr.value)
	res := result.new("Security group rule allows ingress to the SSH port from any IP address.", addr)
}
