# METADATA
# title: "User Pods should not be placed in kube-system namespace"
# description: "kube-system holds the control plane and cluster add-ons; user workloads there share its service accounts and privileges and escape the policies applied to user namespaces."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/reference/setup-tools/kubeadm/implementation-details/
# custom:
#   id: KSV-0037
#   avd_id: AVD-KSV-0037
#   severity: MEDIUM
#   recommended_actions: "Deploy the workload to a namespace of its own, not kube-system."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV037

import data.lib.kubernetes

workload_kinds := {"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"}

# The namespace as written; "default" when metadata names none, as
# kubectl applies it without --namespace.
default namespace := "default"

namespace := input.metadata.namespace if is_string(input.metadata.namespace)

# cause: the metadata mapping, else the resource.
cause := input.metadata if is_object(input.metadata)

else := input

core_components := {"kube-apiserver", "etcd", "kube-controller-manager", "kube-scheduler"}

# The labels of the pods the resource runs.
pod_labels := input.metadata.labels if input.kind == "Pod"

pod_labels := input.spec.template.metadata.labels if input.kind in kubernetes.template_kinds

pod_labels := input.spec.jobTemplate.spec.template.metadata.labels if input.kind == "CronJob"

# A static control-plane pod as kubeadm writes it.
core_component if {
	pod_labels.tier == "control-plane"
	pod_labels.component in core_components
	kubernetes.pod_spec.priorityClassName == "system-node-critical"
}

deny contains res if {
	input.kind in workload_kinds
	namespace == "kube-system"
	not core_component
	msg := sprintf("%s should not be deployed in the 'kube-system' namespace", [kubernetes.describe_workload])
	res := result.new(msg, cause)
}
