# METADATA
# title: "Access to host network"
# description: "A pod on the host network sees every interface of the node, can bind its ports and reach services listening on localhost."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
# custom:
#   id: KSV-0009
#   avd_id: AVD-KSV-0009
#   severity: HIGH
#   recommended_actions: "Remove 'spec.hostNetwork' or set it to false."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV009

import data.lib.kubernetes

deny contains res if {
	kubernetes.pod_spec.hostNetwork == true
	msg := sprintf("%s should not set 'hostNetwork' to true", [kubernetes.describe_workload])
	res := result.new(msg, kubernetes.pod_spec)
}
