# METADATA
# title: "Access to host process"
# description: "A Windows HostProcess container runs directly on the node with the node's privileges: the baseline Pod Security Standard forbids it."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
# custom:
#   id: KSV-0103
#   avd_id: AVD-KSV-0103
#   severity: MEDIUM
#   recommended_actions: "Remove 'securityContext.windowsOptions.hostProcess' or set it to false in the pod and every container."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV103

import data.lib.kubernetes

deny contains res if {
	kubernetes.pod_security_context.windowsOptions.hostProcess == true
	msg := sprintf("%s should not set 'securityContext.windowsOptions.hostProcess' to true", [kubernetes.describe_workload])
	res := result.new(msg, kubernetes.pod_spec)
}

deny contains res if {
	some container in kubernetes.containers
	kubernetes.container_security_context(container).windowsOptions.hostProcess == true
	msg := sprintf("%s should not set 'securityContext.windowsOptions.hostProcess' to true", [kubernetes.describe(container)])
	res := result.new(msg, container)
}
