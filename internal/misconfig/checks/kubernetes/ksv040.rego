# METADATA
# title: "resource quota usage"
# description: "A ResourceQuota should cap the CPU and memory requests and limits of a namespace, so that one namespace cannot starve the others."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/tasks/administer-cluster/manage-resources/quota-memory-cpu-namespace/
# custom:
#   id: KSV-0040
#   avd_id: AVD-KSV-0040
#   severity: LOW
#   recommended_actions: "Set 'requests.cpu', 'requests.memory', 'limits.cpu' and 'limits.memory' in 'spec.hard'."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV040

import data.lib.kubernetes

# Only a ResourceQuota document can be judged: whether a namespace has
# one at all needs the other files of the namespace, which one document
# does not give.
required := ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory"]

hard := input.spec.hard if is_object(input.spec.hard)

else := {}

missing := [key | some key in required; not key in object.keys(hard)]

cause := input.spec.hard if is_object(input.spec.hard)

else := input.spec if is_object(input.spec)

else := input

deny contains res if {
	input.kind == "ResourceQuota"
	count(missing) > 0
	msg := sprintf("%s should set %s in 'spec.hard'", [kubernetes.describe_workload, concat(", ", missing)])
	res := result.new(msg, cause)
}
