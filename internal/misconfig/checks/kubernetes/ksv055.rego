# METADATA
# title: "Do not allow users in a rolebinding to add other users to their rolebindings"
# description: "Getting and patching role bindings lets a subject add other subjects to the bindings it can see, its own included."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/rbac-good-practices/
# custom:
#   id: KSV-0055
#   avd_id: AVD-KSV-0055
#   severity: LOW
#   recommended_actions: "Do not grant both 'get' and 'patch' on 'rolebindings'."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV055

import data.lib.rbac

deny contains res if {
	some rule in rbac.rules
	rbac.in_group(rule, "rbac.authorization.k8s.io")
	rbac.names_resource(rule, "rolebindings")
	rbac.allows_verb(rule, "get")
	rbac.allows_verb(rule, "patch")
	msg := sprintf("%s should not allow getting and patching role bindings", [rbac.describe])
	res := result.new(msg, rule)
}
