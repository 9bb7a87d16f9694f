# METADATA
# title: "Container capabilities must only include NET_BIND_SERVICE"
# description: "The restricted Pod Security Standard requires containers to drop ALL capabilities and add back at most NET_BIND_SERVICE."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
# custom:
#   id: KSV-0106
#   avd_id: AVD-KSV-0106
#   severity: LOW
#   recommended_actions: "Set 'securityContext.capabilities.drop' to ['ALL'] and add only 'NET_BIND_SERVICE', if anything."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV106

import data.lib.kubernetes

drops_all(container) if {
	some cap in kubernetes.container_security_context(container).capabilities.drop
	upper(cap) == "ALL"
}

deny contains res if {
	some container in kubernetes.containers
	not drops_all(container)
	msg := sprintf("%s should drop all capabilities", [kubernetes.describe(container)])
	res := result.new(msg, container)
}

deny contains res if {
	some container in kubernetes.containers
	some cap in kubernetes.container_security_context(container).capabilities.add
	cap != "NET_BIND_SERVICE"
	msg := sprintf("%s should not add the capability '%s' (only NET_BIND_SERVICE)", [kubernetes.describe(container), cap])
	res := result.new(msg, container)
}
