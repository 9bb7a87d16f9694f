# METADATA
# title: "Manage webhookconfigurations"
# description: "Admission webhooks see and can change or block every object they select as it is created or updated, secrets and pod specs included."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/rbac-good-practices/
# custom:
#   id: KSV-0114
#   avd_id: AVD-KSV-0114
#   severity: CRITICAL
#   recommended_actions: "Grant only 'get', 'list' and 'watch' on mutating and validating webhook configurations."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV114

import data.lib.rbac

resources := {"mutatingwebhookconfigurations", "validatingwebhookconfigurations"}

verbs := rbac.write_verbs

deny contains res if {
	rbac.is_role
	some rule in rbac.rules
	rbac.names_any_resource(rule, resources)
	rbac.allows_any_verb(rule, verbs)
	msg := sprintf("%s should not allow managing admission webhooks (resources %s, verbs %s)", [rbac.describe, concat(", ", rbac.named(rule, resources)), rbac.describe_verbs(rbac.granted(rule, verbs))])
	res := result.new(msg, rule)
}
