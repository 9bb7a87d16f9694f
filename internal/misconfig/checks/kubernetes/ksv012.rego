# METADATA
# title: "Runs as root user"
# description: "A container that may run as root (UID 0) gives an attacker who breaks out of the application root's power inside the container and a shorter path to the host."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
# custom:
#   id: KSV-0012
#   avd_id: AVD-KSV-0012
#   severity: MEDIUM
#   recommended_actions: "Set 'securityContext.runAsNonRoot' to true in the pod or in every container."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV012

import data.lib.kubernetes

# The container's own runAsNonRoot, else the pod's.
non_root(container) if kubernetes.security_context_value(container, "runAsNonRoot") == true

deny contains res if {
	some container in kubernetes.containers
	not non_root(container)
	msg := sprintf("%s should set 'securityContext.runAsNonRoot' to true", [kubernetes.describe(container)])
	res := result.new(msg, container)
}
