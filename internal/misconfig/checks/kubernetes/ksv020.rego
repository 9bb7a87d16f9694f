# METADATA
# title: "Runs with UID <= 10000"
# description: "A container whose user ID is at most 10000 (or unset, the image's choice) may share it with an account of the node; an ID above 10000 avoids that overlap if it ever escapes."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
# custom:
#   id: KSV-0020
#   avd_id: AVD-KSV-0020
#   severity: LOW
#   recommended_actions: "Set 'securityContext.runAsUser' to a value above 10000 in the pod or in every container."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV020

import data.lib.kubernetes

high(container) if {
	id := kubernetes.security_context_value(container, "runAsUser")
	is_number(id)
	id > 10000
}

deny contains res if {
	some container in kubernetes.containers
	not high(container)
	msg := sprintf("%s should set 'securityContext.runAsUser' > 10000 (its own or the pod's)", [kubernetes.describe(container)])
	res := result.new(msg, container)
}
