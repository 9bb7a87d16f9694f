# METADATA
# title: "Runs with a root primary or supplementary GID"
# description: "A container in the root group (GID 0) as primary, supplementary or fsGroup can read and write every file the root group owns."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
# custom:
#   id: KSV-0116
#   avd_id: AVD-KSV-0116
#   severity: LOW
#   recommended_actions: "Set 'runAsGroup', 'fsGroup' and 'supplementalGroups' to non-zero GIDs or leave them unset."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV116

import data.lib.kubernetes

pod_root_fields contains "runAsGroup" if kubernetes.pod_security_context.runAsGroup == 0

pod_root_fields contains "fsGroup" if kubernetes.pod_security_context.fsGroup == 0

pod_root_fields contains "supplementalGroups" if 0 in kubernetes.pod_security_context.supplementalGroups

deny contains res if {
	count(pod_root_fields) > 0
	msg := sprintf("%s should not set %s to the root group 0", [kubernetes.describe_workload, concat(", ", [sprintf("'securityContext.%s'", [f]) | some f in sort(pod_root_fields)])])
	res := result.new(msg, kubernetes.pod_spec)
}

deny contains res if {
	some container in kubernetes.containers
	kubernetes.container_security_context(container).runAsGroup == 0
	msg := sprintf("%s should not set 'securityContext.runAsGroup' to 0", [kubernetes.describe(container)])
	res := result.new(msg, container)
}
