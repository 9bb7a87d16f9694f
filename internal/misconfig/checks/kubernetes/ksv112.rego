# METADATA
# title: "Manage all resources at the namespace"
# description: "A Role with access to every resource has full control of its namespace; excessive in most setups, expected for some operators (GitOps controllers)."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/rbac-good-practices/
# custom:
#   id: KSV-0112
#   avd_id: AVD-KSV-0112
#   severity: CRITICAL
#   recommended_actions: "Replace '*' in the rule's resources with the resources the Role needs."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV112

import data.lib.rbac

deny contains res if {
	rbac.is_namespaced_role
	some rule in rbac.rules
	"*" in rbac.resources(rule)
	rbac.allows_any_verb(rule, rbac.manage_verbs)
	msg := sprintf("%s should not grant access to all resources (verbs %s)", [rbac.describe, rbac.describe_verbs(rbac.granted(rule, rbac.manage_verbs))])
	res := result.new(msg, rule)
}
