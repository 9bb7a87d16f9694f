# METADATA
# title: "Exec into Pods"
# description: "Exec into a container that has host access or a powerful service account is a common path to cluster-admin."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/rbac-good-practices/
# custom:
#   id: KSV-0053
#   avd_id: AVD-KSV-0053
#   severity: HIGH
#   recommended_actions: "Remove the write verbs for the resource 'pods/exec'."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV053

import data.lib.rbac

resources := {"pods/exec"}

verbs := rbac.write_verbs

deny contains res if {
	rbac.is_role
	some rule in rbac.rules
	rbac.names_any_resource(rule, resources)
	rbac.allows_any_verb(rule, verbs)
	msg := sprintf("%s should not allow exec into pods (resources %s, verbs %s)", [rbac.describe, concat(", ", rbac.named(rule, resources)), rbac.describe_verbs(rbac.granted(rule, verbs))])
	res := result.new(msg, rule)
}
