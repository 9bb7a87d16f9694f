# METADATA
# title: "Do not allow role to create ClusterRoleBindings and association with privileged role"
# description: "A subject that can create cluster role bindings and bind any cluster role can grant itself cluster-wide the permissions of any cluster role, cluster-admin included."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/rbac-good-practices/
# custom:
#   id: KSV-0052
#   avd_id: AVD-KSV-0052
#   severity: HIGH
#   recommended_actions: "Do not combine 'create' on 'clusterrolebindings' with an unrestricted 'bind' on 'clusterroles'; restrict 'bind' with resourceNames."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV052

import data.lib.rbac

group := "rbac.authorization.k8s.io"

creates_clusterrolebindings(rule) if {
	rbac.in_group(rule, group)
	rbac.names_resource(rule, "clusterrolebindings")
	rbac.allows_verb(rule, "create")
}

binds_any_clusterrole if {
	some rule in rbac.rules
	rbac.in_group(rule, group)
	rbac.names_resource(rule, "clusterroles")
	rbac.allows_verb(rule, "bind")
	rbac.unrestricted(rule)
}

deny contains res if {
	binds_any_clusterrole
	some rule in rbac.rules
	creates_clusterrolebindings(rule)
	msg := sprintf("%s should not allow creating cluster role bindings together with binding any cluster role", [rbac.describe])
	res := result.new(msg, rule)
}
