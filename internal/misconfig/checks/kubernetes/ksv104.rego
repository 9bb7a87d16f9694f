# METADATA
# title: "Seccomp policies disabled"
# description: "A seccomp profile of type Unconfined turns system call filtering off; the baseline Pod Security Standard forbids it on the pod and on every container."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
# custom:
#   id: KSV-0104
#   avd_id: AVD-KSV-0104
#   severity: MEDIUM
#   recommended_actions: "Do not set the seccomp profile type (or the seccomp annotations) to Unconfined; use RuntimeDefault."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV104

import data.lib.kubernetes

deny contains res if {
	kubernetes.pod_seccomp_type == "Unconfined"
	msg := sprintf("%s should not set the seccomp profile type to Unconfined", [kubernetes.describe_workload])
	res := result.new(msg, kubernetes.pod_spec)
}

deny contains res if {
	some container in kubernetes.containers
	kubernetes.container_seccomp_type(container) == "Unconfined"
	msg := sprintf("%s should not set the seccomp profile type to Unconfined", [kubernetes.describe(container)])
	res := result.new(msg, container)
}
