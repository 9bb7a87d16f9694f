# METADATA
# title: "Manage Kubernetes workloads and pods"
# description: "Creating or changing pods and workloads ranges, depending on admission policies, from running arbitrary workloads to pods that escape to the node as root."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/rbac-good-practices/
# custom:
#   id: KSV-0048
#   avd_id: AVD-KSV-0048
#   severity: MEDIUM
#   recommended_actions: "Grant only 'get', 'list' and 'watch' on pods and workload resources."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV048

import data.lib.rbac

resources := {"pods", "deployments", "jobs", "cronjobs", "statefulsets", "daemonsets", "replicasets", "replicationcontrollers"}

verbs := rbac.write_verbs

deny contains res if {
	rbac.is_role
	some rule in rbac.rules
	rbac.names_any_resource(rule, resources)
	rbac.allows_any_verb(rule, verbs)
	msg := sprintf("%s should not allow changing workloads (resources %s, verbs %s)", [rbac.describe, concat(", ", rbac.named(rule, resources)), rbac.describe_verbs(rbac.granted(rule, verbs))])
	res := result.new(msg, rule)
}
