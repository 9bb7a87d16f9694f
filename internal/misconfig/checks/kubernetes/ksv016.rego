# METADATA
# title: "Memory requests not specified"
# description: "Without a memory request the scheduler cannot place the pod by its needs and the container is among the first evicted under memory pressure."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
# custom:
#   id: KSV-0016
#   avd_id: AVD-KSV-0016
#   severity: LOW
#   recommended_actions: "Set 'resources.requests.memory' in every container."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV016

import data.lib.kubernetes

deny contains res if {
	some container in kubernetes.containers
	not kubernetes.sets_resource(container, "requests", "memory")
	msg := sprintf("%s should set 'resources.requests.memory'", [kubernetes.describe(container)])
	res := result.new(msg, container)
}
