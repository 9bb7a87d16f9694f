# METADATA
# title: "Memory not limited"
# description: "A container without a memory limit can exhaust its node's memory and get other pods killed."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
# custom:
#   id: KSV-0018
#   avd_id: AVD-KSV-0018
#   severity: LOW
#   recommended_actions: "Set 'resources.limits.memory' in every container."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV018

import data.lib.kubernetes

deny contains res if {
	some container in kubernetes.containers
	not kubernetes.sets_resource(container, "limits", "memory")
	msg := sprintf("%s should set 'resources.limits.memory'", [kubernetes.describe(container)])
	res := result.new(msg, container)
}
