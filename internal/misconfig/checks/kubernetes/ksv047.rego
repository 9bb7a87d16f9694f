# METADATA
# title: "Do not allow privilege escalation from node proxy"
# description: "The nodes/proxy subresource reaches the kubelet API directly, bypassing admission and audit: it can run commands in any pod of the node."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/rbac-good-practices/
# custom:
#   id: KSV-0047
#   avd_id: AVD-KSV-0047
#   severity: HIGH
#   recommended_actions: "Remove the verbs 'get' and 'create' (and '*') for the resource 'nodes/proxy'."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV047

import data.lib.rbac

resources := {"nodes/proxy"}

verbs := {"get", "create"}

deny contains res if {
	rbac.is_role
	some rule in rbac.rules
	rbac.names_any_resource(rule, resources)
	rbac.allows_any_verb(rule, verbs)
	msg := sprintf("%s should not allow access to the node proxy (resources %s, verbs %s)", [rbac.describe, concat(", ", rbac.named(rule, resources)), rbac.describe_verbs(rbac.granted(rule, verbs))])
	res := result.new(msg, rule)
}
