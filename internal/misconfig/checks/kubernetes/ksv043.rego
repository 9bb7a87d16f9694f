# METADATA
# title: "Do not allow impersonation of privileged groups"
# description: "Impersonating groups lets a subject act as a member of any group, system:masters included, whatever its own permissions."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/rbac-good-practices/
# custom:
#   id: KSV-0043
#   avd_id: AVD-KSV-0043
#   severity: CRITICAL
#   recommended_actions: "Remove the verb 'impersonate' (and '*') for the resource 'groups'."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV043

import data.lib.rbac

deny contains res if {
	some rule in rbac.rules
	rbac.in_group(rule, "")
	rbac.names_resource(rule, "groups")
	rbac.allows_verb(rule, "impersonate")
	msg := sprintf("%s should not allow impersonating groups", [rbac.describe])
	res := result.new(msg, rule)
}
