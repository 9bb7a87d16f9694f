# METADATA
# title: "Can elevate its own privileges"
# description: "A program inside the container can gain more privileges than its parent process (setuid binaries, file capabilities) unless allowPrivilegeEscalation is false."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
# custom:
#   id: KSV-0001
#   avd_id: AVD-KSV-0001
#   severity: MEDIUM
#   recommended_actions: "Set 'securityContext.allowPrivilegeEscalation' to false in every container."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV001

import data.lib.kubernetes

deny contains res if {
	some container in kubernetes.containers
	object.get(kubernetes.container_security_context(container), "allowPrivilegeEscalation", true) != false
	msg := sprintf("%s should set 'securityContext.allowPrivilegeEscalation' to false", [kubernetes.describe(container)])
	res := result.new(msg, container)
}
