# METADATA
# title: "Privileged container"
# description: "A privileged container has every capability and every device of the host and can escape the container at will."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
# custom:
#   id: KSV-0017
#   avd_id: AVD-KSV-0017
#   severity: HIGH
#   recommended_actions: "Remove 'securityContext.privileged' or set it to false in every container."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV017

import data.lib.kubernetes

deny contains res if {
	some container in kubernetes.containers
	kubernetes.container_security_context(container).privileged == true
	msg := sprintf("%s should set 'securityContext.privileged' to false", [kubernetes.describe(container)])
	res := result.new(msg, container)
}
