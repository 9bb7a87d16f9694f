# METADATA
# title: "Runs with GID <= 10000"
# description: "A container whose group ID is at most 10000 (or unset, the image's choice) may share it with an account of the node; an ID above 10000 avoids that overlap if it ever escapes."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
# custom:
#   id: KSV-0021
#   avd_id: AVD-KSV-0021
#   severity: LOW
#   recommended_actions: "Set 'securityContext.runAsGroup' to a value above 10000 in the pod or in every container."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV021

import data.lib.kubernetes

high(container) if {
	id := kubernetes.security_context_value(container, "runAsGroup")
	is_number(id)
	id > 10000
}

deny contains res if {
	some container in kubernetes.containers
	not high(container)
	msg := sprintf("%s should set 'securityContext.runAsGroup' > 10000 (its own or the pod's)", [kubernetes.describe(container)])
	res := result.new(msg, container)
}
