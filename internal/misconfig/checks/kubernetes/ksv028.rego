# METADATA
# title: "Non-ephemeral volume types used"
# description: "The restricted Pod Security Standard allows only the volume types that carry no node or storage credentials of their own: configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
# custom:
#   id: KSV-0028
#   avd_id: AVD-KSV-0028
#   severity: LOW
#   recommended_actions: "Use only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected or secret volumes (a persistentVolumeClaim for storage)."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV028

import data.lib.kubernetes

allowed := {
	"name", "__defsec_metadata",
	"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret",
	"hostPath", # forbidden by the baseline profile: KSV-0023
}

deny contains res if {
	some volume in kubernetes.volumes
	types := {type | some type, value in volume; value != null; not type in allowed}
	count(types) > 0
	msg := sprintf("%s should not use the volume type %s (volume '%s')", [kubernetes.describe_workload, concat(", ", sort(types)), object.get(volume, "name", "")])
	res := result.new(msg, volume)
}
