# METADATA
# title: "hostPath volumes mounted"
# description: "A hostPath volume exposes the node's file system to the pod; write access to it is a path to the node."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
# custom:
#   id: KSV-0023
#   avd_id: AVD-KSV-0023
#   severity: MEDIUM
#   recommended_actions: "Use another volume type (emptyDir, configMap, a persistent volume) instead of hostPath."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV023

import data.lib.kubernetes

deny contains res if {
	some volume in kubernetes.volumes
	volume.hostPath
	msg := sprintf("%s should not mount the hostPath volume '%s'", [kubernetes.describe_workload, object.get(volume, "name", "")])
	res := result.new(msg, volume)
}
