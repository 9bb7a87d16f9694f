# METADATA
# title: "Non-default /proc masks set"
# description: "The default /proc mount masks and read-only paths hide kernel interfaces from the container; an Unmasked proc mount exposes them."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
# custom:
#   id: KSV-0027
#   avd_id: AVD-KSV-0027
#   severity: MEDIUM
#   recommended_actions: "Leave 'securityContext.procMount' unset or set it to Default."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV027

import data.lib.kubernetes

deny contains res if {
	some container in kubernetes.containers
	mount := kubernetes.container_security_context(container).procMount
	mount != null
	mount != "Default"
	msg := sprintf("%s should not set 'securityContext.procMount' to '%v'", [kubernetes.describe(container), mount])
	res := result.new(msg, container)
}
