# METADATA
# title: "Manage namespace secrets"
# description: "A Role with access to the secrets of its namespace can read the tokens of every service account there, and escalate to whatever they are bound to."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/rbac-good-practices/
# custom:
#   id: KSV-0113
#   avd_id: AVD-KSV-0113
#   severity: MEDIUM
#   recommended_actions: "Remove 'secrets' from the resources of the Role's rules, or restrict the rule to named secrets."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV113

import data.lib.rbac

resources := {"secrets"}

verbs := rbac.manage_verbs

deny contains res if {
	rbac.is_namespaced_role
	some rule in rbac.rules
	rbac.names_any_resource(rule, resources)
	rbac.allows_any_verb(rule, verbs)
	msg := sprintf("%s should not grant access to the secrets of its namespace (resources %s, verbs %s)", [rbac.describe, concat(", ", rbac.named(rule, resources)), rbac.describe_verbs(rbac.granted(rule, verbs))])
	res := result.new(msg, rule)
}
