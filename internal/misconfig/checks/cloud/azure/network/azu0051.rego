# METADATA
# title: "A security rule should not allow unrestricted egress to any IP address."
# description: "An outbound rule that allows traffic to any address lets workloads reach, and exfiltrate data to, anywhere on the internet."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/azu-0051
# custom:
#   id: AZU-0051
#   avd_id: AVD-AZU-0051
#   provider: azure
#   service: network
#   severity: CRITICAL
#   recommended_actions: "Restrict the rule's destination address prefixes to the addresses that are needed."
#   input:
#     selector:
#       - type: cloud
package builtin.azure.network.AZU0051

import data.lib.azure

deny contains res if {
	some group in input.azure.network.securitygroups
	some rule in group.rules
	rule.outbound.value == true
	rule.allow.value == true
	some addr in rule.destinationaddresses
	azure.open_address(addr.value)
	res := result.new(sprintf("Security group rule allows egress to any IP address (%s).", [addr.value]), addr)
}
