# METADATA
# title: "Access to host IPC namespace"
# description: "A pod in the host's IPC namespace can read and write the shared memory of every process on the node."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
# custom:
#   id: KSV-0008
#   avd_id: AVD-KSV-0008
#   severity: HIGH
#   recommended_actions: "Remove 'spec.hostIPC' or set it to false."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV008

import data.lib.kubernetes

deny contains res if {
	kubernetes.pod_spec.hostIPC == true
	msg := sprintf("%s should not set 'hostIPC' to true", [kubernetes.describe_workload])
	res := result.new(msg, kubernetes.pod_spec)
}
