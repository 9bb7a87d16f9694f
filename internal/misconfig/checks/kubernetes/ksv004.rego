# METADATA
# title: "Default capabilities: some containers do not drop any"
# description: "A container that drops no capability at all keeps every capability the runtime grants by default; dropping at least the unneeded ones shrinks what an attacker inherits."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container
# custom:
#   id: KSV-0004
#   avd_id: AVD-KSV-0004
#   severity: LOW
#   recommended_actions: "Add the capabilities the container does not need (best: 'ALL') to 'securityContext.capabilities.drop'."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV004

import data.lib.kubernetes

drops_some(container) if {
	drop := kubernetes.container_security_context(container).capabilities.drop
	is_array(drop)
	count(drop) > 0
}

deny contains res if {
	some container in kubernetes.containers
	not drops_some(container)
	msg := sprintf("%s should drop at least one capability in 'securityContext.capabilities.drop'", [kubernetes.describe(container)])
	res := result.new(msg, container)
}
