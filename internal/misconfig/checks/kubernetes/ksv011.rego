# METADATA
# title: "CPU not limited"
# description: "A container without a CPU limit can take every core of its node and starve the other pods there."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
# custom:
#   id: KSV-0011
#   avd_id: AVD-KSV-0011
#   severity: LOW
#   recommended_actions: "Set 'resources.limits.cpu' in every container."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV011

import data.lib.kubernetes

deny contains res if {
	some container in kubernetes.containers
	not kubernetes.sets_resource(container, "limits", "cpu")
	msg := sprintf("%s should set 'resources.limits.cpu'", [kubernetes.describe(container)])
	res := result.new(msg, container)
}
