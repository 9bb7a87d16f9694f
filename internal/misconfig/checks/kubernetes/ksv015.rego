# METADATA
# title: "CPU requests not specified"
# description: "Without a CPU request the scheduler cannot place the pod by its needs and the container is the first to be throttled under contention."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
# custom:
#   id: KSV-0015
#   avd_id: AVD-KSV-0015
#   severity: LOW
#   recommended_actions: "Set 'resources.requests.cpu' in every container."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV015

import data.lib.kubernetes

deny contains res if {
	some container in kubernetes.containers
	not kubernetes.sets_resource(container, "requests", "cpu")
	msg := sprintf("%s should set 'resources.requests.cpu'", [kubernetes.describe(container)])
	res := result.new(msg, container)
}
