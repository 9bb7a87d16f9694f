# METADATA
# title: "Root file system is not read-only"
# description: "A writable root file system lets an attacker change binaries and configuration of the running container; an immutable one forces writes into declared volumes."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
# custom:
#   id: KSV-0014
#   avd_id: AVD-KSV-0014
#   severity: HIGH
#   recommended_actions: "Set 'securityContext.readOnlyRootFilesystem' to true in every container."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV014

import data.lib.kubernetes

deny contains res if {
	some container in kubernetes.containers
	object.get(kubernetes.container_security_context(container), "readOnlyRootFilesystem", false) != true
	msg := sprintf("%s should set 'securityContext.readOnlyRootFilesystem' to true", [kubernetes.describe(container)])
	res := result.new(msg, container)
}
