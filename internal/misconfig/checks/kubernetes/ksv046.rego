# METADATA
# title: "Manage all resources"
# description: "A ClusterRole with access to every resource controls the cluster: root on every node that runs workloads, every pod, secret and piece of data."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/rbac-good-practices/
# custom:
#   id: KSV-0046
#   avd_id: AVD-KSV-0046
#   severity: CRITICAL
#   recommended_actions: "Replace '*' in the rule's resources with the resources the ClusterRole needs."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV046

import data.lib.rbac

deny contains res if {
	rbac.is_cluster_role
	some rule in rbac.rules
	"*" in rbac.resources(rule)
	rbac.allows_any_verb(rule, rbac.manage_verbs)
	msg := sprintf("%s should not grant access to all resources (verbs %s)", [rbac.describe, rbac.describe_verbs(rbac.granted(rule, rbac.manage_verbs))])
	res := result.new(msg, rule)
}
