# METADATA
# title: "Workloads in the default namespace"
# description: "Workloads in the default namespace share it with everything deployed without a namespace, which defeats per-namespace RBAC, quotas and network policies."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/
# custom:
#   id: KSV-0110
#   avd_id: AVD-KSV-0110
#   severity: LOW
#   recommended_actions: "Set 'metadata.namespace' to a namespace other than 'default'."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV110

import data.lib.kubernetes

workload_kinds := {"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"}

# The namespace as written; "default" when metadata names none, as
# kubectl applies it without --namespace.
default namespace := "default"

namespace := input.metadata.namespace if is_string(input.metadata.namespace)

# cause: the metadata mapping, else the resource.
cause := input.metadata if is_object(input.metadata)

else := input

deny contains res if {
	input.kind in workload_kinds
	namespace == "default"
	msg := sprintf("%s should set 'metadata.namespace' to a namespace other than 'default'", [kubernetes.describe_workload])
	res := result.new(msg, cause)
}
