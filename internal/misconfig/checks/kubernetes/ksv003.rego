# METADATA
# title: "Default capabilities not dropped"
# description: "The container runtime grants a default set of Linux capabilities; a container that does not drop ALL keeps powers (raw sockets, chown, kill …) it rarely needs."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container
# custom:
#   id: KSV-0003
#   avd_id: AVD-KSV-0003
#   severity: LOW
#   recommended_actions: "Add 'ALL' to 'securityContext.capabilities.drop' and add back only what the container needs."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV003

import data.lib.kubernetes

drops_all(container) if {
	some cap in kubernetes.container_security_context(container).capabilities.drop
	upper(cap) == "ALL"
}

deny contains res if {
	some container in kubernetes.containers
	not drops_all(container)
	msg := sprintf("%s should add 'ALL' to 'securityContext.capabilities.drop'", [kubernetes.describe(container)])
	res := result.new(msg, container)
}
