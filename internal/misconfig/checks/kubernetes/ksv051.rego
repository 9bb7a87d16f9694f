# METADATA
# title: "Do not allow role binding creation and association with privileged role/clusterrole"
# description: "A subject that can create role bindings and bind any role or cluster role can grant itself the permissions of any of them in a namespace."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/rbac-good-practices/
# custom:
#   id: KSV-0051
#   avd_id: AVD-KSV-0051
#   severity: HIGH
#   recommended_actions: "Do not combine 'create' on 'rolebindings' with an unrestricted 'bind' on 'roles' or 'clusterroles'; restrict 'bind' with resourceNames."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV051

import data.lib.rbac

group := "rbac.authorization.k8s.io"

creates_rolebindings(rule) if {
	rbac.in_group(rule, group)
	rbac.names_resource(rule, "rolebindings")
	rbac.allows_verb(rule, "create")
}

binds_any_role if {
	some rule in rbac.rules
	rbac.in_group(rule, group)
	rbac.names_any_resource(rule, {"roles", "clusterroles"})
	rbac.allows_verb(rule, "bind")
	rbac.unrestricted(rule)
}

deny contains res if {
	binds_any_role
	some rule in rbac.rules
	creates_rolebindings(rule)
	msg := sprintf("%s should not allow creating role bindings together with binding any role", [rbac.describe])
	res := result.new(msg, rule)
}
