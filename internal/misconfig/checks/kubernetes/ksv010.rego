# METADATA
# title: "Access to host PID"
# description: "A pod in the host's PID namespace sees every process of the node and can signal or inspect them."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
# custom:
#   id: KSV-0010
#   avd_id: AVD-KSV-0010
#   severity: HIGH
#   recommended_actions: "Remove 'spec.hostPID' or set it to false."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV010

import data.lib.kubernetes

deny contains res if {
	kubernetes.pod_spec.hostPID == true
	msg := sprintf("%s should not set 'hostPID' to true", [kubernetes.describe_workload])
	res := result.new(msg, kubernetes.pod_spec)
}
