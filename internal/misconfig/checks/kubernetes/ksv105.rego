# METADATA
# title: "Containers must not set runAsUser to 0"
# description: "The restricted Pod Security Standard forbids running as UID 0: neither the pod nor a container may set runAsUser to 0."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
# custom:
#   id: KSV-0105
#   avd_id: AVD-KSV-0105
#   severity: LOW
#   recommended_actions: "Set 'securityContext.runAsUser' to a non-zero UID or leave it unset, in the pod and in every container."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV105

import data.lib.kubernetes

deny contains res if {
	kubernetes.pod_security_context.runAsUser == 0
	msg := sprintf("%s should not set 'securityContext.runAsUser' to 0", [kubernetes.describe_workload])
	res := result.new(msg, kubernetes.pod_spec)
}

deny contains res if {
	some container in kubernetes.containers
	kubernetes.container_security_context(container).runAsUser == 0
	msg := sprintf("%s should not set 'securityContext.runAsUser' to 0", [kubernetes.describe(container)])
	res := result.new(msg, container)
}
