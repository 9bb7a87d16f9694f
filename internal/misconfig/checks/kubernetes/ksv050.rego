# METADATA
# title: "Do not allow management of RBAC resources"
# description: "Changing roles and role bindings, or the escalate and bind verbs on them, lets a subject grant itself any permission: an effective cluster-admin."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/rbac-good-practices/
# custom:
#   id: KSV-0050
#   avd_id: AVD-KSV-0050
#   severity: CRITICAL
#   recommended_actions: "Remove the write verbs and 'escalate'/'bind' for the resources 'roles' and 'rolebindings'."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV050

import data.lib.rbac

resources := {"roles", "rolebindings"}

verbs := rbac.write_verbs | {"escalate", "bind"}

deny contains res if {
	rbac.is_role
	some rule in rbac.rules
	rbac.names_any_resource(rule, resources)
	rbac.allows_any_verb(rule, verbs)
	msg := sprintf("%s should not allow managing RBAC resources (resources %s, verbs %s)", [rbac.describe, concat(", ", rbac.named(rule, resources)), rbac.describe_verbs(rbac.granted(rule, verbs))])
	res := result.new(msg, rule)
}
