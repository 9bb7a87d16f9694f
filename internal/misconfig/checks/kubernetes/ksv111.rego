# METADATA
# title: "User with admin access"
# description: "Binding cluster-admin, admin or edit grants wide-ranging powers that should be given only where and when needed."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/rbac-good-practices/
# custom:
#   id: KSV-0111
#   avd_id: AVD-KSV-0111
#   severity: MEDIUM
#   recommended_actions: "Bind a role with only the permissions needed instead of 'cluster-admin', 'admin' or 'edit'."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV111

import data.lib.rbac

admin_roles := {"cluster-admin", "admin", "edit"}

deny contains res if {
	rbac.is_binding
	role := input.roleRef.name
	role in admin_roles
	msg := sprintf("%s should not bind the role '%s'", [rbac.describe, role])
	res := result.new(msg, input.roleRef)
}
