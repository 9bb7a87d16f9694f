# METADATA
# title: "SYS_ADMIN capability added"
# description: "CAP_SYS_ADMIN covers mounts, namespaces, BPF and much more: a container holding it is close to root on the node."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container
# custom:
#   id: KSV-0005
#   avd_id: AVD-KSV-0005
#   severity: HIGH
#   recommended_actions: "Remove SYS_ADMIN from 'securityContext.capabilities.add'."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV005

import data.lib.kubernetes

deny contains res if {
	some container in kubernetes.containers
	some cap in kubernetes.added_capabilities(container)
	kubernetes.capability_name(cap) == "SYS_ADMIN"
	msg := sprintf("%s should not add the capability '%s'", [kubernetes.describe(container), cap])
	res := result.new(msg, container)
}
