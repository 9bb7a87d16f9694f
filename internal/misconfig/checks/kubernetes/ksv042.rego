# METADATA
# title: "Delete pod logs"
# description: "Deleting pod logs lets an attacker cover their tracks."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/rbac-good-practices/
# custom:
#   id: KSV-0042
#   avd_id: AVD-KSV-0042
#   severity: MEDIUM
#   recommended_actions: "Remove the verbs 'delete' and 'deletecollection' (and '*') for the resource 'pods/log'."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV042

import data.lib.rbac

resources := {"pods/log"}

verbs := {"delete", "deletecollection"}

deny contains res if {
	rbac.is_role
	some rule in rbac.rules
	rbac.names_any_resource(rule, resources)
	rbac.allows_any_verb(rule, verbs)
	msg := sprintf("%s should not allow deleting pod logs (resources %s, verbs %s)", [rbac.describe, concat(", ", rbac.named(rule, resources)), rbac.describe_verbs(rbac.granted(rule, verbs))])
	res := result.new(msg, rule)
}
