# METADATA
# title: "Manage configmaps"
# description: "ConfigMaps hold configuration that changes how workloads behave and sometimes sensitive data; changing them can lead to compromise."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/rbac-good-practices/
# custom:
#   id: KSV-0049
#   avd_id: AVD-KSV-0049
#   severity: MEDIUM
#   recommended_actions: "Remove the write verbs for the resource 'configmaps'."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV049

import data.lib.rbac

resources := {"configmaps"}

verbs := rbac.write_verbs

deny contains res if {
	rbac.is_role
	some rule in rbac.rules
	rbac.names_any_resource(rule, resources)
	rbac.allows_any_verb(rule, verbs)
	msg := sprintf("%s should not allow changing configmaps (resources %s, verbs %s)", [rbac.describe, concat(", ", rbac.named(rule, resources)), rbac.describe_verbs(rbac.granted(rule, verbs))])
	res := result.new(msg, rule)
}
