# METADATA
# title: "A security group rule should not allow unrestricted ingress from any IP address."
# description: "An inbound rule that allows traffic from any address (*, 0.0.0.0/0, Internet, Any) exposes its ports to the whole internet."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/azu-0047
# custom:
#   id: AZU-0047
#   avd_id: AVD-AZU-0047
#   provider: azure
#   service: network
#   severity: CRITICAL
#   recommended_actions: "Restrict the rule's source address prefixes to the addresses that need access."
#   input:
#     selector:
#       - type: cloud
package builtin.azure.network.AZU0047

import data.lib.azure

deny contains res if {
	some group in input.azure.network.securitygroups
	some rule in group.rules
	azure.inbound_allow(rule)
	some addr in rule.sourceaddresses
	azure.open_address(addr.value)
	res := result.new(sprintf("Security group rule allows ingress from any IP address (%s).", [addr.value]), addr)
}
