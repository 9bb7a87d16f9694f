# METADATA
# title: "NET_RAW capability added"
# description: "CAP_NET_RAW lets a container craft raw packets: spoof addresses, sniff or poison the traffic of its neighbours."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container
# custom:
#   id: KSV-0119
#   avd_id: AVD-KSV-0119
#   severity: HIGH
#   recommended_actions: "Remove NET_RAW from 'securityContext.capabilities.add' (and drop ALL)."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV119

import data.lib.kubernetes

deny contains res if {
	some container in kubernetes.containers
	some cap in kubernetes.added_capabilities(container)
	kubernetes.capability_name(cap) == "NET_RAW"
	msg := sprintf("%s should not add the capability '%s'", [kubernetes.describe(container), cap])
	res := result.new(msg, container)
}
