# METADATA
# title: "Manage Kubernetes networking"
# description: "Controlling services and endpoints lets a subject redirect traffic to pods it controls; controlling network policies and ingresses lets it lift lateral-movement restrictions."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/rbac-good-practices/
# custom:
#   id: KSV-0056
#   avd_id: AVD-KSV-0056
#   severity: HIGH
#   recommended_actions: "Grant only 'get', 'list' and 'watch' on networking resources."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV056

import data.lib.rbac

resources := {"services", "endpoints", "endpointslices", "networkpolicies", "ingresses"}

verbs := rbac.write_verbs

deny contains res if {
	rbac.is_role
	some rule in rbac.rules
	rbac.names_any_resource(rule, resources)
	rbac.allows_any_verb(rule, verbs)
	msg := sprintf("%s should not allow managing networking (resources %s, verbs %s)", [rbac.describe, concat(", ", rbac.named(rule, resources)), rbac.describe_verbs(rbac.granted(rule, verbs))])
	res := result.new(msg, rule)
}
