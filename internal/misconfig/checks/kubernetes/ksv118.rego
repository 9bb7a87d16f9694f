# METADATA
# title: "Default security context configured"
# description: "A container with no security context of its own nor the pod's runs with the runtime's defaults: as the image's user, with the default capabilities and a writable root file system."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
# custom:
#   id: KSV-0118
#   avd_id: AVD-KSV-0118
#   severity: HIGH
#   recommended_actions: "Set a 'securityContext' (runAsNonRoot, capabilities, readOnlyRootFilesystem, seccompProfile …) in the pod or in the container."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV118

import data.lib.kubernetes

deny contains res if {
	kubernetes.empty_security_context(kubernetes.pod_security_context)
	some container in kubernetes.containers
	kubernetes.empty_security_context(kubernetes.container_security_context(container))
	msg := sprintf("%s runs with the default security context (neither it nor the pod sets one)", [kubernetes.describe(container)])
	res := result.new(msg, container)
}
